/// A JSON value as a safetensors header holds it, parsed by hand (RFC 8259) rather than with
/// `JSONSerialization`, so that:
/// - a number keeps its literal text, and an integer field can accept digits only (`2.0`, `1e3`,
///   `true` and anything past `Int.max` are refused instead of being rounded or bridged);
/// - an object keeps its keys in file order, and a repeated key is an error;
/// - nesting deeper than `maximumDepth` is an error, not a stack overflow;
/// - an array longer than `maximumArrayLength` is an error: the header's arrays are shapes and
///   offsets, and this keeps a hostile 100 MB header of `[0,0,0,…]` from costing gigabytes.
enum SafetensorsJSON {
  case object([(key: String, value: SafetensorsJSON)])
  case array([SafetensorsJSON])
  case string(String)
  /// The literal text, e.g. `-12`, `0.5`, `1e400`.
  case number(String)
  case bool(Bool)
  case null

  /// How an error message names what it found instead: "an array", "the string \"x\"", "2.5"…
  var summary: String {
    switch self {
    case .object: return "an object"
    case .array: return "an array"
    case .string(let text): return "the string \"\(Self.shortened(text))\""
    case .number(let literal): return Self.shortened(literal)
    case .bool(let value): return value ? "true" : "false"
    case .null: return "null"
    }
  }

  private static func shortened(_ text: String) -> String {
    text.count > 40 ? String(text.prefix(40)) + "…" : text
  }

  /// The value of a JSON integer literal that fits in `Int`: digits only, optionally negative.
  /// nil for anything else (a fraction, an exponent, another kind of value, an overflow).
  var integer: Int? {
    guard case .number(let literal) = self else { return nil }
    let negative = literal.hasPrefix("-")
    var value = 0
    for byte in literal.utf8.dropFirst(negative ? 1 : 0) {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      let digit = Int(byte - UInt8(ascii: "0"))
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (next, overflow2) =
        negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
      guard !overflow1, !overflow2 else { return nil }
      value = next
    }
    return value
  }

  static let maximumDepth = 32
  static let maximumArrayLength = 1024

  /// Parses one JSON value surrounded by optional whitespace. Throws `SafetensorsJSONError`.
  static func parse(_ bytes: [UInt8]) throws -> SafetensorsJSON {
    var parser = SafetensorsJSONParser(bytes: bytes)
    parser.skipWhitespace()
    let value = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.position == bytes.count else {
      throw parser.failure("unexpected text after the JSON value")
    }
    return value
  }
}

/// Why some bytes are not JSON (or JSON this parser refuses: a repeated key, deep nesting), with
/// the byte offset from the start of the JSON text.
struct SafetensorsJSONError: Error {
  var offset: Int
  var message: String
  /// false for valid JSON refused all the same.
  var isSyntax = true
}

/// The recursive-descent parser behind `SafetensorsJSON.parse`.
struct SafetensorsJSONParser {
  let bytes: [UInt8]
  var position = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  func failure(_ message: String) -> SafetensorsJSONError {
    SafetensorsJSONError(offset: position, message: message)
  }

  func tooDeep() -> SafetensorsJSONError {
    SafetensorsJSONError(
      offset: position, message: "nested more than \(SafetensorsJSON.maximumDepth) levels deep",
      isSyntax: false)
  }

