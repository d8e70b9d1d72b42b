import ConvTourEngine

extension Safetensors {
  /// Writes F32 tensors in the given order: the header lists them in that order and their data
  /// follows one after another, with `metadata` (if any) as `__metadata__`. The header is padded
  /// with spaces to a multiple of 8 bytes, as the reference implementation does, so that the bytes
  /// match its output for the same order. The file is written beside `path` and renamed over it.
  public static func write(
    _ tensors: [(name: String, tensor: Tensor32)], to path: String, metadata: [String: String] = [:]
  ) throws {
    var names: Set<String> = []
    for (name, tensor) in tensors {
      // `values` is settable, so the count can drift from the shape; the header would then lie.
      guard tensor.values.count == Shape.count(tensor.shape) else {
        throw SafetensorsError(
          file: path, tensor: name,
          problem:
            "has \(tensor.values.count) values for shape \(tensor.shape) (\(Shape.count(tensor.shape)))")
      }
      guard name != "__metadata__" else {
        throw SafetensorsError(file: path, tensor: name, problem: "the name is reserved for metadata")
      }
      guard names.insert(name).inserted else {
        throw SafetensorsError(file: path, tensor: name, problem: "appears twice in the list to write")
      }
    }
    let header = encodeHeader(tensors.map { ($0.name, $0.tensor.shape) }, metadata: metadata)
    do {
      try BinaryFile.writeAtomically(path: path) { sink in
        try sink.append(header)
        for (_, tensor) in tensors {
          try LittleEndianFloat32.withBytes(of: tensor.values) { try sink.append($0) }
        }
      }
    } catch let failure as BinaryFile.Failure {
      throw SafetensorsError(file: path, problem: failure.message)
    }
  }

  /// The length prefix and the header: compact JSON as the reference implementation (serde_json)
  /// writes it — `__metadata__` first (its keys sorted here), then the tensors with consecutive
  /// offsets — followed by spaces up to a multiple of 8 bytes.
  static func encodeHeader(_ tensors: [(name: String, shape: [Int])], metadata: [String: String]) -> [UInt8] {
    var members: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.keys.sorted().map { key in
        jsonString(key) + ":" + jsonString(metadata[key] ?? "")
      }
      members.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
    }
    var offset = 0
    for (name, shape) in tensors {
      let end = offset + 4 * Shape.count(shape)
      let dimensions = shape.map(String.init).joined(separator: ",")
      members.append(
        jsonString(name)
          + ":{\"dtype\":\"F32\",\"shape\":[\(dimensions)],\"data_offsets\":[\(offset),\(end)]}")
      offset = end
    }
    var json = Array(("{" + members.joined(separator: ",") + "}").utf8)
    json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + json.count)
    for i in 0..<8 {
      bytes.append(UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64(i))))
    }
    return bytes + json
  }

  /// A JSON string literal escaped as serde_json escapes it: `"` and `\`, the short escapes for
  /// backspace, form feed, newline, carriage return and tab, `\u00XX` for the other control
  /// characters, everything else (non-ASCII included) as is.
  static func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\u{08}": result += "\\b"
      case "\u{0C}": result += "\\f"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\u{00}"..."\u{1F}":
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
