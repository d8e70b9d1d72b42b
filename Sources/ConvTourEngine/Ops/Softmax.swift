import Foundation

/// Softmax over the last dimension: a = softmax(z).
///
/// z: [n] (one example) or [N, n] (a batch, one example per row) → a of the same shape.
/// Forward:  a_i = e^(z_i) / Σ_j e^(z_j), computed as e^(z_i − max z) / Σ_j e^(z_j − max z) —
///           the same numbers, since softmax(z + c) = softmax(z) (shift invariance).
/// Jacobian: ∂a_i/∂z_j = a_i(1(i = j) − a_j), i.e. diag(a) − a·aᵀ: a_i(1 − a_i) on the
///           diagonal and −a_i·a_j off it.
/// Backward: ∂L/∂z = Jᵀ·δ, which is a ⊙ (δ − ⟨δ, a⟩) for this symmetric J.
public struct Softmax: Operation {
  public init() {}

  public var name: String { "softmax" }
  public var inputRoles: [String] { ["z"] }
  public var formula: String { "a_i = e^(z_i) / Σ_j e^(z_j)" }
  public var backwardFormula: String {
    "∂L/∂z = (diag(a) − a·aᵀ)·∂L/∂a = a ⊙ (∂L/∂a − ⟨∂L/∂a, a⟩)"
  }

  /// (rows, row length), checked.
  func rows(_ shape: [Int]) throws -> (Int, Int) {
    switch shape.count {
    case 1 where shape[0] > 0: return (1, shape[0])
    case 2 where shape[1] > 0: return (shape[0], shape[1])
    default:
      throw EngineError.invalidShape(
        op: name, shape: shape, reason: "z must be a non-empty [n] or [N, n]")
    }
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    _ = try rows(inputShapes[0])
    return inputShapes[0]
  }

  /// softmax of one row, shifted by its maximum so that e^(·) cannot overflow.
  static func row(_ z: ArraySlice<Double>) -> [Double] {
    let top = z.max() ?? 0
    let e = z.map { exp($0 - top) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    try checkInputCount(inputs.map(\.shape))
    let (count, n) = try rows(inputs[0].shape)
    var a = inputs[0]
    for r in 0..<count {
      let range = (r * n)..<((r + 1) * n)
      a.values.replaceSubrange(range, with: Softmax.row(inputs[0].values[range]))
    }
    return a
  }

  /// The explicit Jacobian ∂a/∂z = diag(a) − a·aᵀ of one example, from its softmax output a
  /// ([n]): an [n, n] tensor with J(i, j) = ∂a_i/∂z_j.
  public static func jacobian(_ a: Tensor) throws -> Tensor {
    guard a.rank == 1 else {
      throw EngineError.invalidShape(
        op: "softmax Jacobian", shape: a.shape, reason: "a must be one example's vector [n]")
    }
    let n = a.count
    var J = Tensor(zeros: [n, n])
    for i in 0..<n {
      for j in 0..<n { J.values[i * n + j] = (i == j ? a.values[i] : 0) - a.values[i] * a.values[j] }
    }
    return J
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let (count, n) = try rows(inputs[0].shape)
    let a = try forward(inputs)
    var dz = delta
    for r in 0..<count {
      let range = (r * n)..<((r + 1) * n)
      let dot = zip(delta.values[range], a.values[range]).reduce(0) { $0 + $1.0 * $1.1 }
      for i in range { dz.values[i] = a.values[i] * (delta.values[i] - dot) }
    }
    return [dz]
  }

  /// a_i as e^(z_i) over the sum of e^(z_j) along its row. The terms show e^(z_j) unshifted
  /// when that is finite, as the documents write them.
  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let z = inputs[0]
    let (e, i) = z.rank == 2 ? (index[0], index[1]) : (0, index[0])
    let n = z.shape.last!
    let terms = (0..<n).map { j in
      let zj = z.values[e * n + j]
      return Term(
        factors: [Factor(input: 0, index: z.rank == 2 ? [e, j] : [j], value: zj)],
        form: .expression("e^z"), value: exp(zj))
    }
    let a = try forward(inputs)
    return ElementExplanation(
      op: name, output: index, combination: .normalized(numerator: i), terms: terms,
      value: a.values[e * n + i])
  }
}
