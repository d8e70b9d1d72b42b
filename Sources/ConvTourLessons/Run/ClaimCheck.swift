import ConvTourEngine

/// Deciding a claim of a document: measure what its predicate reads in the run, see whether the
/// predicate holds, and compare with what the document implies.
extension Checker {
  static func checkClaim(
    _ e: Expectation, predicate: Predicate, implied: Bool, in run: LessonRun
  ) -> CheckResult {
    let stated = implied ? predicate : predicate.negated
    let documented = CheckValue.predicate(stated.description)
    func result(_ status: CheckResult.Status, _ computed: CheckValue, _ message: String) -> CheckResult {
      CheckResult(
        lesson: run.lesson.id, expectation: e, status: status, documented: documented, computed: computed,
        message: message)
    }
    var values: [Double] = []
    for measure in predicate.measures {
      switch run.measure(measure) {
      case .success(let value): values.append(value)
      case .failure(let problem): return result(.invalid, .nothing, "\(measure): \(problem.reason)")
      }
    }
    let right: Double
    if case .number(let x) = predicate.right { right = x } else { right = values[1] }
    let holds = stated.relation.holds(values[0], right, tolerance: stated.tolerance)
    let computed = CheckValue.measured(
      names: predicate.measures.map(\.description), values: values, holds: holds)
    switch (holds, e.erratum) {
    case (true, nil): return result(.pass, computed, "")
    case (true, .some):
      return result(.fail, computed, "recorded as an erratum, but the computation agrees with the document")
    case (false, nil): return result(.fail, computed, "")
    case (false, .some(let why)): return result(.erratum, computed, why)
    }
  }
}

/// Why a measure cannot be taken.
public struct MeasureProblem: Error, Sendable {
  public var reason: String
}

extension LessonRun {
  /// The quantity a claim measures, or why it cannot be measured in this run.
  public func measure(_ measure: Measure) -> Result<Double, MeasureProblem> {
    func valued(_ name: String) -> Result<Tensor, MeasureProblem> {
      if let t = tensor(name) { return .success(t) }
      let why = shape(name) == nil ? "was not computed" : "is declared by shape only: it has no values"
      return .failure(MeasureProblem(reason: "\(name) \(why)"))
    }
    switch measure {
    case .value(let reference):
      return valued(reference.name).flatMap { t in
        if let index = reference.index {
          guard Shape.contains(index, in: t.shape) else {
            return .failure(
              MeasureProblem(
                reason: "\(reference) is outside \(reference.name) of shape \(Shape.describe(t.shape))"))
          }
          return .success(t[index: index])
        }
        guard t.count == 1 else {
          return .failure(
            MeasureProblem(
              reason: "\(reference.name) has \(t.count) elements: name one, as \(reference.name)[1]"))
        }
        return .success(t.values[0])
      }
    case .count(let name):
      guard let s = shape(name) else { return .failure(MeasureProblem(reason: "\(name) was not computed")) }
      return .success(Double(Shape.count(s)))
    case .rows(let name):
      guard let s = shape(name) else { return .failure(MeasureProblem(reason: "\(name) was not computed")) }
      return .success(Double(s.first ?? 1))
    case .nonzero(let name):
      return valued(name).map { Double($0.values.filter { $0 != 0 }.count) }
    case .nonzeroRows(let name):
      return valued(name).map { t in
        let rows = t.shape.first ?? 1
        let width = rows == 0 ? 0 : t.count / rows
        return Double(
          (0..<rows).filter { r in t.values[r * width..<(r + 1) * width].contains { $0 != 0 } }.count)
      }
    case .lines(let name, let word):
      guard let listing = lesson.listings.first(where: { $0.name == name }) else {
        return .failure(MeasureProblem(reason: "no listing \(name)"))
      }
      return .success(Double(listing.lines(containing: word)))
    case .firstLine(let name, let word):
      guard let listing = lesson.listings.first(where: { $0.name == name }) else {
        return .failure(MeasureProblem(reason: "no listing \(name)"))
      }
      guard let line = listing.firstLine(containing: word) else {
        return .failure(MeasureProblem(reason: "no line of \(name) contains \(Measure.written(word))"))
      }
      return .success(Double(line))
    }
  }

  /// The step after which everything the expectation reads exists: 0 for the declared tensors,
  /// else the step that wrote the last of them (the step a trace or the tour shows it beside).
  /// A claim that reads only listings is shown at the step above it in the file.
  public func stepDeciding(_ e: Expectation) -> Int {
    var names = [e.reference.name]
    if case .statement(let predicate, _) = e.claim {
      names = predicate.measures.compactMap(\.tensor)
      if names.isEmpty {
        return records.last { $0.step.location.line < e.location.line }?.number ?? 0
      }
    }
    return names.map { name in records.last { $0.writes.contains { $0.name == name } }?.number ?? 0 }.max()
      ?? 0
  }
}