  var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  mutating func skipWhitespace() {
    while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
      position += 1
    }
  }

  mutating func expect(_ character: Character) throws {
    guard let ascii = character.asciiValue, current == ascii else {
      throw failure("expected '\(character)'")
    }
    position += 1
  }

  mutating func value(depth: Int) throws -> SafetensorsJSON {
    guard let byte = current else { throw failure("unexpected end of the JSON text") }
    switch byte {
    case UInt8(ascii: "{"): return try object(depth: depth + 1)
    case UInt8(ascii: "["): return try array(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    default: throw failure("unexpected character '\(Character(Unicode.Scalar(byte)))'")
    }
  }

  mutating func literal(_ word: String, _ result: SafetensorsJSON) throws -> SafetensorsJSON {
    for ascii in word.utf8 {
      guard current == ascii else { throw failure("expected '\(word)'") }
      position += 1
    }
    return result
  }

  mutating func object(depth: Int) throws -> SafetensorsJSON {
    guard depth <= SafetensorsJSON.maximumDepth else { throw tooDeep() }
    position += 1  // "{"
    var members: [(key: String, value: SafetensorsJSON)] = []
    var keys: Set<String> = []
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
      let keyStart = position
      let key = try string()
      guard keys.insert(key).inserted else {
        throw SafetensorsJSONError(offset: keyStart, message: "key \"\(key)\" appears twice", isSyntax: false)
      }
      skipWhitespace()
      try expect(":")
      skipWhitespace()
      members.append((key, try value(depth: depth)))
      skipWhitespace()
      if current == UInt8(ascii: ",") {
        position += 1
      } else if current == UInt8(ascii: "}") {
        position += 1
        return .object(members)
      } else {
        throw failure("expected ',' or '}'")
      }
    }
  }

  mutating func array(depth: Int) throws -> SafetensorsJSON {
    guard depth <= SafetensorsJSON.maximumDepth else { throw tooDeep() }
    position += 1  // "["
    var elements: [SafetensorsJSON] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      position += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      guard elements.count < SafetensorsJSON.maximumArrayLength else {
        throw SafetensorsJSONError(
          offset: position, message: "an array longer than \(SafetensorsJSON.maximumArrayLength) elements",
          isSyntax: false)
      }
      elements.append(try value(depth: depth))
      skipWhitespace()
      if current == UInt8(ascii: ",") {
        position += 1
      } else if current == UInt8(ascii: "]") {
        position += 1
        return .array(elements)
      } else {
        throw failure("expected ',' or ']'")
      }
    }
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as written.
  mutating func number() throws -> String {
    let start = position
    if current == UInt8(ascii: "-") { position += 1 }
    if current == UInt8(ascii: "0") {
      position += 1
    } else {
      guard digits() > 0 else { throw failure("expected a digit") }
    }
    if current == UInt8(ascii: ".") {
      position += 1
      guard digits() > 0 else { throw failure("expected a digit after '.'") }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      guard digits() > 0 else { throw failure("expected a digit in the exponent") }
    }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  mutating func digits() -> Int {
    let start = position
    while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
    return position - start
  }

  /// A string starting at the opening quote. The text is already known to be valid UTF-8.
  mutating func string() throws -> String {
    position += 1  // opening quote
    var utf8: [UInt8] = []
    while true {
      guard let byte = current else { throw failure("unterminated string") }
      position += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(decoding: utf8, as: UTF8.self)
      case UInt8(ascii: "\\"):
        try escape(into: &utf8)
      case 0..<0x20:
        position -= 1
        throw failure("control character in a string")
      default:
        utf8.append(byte)
      }
    }
  }

  mutating func escape(into utf8: inout [UInt8]) throws {
    guard let byte = current else { throw failure("unterminated string") }
    position += 1
    let simple: [UInt8: UInt8] = [
      UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
      UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
    ]
    if let replacement = simple[byte] {
      utf8.append(replacement)
      return
    }
    guard byte == UInt8(ascii: "u") else { throw failure("invalid escape in a string") }
    var code = try hex4()
    if (0xD800..<0xDC00).contains(code) {
      guard current == UInt8(ascii: "\\") else { throw failure("lone surrogate in a \\u escape") }
      position += 1
      try expect("u")
      let low = try hex4()
      guard (0xDC00..<0xE000).contains(low) else { throw failure("lone surrogate in a \\u escape") }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
    }
    guard let scalar = Unicode.Scalar(code) else { throw failure("lone surrogate in a \\u escape") }
    utf8.append(contentsOf: String(Character(scalar)).utf8)
  }

  mutating func hex4() throws -> UInt32 {
    var code: UInt32 = 0
    for _ in 0..<4 {
      guard let byte = current, let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
        throw failure("expected four hex digits after \\u")
      }
      code = (code << 4) | UInt32(digit)
      position += 1
    }
    return code
  }
}
