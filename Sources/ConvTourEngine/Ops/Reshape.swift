/// Reshape: the same elements in row-major order under a new shape with as many elements.
/// One dimension of `shape` may be −1: it is inferred.
/// Backward: ∂L/∂x is delta under x's shape.
public struct Reshape: Operation {
  public var shape: [Int]

  public init(_ shape: [Int]) { self.shape = shape }

  public var name: String { "reshape" }
  public var inputRoles: [String] { ["x"] }
  public var formula: String { "y = reshape(x, \(Shape.describe(shape))), row-major order kept" }
  public var backwardFormula: String { "∂L/∂x = reshape(∂L/∂y, shape of x)" }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    let count = Shape.count(inputShapes[0])
    let unknown = shape.indices.filter { shape[$0] == -1 }
    let known = shape.filter { $0 != -1 }
    guard unknown.count <= 1, known.allSatisfy({ $0 >= 0 }) else {
      throw EngineError.invalidParameter(
        op: name, reason: "shape \(Shape.describe(shape)) may hold one −1 and no other negative")
    }
    var result = shape
    if let u = unknown.first {
      let rest = Shape.count(known)
      guard rest > 0, count % rest == 0 else {
        throw EngineError.shapeMismatch(
          op: name, shapes: [inputShapes[0], shape], expected: "a shape that divides \(count) elements")
      }
      result[u] = count / rest
    }
    guard Shape.count(result) == count else {
      throw EngineError.shapeMismatch(
        op: name, shapes: [inputShapes[0], shape], expected: "the same number of elements (\(count))")
    }
    return result
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    try inputs[0].reshaped(try outputShape(inputs.map(\.shape)))
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    return [try delta.reshaped(inputs[0].shape)]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    let shape = try checkOutputIndex(index, inputs)
    let offset = Shape.offset(index, in: shape)
    let value = inputs[0].values[offset]
    let factor = Factor(input: 0, index: Shape.index(ofOffset: offset, in: inputs[0].shape), value: value)
    return ElementExplanation(
      op: name, output: index, combination: .function("copy"),
      terms: [Term(factors: [factor], value: value)], value: value)
  }
}
