import Foundation

/// A token of a lesson line's expression part (runs, expectations, tensor values).
struct Token: Equatable {
  enum Kind: Equatable {
    case identifier(String)
    case number(Double)
    /// One of ( ) [ ] , : = ± ≈ < > ≠ ≤ ≥ + − * /
    case symbol(Character)
    /// Text in double quotes, without them (no escapes): what a claim looks for in a listing.
    case quoted(String)
  }

  var kind: Kind
  var location: SourceLocation

  var text: String {
    switch kind {
    case .identifier(let s): s
    case .number(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    case .symbol(let c): String(c)
    case .quoted(let text): "\"\(text)\""
    }
  }
}

/// A piece of text from one line of a file, with where it starts.
struct Segment {
  var text: Substring
  var location: SourceLocation
}

/// Splits segments into tokens. Identifiers are letters, digits, `_`, `'` and `.`, starting with
/// a letter or `_` (Δ is a letter); numbers are decimal with an optional exponent; "-" and the
/// Unicode minus "−" are both the minus symbol; `"…"` is quoted text, to the next `"`.
enum Tokenizer {
  static let symbols: Set<Character> = [
    "(", ")", "[", "]", ",", ":", "=", "±", "≈", "<", ">", "≠", "≤", "≥", "+", "−", "*", "/",
  ]

  static func tokens(_ segments: [Segment]) throws -> [Token] {
    var result: [Token] = []
    for segment in segments {
      let chars = Array(segment.text)
      var i = 0
      func here() -> SourceLocation {
        var l = segment.location
        l.column += i
        return l
      }
      while i < chars.count {
        let c = chars[i]
        if c.isWhitespace {
          i += 1
        } else if c.isLetter || c == "_" {
          let start = i
          let location = here()
          while i < chars.count, chars[i].isLetter || chars[i].isNumber || "_'.".contains(chars[i]) { i += 1 }
          result.append(Token(kind: .identifier(String(chars[start..<i])), location: location))
        } else if c.isASCII, c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
          let start = i
          let location = here()
          while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "." { i += 1 }
          if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "-" || chars[j] == "+" || chars[j] == "−" { j += 1 }
            if j < chars.count, chars[j].isASCII, chars[j].isNumber {
              i = j
              while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
            }
          }
          let text = String(chars[start..<i]).replacingOccurrences(of: "−", with: "-")
          guard let value = Double(text), value.isFinite else {
            throw LessonError(location, "expected a finite number, found \"\(text)\"")
          }
          result.append(Token(kind: .number(value), location: location))
        } else if c == "\"" {
          let location = here()
          guard let close = chars[(i + 1)...].firstIndex(of: "\"") else {
            throw LessonError(location, "expected a closing \" for the text that starts here")
          }
          result.append(Token(kind: .quoted(String(chars[(i + 1)..<close])), location: location))
          i = close + 1
        } else if c == "-" || c == "−" {
          result.append(Token(kind: .symbol("−"), location: here()))
          i += 1
        } else if symbols.contains(c) {
          result.append(Token(kind: .symbol(c), location: here()))
          i += 1
        } else {
          throw LessonError(here(), "unexpected character \"\(c)\"")
        }
      }
    }
    return result
  }
}

/// Reads tokens one by one, with errors that say what was expected where.
struct TokenStream {
  var tokens: [Token]
  var position = 0
  /// Where the text ends, for "expected … at the end of the line".
  var end: SourceLocation

  init(_ tokens: [Token], end: SourceLocation) {
    self.tokens = tokens
    self.end = end
  }

  var atEnd: Bool { position >= tokens.count }
  var peek: Token? { atEnd ? nil : tokens[position] }
  var location: SourceLocation { peek?.location ?? end }

  func error(_ expected: String) -> LessonError {
    if let token = peek {
      return LessonError(token.location, "expected \(expected), found \"\(token.text)\"")
    }
    return LessonError(end, "expected \(expected) at the end of the line")
  }

  mutating func next() -> Token? {
    defer { position += 1 }
    return peek
  }

  func isSymbol(_ c: Character) -> Bool {
    if case .symbol(c) = peek?.kind { return true }
    return false
  }

  mutating func skip(_ c: Character) -> Bool {
    guard isSymbol(c) else { return false }
    position += 1
    return true
  }

  mutating func expect(_ c: Character, _ what: String? = nil) throws {
    guard skip(c) else { throw error(what ?? "\"\(c)\"") }
  }

  mutating func identifier(_ what: String = "a name") throws -> String {
    guard case .identifier(let name) = peek?.kind else { throw error(what) }
    position += 1
    return name
  }

  /// A number with an optional leading minus.
  mutating func number(_ what: String = "a number") throws -> Double {
    let negative = skip("−")
    guard case .number(let x) = peek?.kind else { throw error(what) }
    position += 1
    return negative ? -x : x
  }

  mutating func integer(_ what: String = "a whole number") throws -> Int {
    let location = self.location
    let x = try number(what)
    guard x == x.rounded(), abs(x) < 1e12 else {
      let found = x == x.rounded() && abs(x) < 1e18 ? String(Int64(x)) : String(x)
      throw LessonError(
        location, "expected \(what) (whole, at most 999,999,999,999 in size), found \(found.prefix(40))")
    }
    return Int(x)
  }

  /// `[d1, d2, …]` (possibly empty).
  mutating func integerList(_ what: String) throws -> [Int] {
    try expect("[", "\"[\" to open \(what)")
    var result: [Int] = []
    if skip("]") { return result }
    repeat { result.append(try integer("a whole number in \(what)")) } while skip(",")
    try expect("]", "\",\" or \"]\" in \(what)")
    return result
  }

  /// Numbers separated by spaces or commas, to the end.
  mutating func numbers(_ what: String) throws -> [Double] {
    var result: [Double] = []
    while !atEnd {
      result.append(try number(what))
      _ = skip(",")
    }
    return result
  }

  mutating func expectEnd() throws {
    if !atEnd { throw error("the end of the line") }
  }
}
