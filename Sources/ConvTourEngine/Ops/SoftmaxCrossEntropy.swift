import Foundation

/// Softmax and cross-entropy fused: the loss straight from the scores z.
///
/// z, y: [n] → L = −Σ_i y_i·log softmax(z)_i;  z, y: [m, n] → J = (1/m)·Σ_e L_e.
/// Backward: ∂L/∂z = a − y with a = softmax(z) — the product of the softmax Jacobian
/// diag(a) − a·aᵀ and ∂L/∂a = −y/a. In general it is a·Σ_i y_i − y, which is a − y for a
/// one-hot or any y summing to 1. Divided by m for the batch mean. y is a constant (nil).
public struct SoftmaxCrossEntropy: Operation {
  public init() {}

  public var name: String { "softmax_cross_entropy" }
  public var inputRoles: [String] { ["z", "y"] }
  public var formula: String { "L = −Σ_i y_i·log softmax(z)_i;  J = (1/m)·Σ L" }
  public var backwardFormula: String { "∂L/∂z = a − y,  a = softmax(z)  (÷ m for the batch mean)" }

  func geometry(_ inputShapes: [[Int]]) throws -> LossShape {
    try LossShape(inputShapes, op: name, roles: inputRoles)
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    _ = try geometry(inputShapes)
    return []
  }

  /// log softmax of every row: z_i − max z − log Σ_j e^(z_j − max z), stable for large scores.
  static func logSoftmax(_ z: [Double], rows m: Int, columns n: Int) -> [Double] {
    var result = z
    for e in 0..<m {
      let row = z[(e * n)..<((e + 1) * n)]
      let top = row.max() ?? 0
      let logTotal = log(row.reduce(0) { $0 + exp($1 - top) })
      for k in (e * n)..<((e + 1) * n) { result[k] = z[k] - top - logTotal }
    }
    return result
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    let g = try geometry(inputs.map(\.shape))
    let logA = Self.logSoftmax(inputs[0].values, rows: g.m, columns: g.n)
    var total = 0.0
    for k in logA.indices where inputs[1].values[k] != 0 { total -= inputs[1].values[k] * logA[k] }
    return Tensor(scalar: total / Double(g.m))
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let g = try geometry(inputs.map(\.shape))
    let (z, y) = (inputs[0], inputs[1])
    let logA = Self.logSoftmax(z.values, rows: g.m, columns: g.n)
    let scale = delta.values[0] / Double(g.m)
    var dz = z
    for e in 0..<g.m {
      let range = (e * g.n)..<((e + 1) * g.n)
      let ySum = y.values[range].reduce(0, +)
      for k in range { dz.values[k] = (exp(logA[k]) * ySum - y.values[k]) * scale }
    }
    return [dz, nil]
  }

  /// J as its terms −y_i·log a_i with a = softmax(z) (each ÷ m in a batch).
  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let g = try geometry(inputs.map(\.shape))
    let (z, y) = (inputs[0], inputs[1])
    let logA = Self.logSoftmax(z.values, rows: g.m, columns: g.n)
    var terms: [Term] = []
    for e in 0..<g.m {
      for i in 0..<g.n {
        let k = e * g.n + i
        let at = g.index(e, i, rank: z.rank)
        let value = y.values[k] == 0 ? 0 : -y.values[k] * logA[k] / Double(g.m)
        terms.append(
          Term(
            factors: [
              Factor(input: 1, index: at, value: y.values[k]),
              Factor(input: 0, index: at, value: z.values[k]),
            ],
            form: .expression(g.m == 1 ? "−y·log softmax(z)" : "−y·log softmax(z) / \(g.m)"),
            value: value))
      }
    }
    let value = try forward(inputs).values[0]
    return ElementExplanation(op: name, output: index, combination: .sum, terms: terms, value: value)
  }
}
