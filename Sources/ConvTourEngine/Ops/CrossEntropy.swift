import Foundation

/// Cross-entropy of probabilities a against a label distribution y (one-hot for a class).
///
/// a, y: [n] (one example) → L = −Σ_i y_i·log a_i (a scalar, shape []);
/// a, y: [m, n] (a batch)  → J = (1/m)·Σ_e L_e, the batch mean.
/// Backward: ∂L/∂a_i = −y_i / a_i (divided by m for the batch mean). y is a constant (nil).
public struct CrossEntropy: Operation {
  public init() {}

  public var name: String { "cross_entropy" }
  public var inputRoles: [String] { ["a", "y"] }
  public var formula: String { "L = −Σ_i y_i·log a_i;  J = (1/m)·Σ L" }
  public var backwardFormula: String { "∂L/∂a = −y / a  (÷ m for the batch mean)" }

  func geometry(_ inputShapes: [[Int]]) throws -> LossShape {
    try LossShape(inputShapes, op: name, roles: inputRoles)
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    _ = try geometry(inputShapes)
    return []
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    let g = try geometry(inputs.map(\.shape))
    let (a, y) = (inputs[0], inputs[1])
    var total = 0.0
    for k in 0..<(g.m * g.n) where y.values[k] != 0 { total -= y.values[k] * log(a.values[k]) }
    return Tensor(scalar: total / Double(g.m))
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let g = try geometry(inputs.map(\.shape))
    let (a, y) = (inputs[0], inputs[1])
    let scale = delta.values[0] / Double(g.m)
    var da = a
    for k in da.values.indices { da.values[k] = -y.values[k] / a.values[k] * scale }
    return [da, nil]
  }

  /// J as its terms −y_i·log a_i (each ÷ m in a batch); terms with y_i = 0 are 0.
  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let g = try geometry(inputs.map(\.shape))
    let (a, y) = (inputs[0], inputs[1])
    var terms: [Term] = []
    for e in 0..<g.m {
      for i in 0..<g.n {
        let k = e * g.n + i
        let at = g.index(e, i, rank: a.rank)
        let value = y.values[k] == 0 ? 0 : -y.values[k] * log(a.values[k]) / Double(g.m)
        terms.append(
          Term(
            factors: [
              Factor(input: 1, index: at, value: y.values[k]),
              Factor(input: 0, index: at, value: a.values[k]),
            ],
            form: .expression(g.m == 1 ? "−y·log a" : "−y·log a / \(g.m)"), value: value))
      }
    }
    let value = try forward(inputs).values[0]
    return ElementExplanation(op: name, output: index, combination: .sum, terms: terms, value: value)
  }
}
