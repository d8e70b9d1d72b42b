import ConvTourEngine

/// Hugging Face's safetensors format: reading F32 tensors into `Tensor32`s, describing and checking
/// a file's tensors before loading them, and writing tensors back. The byte layout and every check
/// on it are in `SafetensorsHeader`; writing is in SafetensorsWrite.swift, comparing a file with the
/// tensors a network needs in SafetensorsValidate.swift.
public enum Safetensors {
  /// Reads every tensor of the file, which must all be F32. The header is read and fully checked
  /// before any tensor's storage is allocated; each tensor's bytes are then read straight into
  /// its storage in one block.
  public static func read(path: String) throws -> [String: Tensor32] {
    try withFile(path) { file in
      let header = try SafetensorsHeader(file: file, path: path)
      if let other = header.entries.first(where: { $0.dtype != "F32" }) {
        throw SafetensorsError(
          file: path, tensor: other.name,
          problem: "dtype \(other.dtype) is not supported: only F32 tensors can be read")
      }
      var tensors: [String: Tensor32] = [:]
      tensors.reserveCapacity(header.entries.count)
      for entry in header.entries {
        let values = try LittleEndianFloat32.floats(count: entry.elementCount) { buffer in
          try file.read(into: buffer, at: header.dataStart + entry.begin)
        }
        do {
          tensors[entry.name] = try Tensor32(shape: entry.shape, values: values)
        } catch {
          throw SafetensorsError(file: path, tensor: entry.name, problem: "\(error)")
        }
      }
      return tensors
    }
  }

  /// Reads and checks the header only (every check `read` makes, except that any known dtype is
  /// accepted): each tensor's name, dtype and shape.
  public static func header(path: String) throws -> [String: (dtype: String, shape: [Int])] {
    let header = try withFile(path) { try SafetensorsHeader(file: $0, path: path) }
    var result: [String: (dtype: String, shape: [Int])] = [:]
    for entry in header.entries {
      result[entry.name] = (entry.dtype, entry.shape)
    }
    return result
  }

  /// The file's `__metadata__` (empty when it has none), after the same checks as `header`.
  public static func metadata(path: String) throws -> [String: String] {
    try withFile(path) { try SafetensorsHeader(file: $0, path: path) }.metadata
  }

  /// Opens the file for `body`; a failure to open or read becomes a `SafetensorsError`.
  static func withFile<Result>(_ path: String, _ body: (BinaryFile.Reader) throws -> Result) throws -> Result
  {
    do {
      return try BinaryFile.withReader(path: path, body)
    } catch let failure as BinaryFile.Failure {
      throw SafetensorsError(file: path, problem: failure.message)
    }
  }
}
