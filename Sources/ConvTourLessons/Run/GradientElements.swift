import ConvTourEngine

extension LessonRun {
  /// Whether a step has an element level: forward and backward steps and Jacobians (the
  /// record's own), and `grad` and `numgrad`, which need the run's forward steps.
  public func hasElements(_ record: StepRecord) -> Bool {
    switch record.step.action {
    case .gradient(_, let wrt, _, _), .numericGradient(_, let wrt, _, _):
      // After a repeat the tensors hold their last epoch's values, not this step's: no elements.
      let repeats = lesson.steps.contains {
        if case .repeatSteps = $0.action { true } else { false }
      }
      return !repeats && record.reads.allSatisfy { $0.value != nil } && pathCount(wrt) <= Self.mostPaths
    default: return record.hasElements(jacobians: true)
    }
  }

  /// The most paths a `grad` or `numgrad` step lists at element level (one per element of x and
  /// output element of each forward step reading x): beyond it the listing would take seconds
  /// and nobody reads it term by term, so the step keeps its summary.
  static let mostPaths = 200_000

  /// Paths through every forward step that reads `wrt`: x's count × those steps' output counts.
  func pathCount(_ wrt: String) -> Int {
    let n = values[wrt]?.count ?? 0
    var outputs = 0
    for entry in tape where entry.inputs.contains(wrt) { outputs += values[entry.output]?.count ?? 0 }
    let (paths, overflow) = n.multipliedReportingOverflow(by: max(1, outputs))
    return overflow ? Int.max : paths
  }

  /// The step one element at a time. For `grad(L, wrt: x)`: each ∂L/∂x(i) as its sum of paths,
  /// one per output element y(j) of each forward step that reads x: ∂L/∂y(j) · ∂y(j)/∂x(i).
  /// For `numgrad`: each element as (L(x(i) + h) − L(x(i) − h)) / 2h, the forward steps rerun.
  /// `limit` elements from element `start` on, as `StepRecord.elements(from:limit:)` gives them.
  public func elements(_ record: StepRecord, from start: Int = 0, limit: Int = .max) throws -> [ElementTrace]
  {
    let start = max(0, start)
    let end = start + min(limit, Int.max - start)
    switch record.step.action {
    case .gradient(let of, let wrt, let accumulate, let output):
      guard let x = values[wrt], let g = values[output] else { return [] }
      let adjoints = try self.adjoints(of, at: record.step.location)
      var terms = Array(repeating: [TraceTerm](), count: x.count)
      if let accumulate, let earlier = values[accumulate] {
        // Accumulated: the gradient so far comes first, then this pass's paths.
        for i in terms.indices {
          let index = Shape.index(ofOffset: i, in: x.shape)
          let factor = TraceFactor(
            tensor: accumulate, derivative: nil, index: index, value: earlier.values[i], isPadding: false)
          terms[i].append(TraceTerm(factors: [factor], form: .product, value: earlier.values[i]))
        }
      }
      for (op, inputs, y) in tape {
        guard let delta = adjoints[y] else { continue }
        let arguments = try values.tensors(inputs)
        for (k, name) in inputs.enumerated() where name == wrt {
          let paths = try StepRecord.paths(
            op, arguments, names: inputs, input: k, output: y, delta: delta, deltaName: "∂\(of.name)/∂\(y)")
          for i in paths.indices { terms[i] += paths[i] }
        }
      }
      return (min(start, x.count)..<min(x.count, end)).map { i in
        ElementTrace(
          tensor: output, index: Shape.index(ofOffset: i, in: x.shape), value: g.values[i], combination: .sum,
          terms: terms[i])
      }
    case .numericGradient(let of, let wrt, let h, let output):
      guard let x = values[wrt], let g = values[output] else { return [] }
      return try (min(start, x.count)..<min(x.count, end)).map { i in
        let (up, down) = try nudged(of, wrt, element: i, step: h, at: record.step.location)
        let index = Shape.index(ofOffset: i, in: x.shape)
        let at = index.isEmpty ? wrt : "\(wrt)[\(index.map { String($0 + 1) }.joined(separator: ", "))]"
        let factors = [
          TraceFactor(tensor: "\(of) at \(at) + h", derivative: nil, index: [], value: up, isPadding: false),
          TraceFactor(
            tensor: "\(of) at \(at) − h", derivative: nil, index: [], value: down, isPadding: false),
          TraceFactor(tensor: "L⁺ − L⁻", derivative: nil, index: [], value: up - down, isPadding: false),
          TraceFactor(tensor: "h", derivative: nil, index: [], value: h, isPadding: false),
        ]
        let term = TraceTerm(factors: factors, form: .expression("(L⁺ − L⁻) / 2h"), value: g.values[i])
        return ElementTrace(
          tensor: output, index: index, value: g.values[i], combination: .sum, terms: [term])
      }
    default:
      return try record.elements(from: start, limit: limit)
    }
  }

  /// How many elements the step has at element level: a gradient's, or the record's own count.
  public func elementCount(_ record: StepRecord) -> Int {
    switch record.step.action {
    case .gradient(_, let wrt, _, _), .numericGradient(_, let wrt, _, _):
      hasElements(record) ? values[wrt]?.count ?? 0 : 0
    default: record.elementCount
    }
  }
}
