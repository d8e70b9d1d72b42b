/// The Python literal of a `.npy` header, e.g. `{'descr': '<f4', 'fortran_order': False,
/// 'shape': (2, 3), }`: the subset NumPy writes — dicts, tuples, lists, strings in single or
/// double quotes, integers, True, False and None. Integers keep their literal text (Python's are
/// unbounded); nesting is limited so a hostile header cannot overflow the stack.
indirect enum NumpyLiteral {
  case dict([(key: NumpyLiteral, value: NumpyLiteral)])
  case tuple([NumpyLiteral])
  case list([NumpyLiteral])
  case string(String)
  /// Digits with an optional sign, as written (a Python 2 `L` suffix dropped).
  case integer(String)
  case bool(Bool)
  case none

  /// How an error message shows the value: close to Python's repr.
  var repr: String {
    switch self {
    case .dict(let items):
      return "{" + items.map { "\($0.key.repr): \($0.value.repr)" }.joined(separator: ", ") + "}"
    case .tuple(let items):
      return "(" + items.map(\.repr).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
    case .string(let text): return "'\(text)'"
    case .integer(let literal): return literal
    case .bool(let value): return value ? "True" : "False"
    case .none: return "None"
    }
  }

  /// `repr`, cut to 60 characters for an error message.
  var shortRepr: String {
    let text = repr
    return text.count > 60 ? String(text.prefix(60)) + "…" : text
  }

  /// The value of an integer that fits in `Int`, else nil.
  var integer: Int? {
    guard case .integer(let literal) = self else { return nil }
    return Int(literal)
  }

  static let maximumDepth = 16

  /// Parses one literal surrounded by optional whitespace; throws `NumpyLiteralError`.
  static func parse(_ text: String) throws -> NumpyLiteral {
    var parser = NumpyLiteralParser(scalars: Array(text.unicodeScalars))
    parser.skipWhitespace()
    let value = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.position == parser.scalars.count else {
      throw parser.failure("unexpected text after the dict")
    }
    return value
  }
}

/// Why a header is not a Python literal, with the character position.
struct NumpyLiteralError: Error {
  var offset: Int
  var message: String
}

/// The recursive-descent parser behind `NumpyLiteral.parse`.
struct NumpyLiteralParser {
  let scalars: [Unicode.Scalar]
  var position = 0

  var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

  func failure(_ message: String) -> NumpyLiteralError {
    NumpyLiteralError(offset: position, message: message)
  }

  mutating func skipWhitespace() {
    while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
      position += 1
    }
  }

  mutating func value(depth: Int) throws -> NumpyLiteral {
    guard depth <= NumpyLiteral.maximumDepth else { throw failure("nested too deeply") }
    guard let scalar = current else { throw failure("unexpected end of the header") }
    switch scalar {
    case "{":
      let items = try sequence(closing: "}", depth: depth + 1, pairs: true)
      return .dict(items.map { ($0.0, $0.1 ?? .none) })
    case "(": return .tuple(try sequence(closing: ")", depth: depth + 1, pairs: false).map(\.0))
    case "[": return .list(try sequence(closing: "]", depth: depth + 1, pairs: false).map(\.0))
    case "'", "\"": return .string(try string())
    case "-", "+", "0"..."9": return .integer(try integer())
    default:
      let start = position
      while let next = current, next.properties.isAlphabetic || next == "_" { position += 1 }
      switch String(String.UnicodeScalarView(scalars[start..<position])) {
      case "True": return .bool(true)
      case "False": return .bool(false)
      case "None": return .none
      default:
        position = start
        throw failure("unexpected '\(Character(scalar))'")
      }
    }
  }

  /// Items up to `closing`, separated by commas, a trailing comma allowed; `key: value` pairs in a
  /// dict.
  mutating func sequence(
    closing: Unicode.Scalar, depth: Int, pairs: Bool
  ) throws -> [(NumpyLiteral, NumpyLiteral?)] {
    position += 1  // the opening bracket
    var items: [(NumpyLiteral, NumpyLiteral?)] = []
    while true {
      skipWhitespace()
      if current == closing {
        position += 1
        return items
      }
      let item = try value(depth: depth)
      var paired: NumpyLiteral?
      if pairs {
        skipWhitespace()
        guard current == ":" else { throw failure("expected ':'") }
        position += 1
        skipWhitespace()
        paired = try value(depth: depth)
      }
      items.append((item, paired))
      skipWhitespace()
      if current == "," {
        position += 1
      } else if current != closing {
        throw failure("expected ',' or '\(Character(closing))'")
      }
    }
  }

  /// A quoted string; a backslash keeps the next character as is (NumPy writes no escapes).
  mutating func string() throws -> String {
    guard let quote = current else { throw failure("expected a string") }
    position += 1
    var text = String.UnicodeScalarView()
    while true {
      guard let scalar = current, scalar != "\n" else { throw failure("unterminated string") }
      position += 1
      if scalar == quote { return String(text) }
      if scalar == "\\" {
        guard let escaped = current, escaped != "\n" else { throw failure("unterminated string") }
        position += 1
        text.append(escaped)
      } else {
        text.append(scalar)
      }
    }
  }

  mutating func integer() throws -> String {
    var literal = ""
    if let sign = current, sign == "-" || sign == "+" {
      if sign == "-" { literal.append("-") }
      position += 1
    }
    let start = position
    while let digit = current, ("0"..."9").contains(digit) {
      literal.unicodeScalars.append(digit)
      position += 1
    }
    guard position > start else { throw failure("expected a digit") }
    if current == "L" || current == "l" { position += 1 }
    if let next = current, next == "." || next == "e" || next == "E" || next == "j" {
      throw failure("expected an integer")
    }
    return literal
  }
}
