/// A fully connected layer: z = W·a + b.
///
/// a: [n_in] (one example, a column vector) or [N, n_in] (a batch, one example per row);
/// W: [n_out, n_in]; b: [n_out] (when `hasBias`). z: [n_out] or [N, n_out].
/// Forward:  z(i) = Σ_j W(i, j)·a(j) + b(i)
/// Backward, given delta = ∂L/∂z (the documents' δ):
///   ∂L/∂W = δ·aᵀ   (summed over the batch)
///   ∂L/∂b = δ      (summed over the batch)
///   ∂L/∂a = Wᵀ·δ
public struct FullyConnected: Operation {
  public var hasBias: Bool

  public init(hasBias: Bool = true) { self.hasBias = hasBias }

  public var name: String { "fc" }
  public var inputRoles: [String] { hasBias ? ["a", "W", "b"] : ["a", "W"] }
  public var formula: String { hasBias ? "z = W·a + b" : "z = W·a" }
  public var backwardFormula: String {
    hasBias ? "∂L/∂W = δ·aᵀ;  ∂L/∂b = δ;  ∂L/∂a = Wᵀ·δ" : "∂L/∂W = δ·aᵀ;  ∂L/∂a = Wᵀ·δ"
  }

  /// (examples, n_in, n_out, batched), checked.
  func geometry(_ inputShapes: [[Int]]) throws -> (n: Int, nIn: Int, nOut: Int, batched: Bool) {
    try checkInputCount(inputShapes)
    let (a, W) = (inputShapes[0], inputShapes[1])
    let (n, nIn, batched): (Int, Int, Bool)
    switch a.count {
    case 1: (n, nIn, batched) = (1, a[0], false)
    case 2: (n, nIn, batched) = (a[0], a[1], true)
    default:
      throw EngineError.invalidShape(op: name, shape: a, reason: "a must be [n_in] or [N, n_in]")
    }
    guard W.count == 2, W[1] == nIn else {
      throw EngineError.shapeMismatch(
        op: name, shapes: [a, W], expected: "W of shape [n_out, \(nIn)] for a with \(nIn) elements")
    }
    if hasBias, inputShapes[2] != [W[0]] {
      throw EngineError.shapeMismatch(
        op: name, shapes: [W, inputShapes[2]], expected: "b of shape [\(W[0])], one per output")
    }
    return (n, nIn, W[0], batched)
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    let g = try geometry(inputShapes)
    return g.batched ? [g.n, g.nOut] : [g.nOut]
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    let g = try geometry(inputs.map(\.shape))
    let (a, W) = (inputs[0], inputs[1])
    var z = Tensor(zeros: g.batched ? [g.n, g.nOut] : [g.nOut])
    for e in 0..<g.n {
      for i in 0..<g.nOut {
        var sum = 0.0
        for j in 0..<g.nIn { sum += W.values[i * g.nIn + j] * a.values[e * g.nIn + j] }
        if hasBias { sum += inputs[2].values[i] }
        z.values[e * g.nOut + i] = sum
      }
    }
    return z
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let g = try geometry(inputs.map(\.shape))
    let (a, W) = (inputs[0], inputs[1])
    var da = Tensor(zeros: a.shape)
    var dW = Tensor(zeros: W.shape)
    var db = Tensor(zeros: [g.nOut])
    for e in 0..<g.n {
      for i in 0..<g.nOut {
        let d = delta.values[e * g.nOut + i]
        db.values[i] += d
        for j in 0..<g.nIn {
          dW.values[i * g.nIn + j] += d * a.values[e * g.nIn + j]
          da.values[e * g.nIn + j] += W.values[i * g.nIn + j] * d
        }
      }
    }
    return hasBias ? [da, dW, db] : [da, dW]
  }

  /// z(i) as the products W(i, j)·a(j) along row i of W, then the bias b(i).
  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let g = try geometry(inputs.map(\.shape))
    let (e, i) = g.batched ? (index[0], index[1]) : (0, index[0])
    var terms: [Term] = (0..<g.nIn).map { j in
      .product([
        Factor(input: 1, index: [i, j], value: inputs[1].values[i * g.nIn + j]),
        Factor(input: 0, index: g.batched ? [e, j] : [j], value: inputs[0].values[e * g.nIn + j]),
      ])
    }
    if hasBias { terms.append(.product([Factor(input: 2, index: [i], value: inputs[2].values[i])])) }
    let value = terms.reduce(0) { $0 + $1.value }
    return ElementExplanation(op: name, output: index, combination: .sum, terms: terms, value: value)
  }
}
