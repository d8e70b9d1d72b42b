/// Matrix product: C = A·B.
///
/// A: [m, k]; B: [k, n] → C: [m, n], or B: [k] (a column vector) → C: [m].
/// Forward:  C(i, j) = Σ_l A(i, l)·B(l, j)
/// Backward: ∂L/∂A = δ·Bᵀ,  ∂L/∂B = Aᵀ·δ
public struct MatMul: Operation {
  public init() {}

  public var name: String { "matmul" }
  public var inputRoles: [String] { ["A", "B"] }
  public var formula: String { "C(i,j) = Σ_l A(i,l)·B(l,j)" }
  public var backwardFormula: String { "∂L/∂A = δ·Bᵀ;  ∂L/∂B = Aᵀ·δ" }

  /// (m, k, n), with n = 1 for a vector B.
  func geometry(_ inputShapes: [[Int]]) throws -> (m: Int, k: Int, n: Int) {
    try checkInputCount(inputShapes)
    let (A, B) = (inputShapes[0], inputShapes[1])
    guard A.count == 2, B.count == 1 || B.count == 2, B[0] == A[1] else {
      throw EngineError.shapeMismatch(
        op: name, shapes: inputShapes, expected: "A [m, k] and B [k, n] or [k]")
    }
    return (A[0], A[1], B.count == 2 ? B[1] : 1)
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    let g = try geometry(inputShapes)
    return inputShapes[1].count == 2 ? [g.m, g.n] : [g.m]
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    let g = try geometry(inputs.map(\.shape))
    let (A, B) = (inputs[0], inputs[1])
    var C = Tensor(zeros: try outputShape(inputs.map(\.shape)))
    for i in 0..<g.m {
      for j in 0..<g.n {
        var sum = 0.0
        for l in 0..<g.k { sum += A.values[i * g.k + l] * B.values[l * g.n + j] }
        C.values[i * g.n + j] = sum
      }
    }
    return C
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let g = try geometry(inputs.map(\.shape))
    let (A, B) = (inputs[0], inputs[1])
    var dA = Tensor(zeros: A.shape)
    var dB = Tensor(zeros: B.shape)
    for i in 0..<g.m {
      for j in 0..<g.n {
        let d = delta.values[i * g.n + j]
        for l in 0..<g.k {
          dA.values[i * g.k + l] += d * B.values[l * g.n + j]
          dB.values[l * g.n + j] += A.values[i * g.k + l] * d
        }
      }
    }
    return [dA, dB]
  }

  /// C(i, j) as the products along row i of A and column j of B.
  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let g = try geometry(inputs.map(\.shape))
    let vector = inputs[1].rank == 1
    let (i, j) = (index[0], vector ? 0 : index[1])
    let terms = (0..<g.k).map { l in
      Term.product([
        Factor(input: 0, index: [i, l], value: inputs[0].values[i * g.k + l]),
        Factor(input: 1, index: vector ? [l] : [l, j], value: inputs[1].values[l * g.n + j]),
      ])
    }
    return ElementExplanation(
      op: name, output: index, combination: .sum, terms: terms, value: terms.reduce(0) { $0 + $1.value })
  }
}

/// Transpose of a matrix: Aᵀ(j, i) = A(i, j).  ∂L/∂A = δᵀ.
public struct Transpose: Operation {
  public init() {}

  public var name: String { "transpose" }
  public var inputRoles: [String] { ["A"] }
  public var formula: String { "Aᵀ(j,i) = A(i,j)" }
  public var backwardFormula: String { "∂L/∂A = δᵀ" }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    let A = inputShapes[0]
    switch A.count {
    case 1: return [1, A[0]]  // a column vector [k] becomes the row [1, k]
    case 2: return [A[1], A[0]]
    default: throw EngineError.invalidShape(op: name, shape: A, reason: "A must be a matrix or a vector")
    }
  }

  static func transposed(_ t: Tensor, into shape: [Int]) -> Tensor {
    let (rows, columns) = t.rank == 1 ? (t.count, 1) : (t.shape[0], t.shape[1])
    var result = Tensor(zeros: shape)
    for i in 0..<rows {
      for j in 0..<columns { result.values[j * rows + i] = t.values[i * columns + j] }
    }
    return result
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    Transpose.transposed(inputs[0], into: try outputShape(inputs.map(\.shape)))
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    return [
      try Transpose.transposed(delta, into: [delta.shape[1], delta.shape[0]]).reshaped(inputs[0].shape)
    ]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let source = inputs[0].rank == 1 ? [index[1]] : [index[1], index[0]]
    let value = inputs[0][index: source]
    return ElementExplanation(
      op: name, output: index, combination: .function("copy"),
      terms: [Term(factors: [Factor(input: 0, index: source, value: value)], value: value)], value: value)
  }
}

/// The sum of all elements: s = Σ x.  ∂L/∂x = δ everywhere.
public struct Sum: Operation {
  public init() {}

  public var name: String { "sum" }
  public var inputRoles: [String] { ["x"] }
  public var formula: String { "s = Σ x" }
  public var backwardFormula: String { "∂L/∂x = δ (every element)" }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    return []
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    try checkInputCount(inputs.map(\.shape))
    return Tensor(scalar: inputs[0].sum)
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    return [Tensor(zeros: inputs[0].shape, value: delta.values[0])]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let x = inputs[0]
    let terms = x.values.indices.map { k in
      Term(
        factors: [Factor(input: 0, index: Shape.index(ofOffset: k, in: x.shape), value: x.values[k])],
        value: x.values[k])
    }
    return ElementExplanation(op: name, output: index, combination: .sum, terms: terms, value: x.sum)
  }
}
