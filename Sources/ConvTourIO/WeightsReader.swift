import ConvTourEngine

/// The formats `--weights` reads, told apart by their first bytes.
public enum WeightsFormat: String, Sendable {
  /// An 8-byte little-endian header length, then the JSON header: byte 8 is `{`.
  case safetensors
  /// torch.save since PyTorch 1.6: a zip archive, `PK\x03\x04`.
  case torchZip = "torch.save zip"
  /// torch.save before PyTorch 1.6: pickles, the first torch's magic number, `80 02 8a 0a 6c fc 9c 46`.
  case torchLegacy = "torch.save legacy"

  /// The format whose signature `prefix` (the file's first bytes) starts with.
  public init?(prefix: [UInt8]) {
    if prefix.starts(with: TorchZipFile.signature) {
      self = .torchZip
    } else if prefix.starts(with: TorchLegacyFile.signature.prefix(8)) {
      self = .torchLegacy
    } else if prefix.count > 8, prefix[8] == UInt8(ascii: "{") {
      self = .safetensors
    } else {
      return nil
    }
  }
}

/// Reading weights from any file `--weights` takes: safetensors (float32, float16, bfloat16,
/// float64) or torch.save's `.pth` (zip or legacy), with torchvision's or timm's names.
public enum WeightsReader {
  /// Tensors as float32 under the names the caller expects, and what was done to get them, one
  /// line each ("converted float16 → float32"), for the user.
  public struct Weights: Sendable {
    public var tensors: [String: Tensor32]
    public var notes: [String]
    public var format: WeightsFormat
  }

  /// Reads the file at `path`. With `expected`, the names are mapped to the expected ones (timm's
  /// VGG names to torchvision's, WeightsNaming) and checked, with every shape, before any data is
  /// read; without, every tensor is read under its own name. Any problem is a `WeightsError`.
  public static func read(path: String, expected: [(name: String, shape: [Int])]? = nil) throws -> Weights {
    try withSource(path) { source, format in
      let plan =
        try expected.map { try WeightsNaming.plan(source.entries, expected: $0, file: path) }
        ?? WeightsNaming.Plan(identity: source.entries)
      var tensors: [String: Tensor32] = [:]
      for item in plan.items {
        let values = try source.values(item.index)
        tensors[item.name] = try Tensor32(shape: item.shape, values: values)
      }
      var notes = plan.notes
      let converted = Set(plan.items.map { source.entries[$0.index].dtype }).subtracting([.float32])
      if !converted.isEmpty {
        let names = WeightsDType.allCases.filter(converted.contains).map(\.rawValue).joined(separator: ", ")
        notes.insert("\(path): converted \(names) → float32", at: 0)
      }
      return Weights(tensors: tensors, notes: notes, format: format)
    }
  }

  /// The file's format and its tensors' names, element types and shapes, after every check that
  /// needs no data.
  public static func describe(path: String) throws -> (format: WeightsFormat, entries: [WeightsEntry]) {
    try withSource(path) { source, format in (format, source.entries) }
  }

  /// Opens the file, detects its format, checks it, and hands the source to `body`; every error
  /// becomes one `WeightsError` naming the file.
  static func withSource<Result>(_ path: String, _ body: (WeightsSource, WeightsFormat) throws -> Result)
    throws
    -> Result
  {
    do {
      return try BinaryFile.withReader(path: path) { file in
        let prefix = try file.bytes(min(file.size, 16), at: 0)
        guard let format = WeightsFormat(prefix: prefix) else {
          let hex = prefix.prefix(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
          throw WeightsError(
            file: path,
            problem:
              "not a weights file: it starts \(hex.isEmpty ? "empty" : hex); safetensors has \"{\" at byte 8, torch.save's zip starts 50 4b 03 04, its legacy layout 80 02 8a 0a 6c fc 9c 46"
          )
        }
        switch format {
        case .safetensors: return try body(SafetensorsSource(file: file, path: path), format)
        case .torchLegacy:
          return try body(TorchSource(legacy: TorchLegacyFile(file: file, path: path), file: file), format)
        case .torchZip: return try body(TorchSource(zip: TorchZipFile(file: file)), format)
        }
      }
    } catch let error as WeightsError {
      throw error
    } catch let error as SafetensorsError {
      throw WeightsError(file: error.file, tensor: error.tensor, problem: error.problem)
    } catch let error as PickleError {
      throw WeightsError(file: path, problem: "byte \(error.offset): \(error.problem)")
    } catch let failure as BinaryFile.Failure {
      throw WeightsError(file: path, problem: failure.message)
    } catch {
      throw WeightsError(file: path, problem: "\(error)")
    }
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
