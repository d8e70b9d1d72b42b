/// Elementwise arithmetic of two tensors of the same shape, or of a tensor and a scalar
/// (shape [], which is used for every element).
///
/// a, b: the same shape, or b: [] → c: a's shape.
///   add: c = a + b        ∂L/∂a = δ,        ∂L/∂b = δ
///   subtract: c = a − b   ∂L/∂a = δ,        ∂L/∂b = −δ
///   multiply: c = a ⊙ b   ∂L/∂a = δ ⊙ b,    ∂L/∂b = δ ⊙ a
///   divide: c = a ⊘ b     ∂L/∂a = δ ⊘ b,    ∂L/∂b = −δ ⊙ a ⊘ b²
/// A scalar b receives the sum of its elementwise gradients.
public struct Elementwise: Operation {
  public enum Kind: String, CaseIterable, Sendable {
    case add, subtract, multiply, divide
  }

  public var kind: Kind

  public init(_ kind: Kind) { self.kind = kind }

  public var name: String { kind.rawValue }
  public var inputRoles: [String] { ["a", "b"] }

  var symbol: String {
    switch kind {
    case .add: "+"
    case .subtract: "−"
    case .multiply: "⊙"
    case .divide: "⊘"
    }
  }

  public var formula: String { "c = a \(symbol) b" }
  public var backwardFormula: String {
    switch kind {
    case .add: "∂L/∂a = δ;  ∂L/∂b = δ"
    case .subtract: "∂L/∂a = δ;  ∂L/∂b = −δ"
    case .multiply: "∂L/∂a = δ ⊙ b;  ∂L/∂b = δ ⊙ a"
    case .divide: "∂L/∂a = δ ⊘ b;  ∂L/∂b = −δ ⊙ a ⊘ b²"
    }
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    guard inputShapes[1] == inputShapes[0] || inputShapes[1].isEmpty else {
      throw EngineError.shapeMismatch(
        op: name, shapes: inputShapes, expected: "b of a's shape, or a scalar b")
    }
    return inputShapes[0]
  }

  func apply(_ a: Double, _ b: Double) -> Double {
    switch kind {
    case .add: a + b
    case .subtract: a - b
    case .multiply: a * b
    case .divide: a / b
    }
  }

  /// The b element paired with a's element k.
  @inline(__always)
  func bIndex(_ k: Int, _ b: Tensor) -> Int { b.rank == 0 ? 0 : k }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    _ = try outputShape(inputs.map(\.shape))
    let (a, b) = (inputs[0], inputs[1])
    var c = a
    for k in c.values.indices { c.values[k] = apply(a.values[k], b.values[bIndex(k, b)]) }
    return c
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let (a, b) = (inputs[0], inputs[1])
    var da = Tensor(zeros: a.shape)
    var db = Tensor(zeros: b.shape)
    for k in a.values.indices {
      let (d, x, y) = (delta.values[k], a.values[k], b.values[bIndex(k, b)])
      let (ga, gb): (Double, Double)
      switch kind {
      case .add: (ga, gb) = (d, d)
      case .subtract: (ga, gb) = (d, -d)
      case .multiply: (ga, gb) = (d * y, d * x)
      case .divide: (ga, gb) = (d / y, -d * x / (y * y))
      }
      da.values[k] = ga
      db.values[bIndex(k, b)] += gb
    }
    return [da, db]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let (a, b) = (inputs[0], inputs[1])
    let k = Shape.offset(index, in: a.shape)
    let bAt = b.rank == 0 ? [] : index
    let value = apply(a.values[k], b.values[bIndex(k, b)])
    let term = Term(
      factors: [
        Factor(input: 0, index: index, value: a.values[k]),
        Factor(input: 1, index: bAt, value: b[index: bAt]),
      ],
      form: .infix(symbol), value: value)
    return ElementExplanation(op: name, output: index, combination: .sum, terms: [term], value: value)
  }
}

/// Scaling by a constant: y = k·x.  ∂L/∂x = k·δ.
public struct Scale: Operation {
  public var factor: Double

  public init(_ factor: Double) { self.factor = factor }

  public var name: String { "scale" }
  public var inputRoles: [String] { ["x"] }
  public var formula: String { "y = \(Scale.format(factor))·x" }
  public var backwardFormula: String { "∂L/∂x = \(Scale.format(factor))·δ" }

  /// "2", "−1", "0.5": whole numbers without ".0", and the Unicode minus of the formulas.
  static func format(_ x: Double) -> String {
    let text = x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    return inputShapes[0]
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    try checkInputCount(inputs.map(\.shape))
    return inputs[0].map { factor * $0 }
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    return [delta.map { factor * $0 }]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let x = inputs[0][index: index]
    return ElementExplanation(
      op: name, output: index, combination: .function("\(Scale.format(factor))·x"),
      terms: [Term(factors: [Factor(input: 0, index: index, value: x)], value: x)], value: factor * x)
  }
}
