/// Squared error, in both forms the documents use.
///
/// - `.plain`, the textbook's (001, 11.2.2): L = Σ_i (y_i − o_i)²;  ∂L/∂o = −2(y − o).
/// - `.half`, the backprop notes' (003): J = ½·Σ_i (Y_i − h_i)²;   ∂J/∂h = −(Y − h) = h − Y.
/// o and y: [] or [n] (one example) or [m, n] (a batch: the mean over the m examples).
/// y is a constant (nil).
public struct SquaredError: Operation {
  public enum Form: String, Sendable, CaseIterable {
    case plain
    case half
  }

  public var form: Form

  public init(_ form: Form = .plain) { self.form = form }

  public var name: String { form == .plain ? "squared_error" : "half_squared_error" }
  public var inputRoles: [String] { form == .plain ? ["o", "y"] : ["h", "Y"] }
  public var formula: String { form == .plain ? "L = Σ (y − o)²" : "J = ½·Σ (Y − h)²" }
  public var backwardFormula: String { form == .plain ? "∂L/∂o = −2(y − o)" : "∂J/∂h = −(Y − h)" }

  var factor: Double { form == .plain ? 1 : 0.5 }

  func geometry(_ inputShapes: [[Int]]) throws -> LossShape {
    try LossShape(inputShapes, op: name, roles: inputRoles)
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    _ = try geometry(inputShapes)
    return []
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    let g = try geometry(inputs.map(\.shape))
    var total = 0.0
    for k in inputs[0].values.indices {
      let d = inputs[1].values[k] - inputs[0].values[k]
      total += factor * d * d
    }
    return Tensor(scalar: total / Double(g.m))
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let g = try geometry(inputs.map(\.shape))
    let scale = delta.values[0] / Double(g.m)
    var dOut = inputs[0]
    for k in dOut.values.indices {
      dOut.values[k] = -2 * factor * (inputs[1].values[k] - inputs[0].values[k]) * scale
    }
    return [dOut, nil]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let g = try geometry(inputs.map(\.shape))
    let (o, y) = (inputs[0], inputs[1])
    let (outRole, labelRole) = (inputRoles[0], inputRoles[1])
    let base = form == .plain ? "(\(labelRole) − \(outRole))²" : "½(\(labelRole) − \(outRole))²"
    var terms: [Term] = []
    for e in 0..<g.m {
      for i in 0..<g.n {
        let k = e * g.n + i
        let at = g.index(e, i, rank: o.rank)
        let d = y.values[k] - o.values[k]
        terms.append(
          Term(
            factors: [
              Factor(input: 1, index: at, value: y.values[k]),
              Factor(input: 0, index: at, value: o.values[k]),
            ],
            form: .expression(g.m == 1 ? base : "\(base) / \(g.m)"), value: factor * d * d / Double(g.m)))
      }
    }
    let value = try forward(inputs).values[0]
    return ElementExplanation(op: name, output: index, combination: .sum, terms: terms, value: value)
  }
}
