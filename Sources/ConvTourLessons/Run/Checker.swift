import ConvTourEngine

/// The outcome of one expectation.
public struct CheckResult: Sendable {
  public enum Status: String, Sendable {
    /// The computation gives the document's number.
    case pass
    /// It does not, and the lesson does not record why.
    case fail
    /// It does not, and the lesson records the document's mistake.
    case erratum
    /// The expectation itself is malformed: an index outside the tensor, a tensor never computed.
    case invalid
  }

  public var lesson: String
  public var expectation: Expectation
  public var status: Status
  /// What the document says, as the lesson records it.
  public var documented: CheckValue
  /// What the engine computed, in the same form.
  public var computed: CheckValue
  /// Why it failed, or the erratum's explanation.
  public var message: String
}

/// A side of a check, as values (presentation formats them): a shape, numbers, a + bΔ, the
/// name of the tensor a claim agrees with, the largest difference from it, or nothing computed.
public enum CheckValue: Equatable, Sendable {
  case shape([Int])
  case values([Double])
  case dual(Double, Double)
  case agrees(String)
  case difference(Double)
  /// Below a bound, or below another tensor's values element by element (with those values).
  case below(Double)
  case belowTensor(String)
  case against([Double], [Double])
  /// A claim: the predicate the document implies, as written (`nonzero_rows(dW16) = 1`).
  case predicate(String)
  /// A claim: what its measures gave, in order, and whether the document's predicate holds.
  case measured(names: [String], values: [Double], holds: Bool)
  case nothing
}

/// Runs a lesson's expectations against what the engine computed.
public enum Checker {
  public static func check(_ run: LessonRun) -> [CheckResult] {
    run.lesson.expectations.map { check($0, in: run) }
  }

  /// One expectation or claim.
  public static func check(_ e: Expectation, in run: LessonRun) -> CheckResult {
    if case .statement(let predicate, let implied) = e.claim {
      return checkClaim(e, predicate: predicate, implied: implied, in: run)
    }
    let documented = describe(e.claim)
    func result(_ agrees: Bool, _ computed: CheckValue, _ problem: String = "") -> CheckResult {
      let status: CheckResult.Status
      var message = problem
      switch (agrees, e.erratum) {
      case (true, nil): status = .pass
      case (true, .some):
        (status, message) = (.fail, "recorded as an erratum, but the computation agrees with the document")
      case (false, nil): status = .fail
      case (false, .some(let why)): (status, message) = (.erratum, why)
      }
      return CheckResult(
        lesson: run.lesson.id, expectation: e, status: status, documented: documented, computed: computed,
        message: message)
    }
    if case .shape(let shape) = e.claim, e.reference.index == nil, run.tensor(e.reference.name) == nil,
      let actual = run.shape(e.reference.name)
    {
      return result(actual == shape, .shape(actual))  // a shape-only tensor
    }
    func invalid(_ why: String) -> CheckResult {
      CheckResult(
        lesson: run.lesson.id, expectation: e, status: .invalid, documented: documented, computed: .nothing,
        message: why)
    }
    guard let tensor = run.tensor(e.reference.name) else {
      let why =
        run.shape(e.reference.name) == nil
        ? "was not computed" : "is declared by shape only: it has no values"
      return invalid("\(e.reference.name) \(why)")
    }
    if let index = e.reference.index, !Shape.contains(index, in: tensor.shape) {
      return invalid("\(e.reference) is outside \(e.reference.name) of shape \(Shape.describe(tensor.shape))")
    }
    let values: [Double] = e.reference.index.map { [tensor[index: $0]] } ?? tensor.values
    switch e.claim {
    case .shape(let shape):
      let actual = e.reference.index == nil ? tensor.shape : []
      return result(actual == shape, .shape(actual))
    case .values(let expected):
      let computed = CheckValue.values(values)
      guard expected.count == values.count else {
        return result(false, computed, "\(expected.count) values expected, \(values.count) computed")
      }
      return result(zip(expected, values).allSatisfy { close($1, $0, e.tolerance) }, computed)
    case .dual(let a, let b):
      guard values.count == 1 else { return result(false, .values(values), "a + bΔ needs one element") }
      let tangent =
        run.tangents[e.reference.name].map { t in e.reference.index.map { t[index: $0] } ?? t.values[0] } ?? 0
      let computed = CheckValue.dual(values[0], tangent)
      return result(close(values[0], a, e.tolerance) && close(tangent, b, e.tolerance), computed)
    case .agrees(let other):
      guard let second = run.tensor(other) else {
        return result(false, .nothing, "\(other) was not computed")
      }
      guard second.shape == tensor.shape, e.reference.index == nil else {
        return result(false, .shape(tensor.shape), "\(other) has shape \(Shape.describe(second.shape))")
      }
      let scale = max(tensor.maxAbs, second.maxAbs, 1)
      let worst = zip(tensor.values, second.values).reduce(0) { max($0, abs($1.0 - $1.1)) }
      let tolerance = e.tolerance ?? 1e-9 * scale
      return result(worst <= tolerance, .difference(worst))
    case .below(let bound):
      return result(values.allSatisfy { $0 < bound }, .values(values))
    case .belowTensor(let other):
      guard let second = run.tensor(other), second.count == 1 || second.count == values.count else {
        return result(
          false, .values(values),
          "\(other) is not a scalar or a tensor of shape \(Shape.describe(tensor.shape))")
      }
      let bounds = second.count == 1 ? Array(repeating: second.values[0], count: values.count) : second.values
      return result(zip(values, bounds).allSatisfy { $0 < $1 }, .against(values, bounds))
    case .statement:
      return invalid("a claim is decided by checkClaim")
    }
  }

  /// Whether `computed` matches `documented` within the tolerance (default: rounding noise).
  static func close(_ computed: Double, _ documented: Double, _ tolerance: Double?) -> Bool {
    abs(computed - documented) <= (tolerance ?? 1e-9 * max(1, abs(documented)))
  }

  static func describe(_ claim: Expectation.Claim) -> CheckValue {
    switch claim {
    case .shape(let shape): .shape(shape)
    case .values(let values): .values(values)
    case .dual(let a, let b): .dual(a, b)
    case .agrees(let other): .agrees(other)
    case .below(let bound): .below(bound)
    case .belowTensor(let other): .belowTensor(other)
    case .statement(let predicate, let implied):
      .predicate((implied ? predicate : predicate.negated).description)
    }
  }
}
