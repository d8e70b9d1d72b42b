/// A `run:` line read as a call, before it becomes an action:
/// `targets = callee(positional, key: value, …)`, or `callee(…)` with no targets.
struct Call {
  /// The result names (nil for `_`).
  var targets: [String?]
  var callee: String
  var at: SourceLocation
  var positional: [(ElementReference, SourceLocation)] = []
  var keywords: [String: (ArgumentValue, SourceLocation)] = [:]
  /// Keyword values that are tensor names or elements (`wrt: W`, `delta: d`, `loss: J`).
  var keywordReferences: [String: ElementReference] = [:]

  /// The single result name of a call that writes one tensor.
  func one() throws -> String {
    guard targets.count == 1, let target = targets[0] else {
      throw LessonError(at, "\(callee) writes one result: expected `NAME = \(callee)(…)`")
    }
    return target
  }

  /// The positional arguments, which must be whole tensors.
  func plainNames() throws -> [String] {
    try positional.map { reference, at in
      guard reference.index == nil else { throw LessonError(at, "expected a tensor name, not an element") }
      return reference.name
    }
  }

  /// A required keyword whose value is a tensor (or element) name.
  func reference(_ key: String) throws -> ElementReference {
    guard let reference = keywordReferences[key] else {
      throw LessonError(keywords[key]?.1 ?? at, "\(callee) needs \(key): NAME")
    }
    return reference
  }

  /// A required keyword whose value is a whole number in `range`.
  func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int {
    guard let (value, where_) = keywords[key] else {
      throw LessonError(
        at, "\(callee) needs \(key): a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
    guard case .number(let x) = value, x == x.rounded(), x >= Double(range.lowerBound),
      x <= Double(range.upperBound)
    else {
      throw LessonError(
        where_, "expected \(key): a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
    return Int(x)
  }

  /// Throws at the first keyword not in `allowed`.
  func only(_ allowed: Set<String>) throws {
    for (key, (_, where_)) in keywords where !allowed.contains(key) {
      throw LessonError(where_, "\(callee) has no parameter \"\(key)\"")
    }
  }
}
