/// The header of a safetensors file, parsed and checked. The file is
///
///     bytes 0 ..< 8          N, the header's length: UInt64, little-endian (at most 100,000,000)
///     bytes 8 ..< 8+N        the header: UTF-8 JSON, padded with spaces
///                              {"__metadata__": {"KEY": "VALUE", …},           optional, strings only
///                               "NAME": {"dtype": "F32", "shape": [2, 3], "data_offsets": [BEGIN, END]},
///                               …}
///     bytes 8+N ..< end      the data buffer: tensor NAME's elements, row-major and little-endian,
///                            at BEGIN ..< END counted from the start of the buffer
///
/// As in the reference implementation, the tensors' ranges must tile the buffer exactly (sorted by
/// offset, each begins where the previous one ends, the last ends at the end of the file) and
/// each range must hold exactly its shape's elements. Every check runs on the header alone, so a
/// bad file is refused before anything is allocated for its tensors.
struct SafetensorsHeader {
  /// One tensor's entry.
  struct Entry {
    var name: String
    var dtype: String
    var shape: [Int]
    var elementCount: Int
    /// The tensor's bytes in the data buffer: begin ..< end.
    var begin: Int
    var end: Int
  }

  static let maximumLength = 100_000_000

  /// The tensors, in the header's order.
  var entries: [Entry]
  var metadata: [String: String]
  /// Where the data buffer starts in the file: 8 + the header's length.
  var dataStart: Int

  /// Reads, parses and checks the header of `file`; `path` names it in errors.
  init(file: BinaryFile.Reader, path: String) throws {
    func failure(_ problem: String) -> SafetensorsError {
      SafetensorsError(file: path, problem: problem)
    }
    guard file.size >= 8 else {
      throw failure("the file is \(file.size) bytes long, too short for the 8-byte header length")
    }
    var length: UInt64 = 0
    for (i, byte) in try file.bytes(8, at: 0).enumerated() {
      length |= UInt64(byte) << (8 * UInt64(i))
    }
    guard length <= UInt64(Self.maximumLength) else {
      throw failure("header length \(length) exceeds safetensors' limit of \(Self.maximumLength) bytes")
    }
    guard length <= UInt64(file.size - 8) else {
      throw failure("header length \(length) runs past the end of the file (\(file.size) bytes)")
    }
    dataStart = 8 + Int(length)
    let text = try file.bytes(Int(length), at: 8)
    guard String(validating: text, as: UTF8.self) != nil else {
      throw failure("header is not valid UTF-8")
    }
    let json: SafetensorsJSON
    do {
      json = try SafetensorsJSON.parse(text)
    } catch let error as SafetensorsJSONError {
      let place = "at byte \(error.offset) of the header"
      throw failure(
        error.isSyntax
          ? "header is not valid JSON: \(error.message) \(place)" : "header: \(error.message) \(place)")
    }
    guard case .object(let members) = json else {
      throw failure("header is not a JSON object (found \(json.summary))")
    }
    entries = []
    metadata = [:]
    for (key, value) in members {
      if key == "__metadata__" {
        metadata = try Self.metadata(value, path: path)
      } else {
        entries.append(try Entry(name: key, json: value, path: path))
      }
    }
    try Self.checkLayout(entries, dataLength: file.size - dataStart, path: path)
  }

  /// `__metadata__`: an object of strings.
  static func metadata(_ json: SafetensorsJSON, path: String) throws -> [String: String] {
    guard case .object(let members) = json else {
      throw SafetensorsError(
        file: path, problem: "__metadata__ must be an object of strings, found \(json.summary)")
    }
    var metadata: [String: String] = [:]
    for (key, value) in members {
      guard case .string(let text) = value else {
        throw SafetensorsError(
          file: path, problem: "__metadata__: \"\(key)\" must be a string, found \(value.summary)")
      }
      metadata[key] = text
    }
    return metadata
  }

  /// The ranges, sorted by offset, must follow one another without overlap or hole, and end where
  /// the file ends.
  static func checkLayout(_ entries: [Entry], dataLength: Int, path: String) throws {
    let sorted = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    var covered = 0
    var previous: Entry?
    for entry in sorted {
      if let previous, entry.begin < covered {
        throw SafetensorsError(
          file: path, tensor: entry.name,
          problem: "data_offsets [\(entry.begin), \(entry.end)] overlap tensor \(previous.name)'s "
            + "[\(previous.begin), \(previous.end)]")
      }
      if entry.begin > covered {
        throw SafetensorsError(
          file: path, tensor: entry.name,
          problem: "data_offsets [\(entry.begin), \(entry.end)] leave a hole: bytes \(covered) ..< "
            + "\(entry.begin) of the data buffer belong to no tensor")
      }
      covered = entry.end
      previous = entry
    }
    if covered > dataLength, let cut = sorted.first(where: { $0.end > dataLength }) {
      throw SafetensorsError(
        file: path, tensor: cut.name,
        problem: "data_offsets [\(cut.begin), \(cut.end)] go beyond the data buffer (\(dataLength) bytes): "
          + "the file is truncated, its header describes \(covered) bytes of data")
    }
    if covered < dataLength {
      throw SafetensorsError(
        file: path,
        problem: "the data buffer has \(dataLength - covered) bytes after the last tensor that belong "
          + "to no tensor (the header describes \(covered) of its \(dataLength) bytes)")
    }
  }
}
