/// The fraction of examples a network classifies right: z [N, K] are the scores of N examples
/// over K classes, y [N] their classes counted from 0 (PyTorch's labels). An example is right
/// when its largest score (the first of equals: `argmax`) is at its class. Not differentiable.
public struct Accuracy: Operation {
  public init() {}

  public var name: String { "accuracy" }
  public var inputRoles: [String] { ["z", "y"] }
  public var formula: String { "accuracy = (1/N) Σ_n 1(argmax_k z(n, k) = y(n))" }
  public var backwardFormula: String { "none: a count of right answers has no gradient" }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    let (z, y) = (inputShapes[0], inputShapes[1])
    guard z.count == 2, z[0] > 0, z[1] > 0, y == [z[0]] else {
      throw EngineError.shapeMismatch(
        op: name, shapes: [z, y], expected: "scores z [N, K] and one class per example y [N]")
    }
    return []
  }

  /// The class z's row n predicts.
  static func predicted(_ z: Tensor, row n: Int) -> Int {
    let k = z.shape[1]
    var best = 0
    for c in 1..<k where z.values[n * k + c] > z.values[n * k + best] { best = c }
    return best
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    _ = try outputShape(inputs.map(\.shape))
    let (z, y) = (inputs[0], inputs[1])
    let n = z.shape[0]
    let right = (0..<n).filter { Double(Self.predicted(z, row: $0)) == y.values[$0] }.count
    return Tensor(scalar: Double(right) / Double(n))
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    throw EngineError.notDifferentiable(op: name, reason: backwardFormula)
  }

  /// One term per example: 1 when its largest score is at its class, else 0; their mean.
  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let (z, y) = (inputs[0], inputs[1])
    let terms = (0..<z.shape[0]).map { n -> Term in
      let p = Self.predicted(z, row: n)
      let right: Double = Double(p) == y.values[n] ? 1 : 0
      return Term(
        factors: [
          Factor(input: 0, index: [n, p], value: z[index: [n, p]]),
          Factor(input: 1, index: [n], value: y.values[n]),
        ],
        form: .expression("1(argmax z = y)"), value: right)
    }
    return ElementExplanation(
      op: name, output: index, combination: .mean, terms: terms,
      value: terms.reduce(0) { $0 + $1.value } / Double(max(1, terms.count)))
  }
}
