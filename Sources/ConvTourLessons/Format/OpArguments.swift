import ConvTourEngine

/// A keyword argument's value in a `run:` line.
enum ArgumentValue {
  case number(Double)
  case name(String)
  case list([Int])
  /// Quoted text: a network's name (`network: "textbook-convnet"`).
  case text(String)
}

/// What an op entry is built from: how many tensor inputs the `run:` line gives and its
/// keyword parameters, with readers that name the place and what was expected on bad values.
public struct OpArguments {
  public let op: String
  public let inputCount: Int
  let given: [String: (ArgumentValue, SourceLocation)]
  let location: SourceLocation

  /// Whether the line gives the parameter.
  public func has(_ key: String) -> Bool { given[key] != nil }

  /// A size or a pair [rows, columns]: whole numbers from 0 to 1,000,000.
  public func extent(_ key: String, default value: Extent2D) throws -> Extent2D {
    guard let (argument, at) = given[key] else { return value }
    switch argument {
    case .number(let x) where x == x.rounded() && x >= 0 && x <= 1_000_000: return Extent2D(Int(x))
    case .list(let l) where l.count == 2 && l.allSatisfy({ $0 >= 0 && $0 <= 1_000_000 }):
      return Extent2D(l[0], l[1])
    default:
      throw LessonError(at, "expected \(key) as a whole number from 0 to 1,000,000, or [rows, columns]")
    }
  }

  /// A required number, checked by `valid` (described by `what`).
  public func number(_ key: String, _ what: String, _ valid: (Double) -> Bool = { $0.isFinite }) throws
    -> Double
  {
    guard let (argument, at) = given[key] else { throw LessonError(location, "\(op) needs \(key): \(what)") }
    guard case .number(let x) = argument, valid(x) else { throw LessonError(at, "expected \(key): \(what)") }
    return x
  }

  /// One of a few words, or the default when the parameter is not given.
  public func choice<T>(_ key: String, _ options: [String: T], default value: T) throws -> T {
    guard let (argument, at) = given[key] else { return value }
    guard case .name(let word) = argument, let chosen = options[word] else {
      throw LessonError(
        at, "expected \(options.keys.sorted().map { "\(key): \($0)" }.joined(separator: " or "))")
    }
    return chosen
  }

  /// A required list of whole numbers.
  public func list(_ key: String, _ what: String) throws -> [Int] {
    guard let (argument, at) = given[key] else { throw LessonError(location, "\(op) needs \(key): \(what)") }
    guard case .list(let l) = argument else { throw LessonError(at, "expected \(key): \(what)") }
    return l
  }
}
