/// One tensor a weights file holds, as its header or pickle describes it.
public struct WeightsEntry: Equatable, Sendable {
  public var name: String
  public var dtype: WeightsDType
  public var shape: [Int]
}

/// A weights file opened and checked: what it holds, and each tensor's values on demand (as
/// float32). Every check that can be made without the tensors' data has been made when a source
/// exists, so reading then fails only if the file changes or cannot be read.
protocol WeightsSource {
  var entries: [WeightsEntry] { get }
  func values(_ index: Int) throws -> [Float]
}

/// A safetensors file whose tensors are float32, float16, bfloat16 or float64.
struct SafetensorsSource: WeightsSource {
  let file: BinaryFile.Reader
  let header: SafetensorsHeader
  let entries: [WeightsEntry]

  init(file: BinaryFile.Reader, path: String) throws {
    self.file = file
    header = try SafetensorsHeader(file: file, path: path)
    entries = try header.entries.map { entry in
      guard let dtype = WeightsDType(safetensors: entry.dtype) else {
        throw WeightsError(
          file: path, tensor: entry.name,
          problem: "dtype \(entry.dtype): only F32, F16, BF16 and F64 tensors can be read")
      }
      return WeightsEntry(name: entry.name, dtype: dtype, shape: entry.shape)
    }
  }

  func values(_ index: Int) throws -> [Float] {
    let entry = header.entries[index]
    return try entries[index].dtype.floats(count: entry.elementCount) { buffer in
      try file.read(into: buffer, at: header.dataStart + entry.begin)
    }
  }
}

/// A torch.save file, legacy or zip: the state dict, and where each storage's bytes are.
struct TorchSource: WeightsSource {
  let stateDict: TorchStateDict
  let entries: [WeightsEntry]
  /// Fills a buffer with a storage's bytes from a byte offset on.
  let read: (_ storage: String, _ byteOffset: Int, _ buffer: UnsafeMutableRawBufferPointer) throws -> Void

  init(legacy: TorchLegacyFile, file: BinaryFile.Reader) {
    stateDict = legacy.stateDict
    entries = legacy.stateDict.entries
    read = { key, offset, buffer in try file.read(into: buffer, at: legacy.dataStart[key]! + offset) }
  }

  init(zip: TorchZipFile) {
    stateDict = zip.stateDict
    entries = zip.stateDict.entries
    read = { key, offset, buffer in try zip.read(storage: key, byteOffset: offset, into: buffer) }
  }

  func values(_ index: Int) throws -> [Float] {
    let tensor = stateDict.tensors[index].tensor
    let dtype = entries[index].dtype
    return try dtype.floats(count: tensor.count) { buffer in
      try read(tensor.storage, tensor.offset * dtype.size, buffer)
    }
  }
}
