import ConvTourEngine

/// One output element of a step and what made it: the element level of a trace.
public struct ElementTrace: Sendable {
  /// The tensor written and the element's 0-based index.
  public var tensor: String
  public var index: [Int]
  public var value: Double
  public var combination: ElementExplanation.Combination
  public var terms: [TraceTerm]
}

public struct TraceTerm: Sendable {
  public var factors: [TraceFactor]
  public var form: Term.Form
  public var value: Double
}

/// A factor of a term: an element of a lesson tensor, or (for backward steps) a local
/// derivative ∂y(j)/∂x(i), which has no tensor of its own.
public struct TraceFactor: Sendable {
  /// The lesson tensor read, or nil for a local derivative.
  public var tensor: String?
  /// For a local derivative: the output element differentiated, and the input element.
  public var derivative: (output: String, outputIndex: [Int], input: String, inputIndex: [Int])?
  public var index: [Int]
  public var value: Double
  public var isPadding: Bool
}

extension StepRecord {
  /// Whether the step has an element level: forward and backward steps of an op (and, when
  /// asked, Jacobians: one entry ∂y(j)/∂x(i) at a time, as the tour shows them).
  public func hasElements(jacobians: Bool = false) -> Bool {
    guard (reads + writes).allSatisfy({ $0.value != nil }) else { return false }
    switch step.action {
    case .forward, .backward: return true
    case .jacobian: return jacobians
    default: return false
    }
  }

  public var hasElements: Bool { hasElements() }

  /// The step one output element at a time. Forward: the op's terms for each element.
  /// Backward: for each element i of each gradient, one term per path from x(i) to an output
  /// y(j): the upstream gradient δ(j) times the local derivative ∂y(j)/∂x(i)
  /// (∂L/∂x(i) = Σ_j δ(j)·∂y(j)/∂x(i)).
  public func elements() throws -> [ElementTrace] {
    switch step.action {
    case .forward(let op, let inputs, let output):
      let arguments = reads.map(\.tensor)
      let y = writes[0].tensor
      return try (0..<y.count).map { offset in
        let index = Shape.index(ofOffset: offset, in: y.shape)
        let e = try op.explain(arguments, at: index)
        let terms = e.terms.map { term in
          TraceTerm(
            factors: term.factors.map {
              TraceFactor(
                tensor: inputs[$0.input], derivative: nil, index: $0.index, value: $0.value,
                isPadding: $0.isPadding)
            }, form: term.form, value: term.value)
        }
        return ElementTrace(
          tensor: output, index: index, value: y.values[offset], combination: e.combination, terms: terms)
      }
    case .backward(let op, let inputs, let deltaName, let outputs):
      let arguments = reads.prefix(inputs.count).map(\.tensor)
      let delta = reads[inputs.count].tensor
      let y = try op.forward(arguments)
      let jacobians = try Jacobian.matrices(op, inputs: arguments)
      // The paths: output j reads input element (k, i) when its forward terms name it. A path
      // whose local derivative is 0 (a zero weight, a window's loser) is still shown.
      var readers: [[Set<Int>]] = arguments.map { Array(repeating: Set<Int>(), count: $0.count) }
      for j in 0..<y.count {
        let e = try op.explain(arguments, at: Shape.index(ofOffset: j, in: y.shape))
        for factor in e.terms.flatMap(\.factors) where !factor.isPadding && factor.input < arguments.count {
          let x = arguments[factor.input]
          guard Shape.contains(factor.index, in: x.shape) else { continue }
          readers[factor.input][Shape.offset(factor.index, in: x.shape)].insert(j)
        }
      }
      var result: [ElementTrace] = []
      for (k, name) in outputs.enumerated() {
        guard let name, let J = jacobians[k] else { continue }
        let x = arguments[k]
        let gradient = writes.first { $0.name == name }!.tensor
        for i in 0..<x.count {
          let xIndex = Shape.index(ofOffset: i, in: x.shape)
          let reached = (0..<y.count).filter { readers[k][i].contains($0) || J.values[$0 * x.count + i] != 0 }
          let terms = reached.map { j in
            let yIndex = Shape.index(ofOffset: j, in: y.shape)
            let local = J.values[j * x.count + i]
            return TraceTerm(
              factors: [
                TraceFactor(
                  tensor: deltaName, derivative: nil, index: yIndex, value: delta.values[j], isPadding: false),
                TraceFactor(
                  tensor: nil, derivative: (op.name, yIndex, inputs[k], xIndex), index: xIndex, value: local,
                  isPadding: false),
              ], form: .product, value: delta.values[j] * local)
          }
          result.append(
            ElementTrace(
              tensor: name, index: xIndex, value: gradient.values[i], combination: .sum, terms: terms))
        }
      }
      return result
    case .jacobian(let op, let inputs, let k, let output):
      // Entry (j, i) of J is ∂y(j)/∂x(i): row j belongs to output element j, column i to input i.
      let J = writes[0].tensor
      let x = reads[k].tensor
      let yShape = try op.outputShape(reads.prefix(inputs.count).map(\.shape))
      return (0..<J.count).map { offset in
        let (j, i) = (offset / max(1, x.count), offset % max(1, x.count))
        let yIndex = Shape.index(ofOffset: j, in: yShape)
        let xIndex = Shape.index(ofOffset: i, in: x.shape)
        let factor = TraceFactor(
          tensor: nil, derivative: (op.name, yIndex, inputs[k], xIndex), index: xIndex,
          value: J.values[offset],
          isPadding: false)
        return ElementTrace(
          tensor: output, index: [j, i], value: J.values[offset], combination: .sum,
          terms: [TraceTerm(factors: [factor], form: .product, value: J.values[offset])])
      }
    default:
      return []
    }
  }
}
