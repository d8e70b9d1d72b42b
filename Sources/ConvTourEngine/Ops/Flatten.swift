/// Flatten: one example's tensor becomes a vector (the VGG post's Flat Layer, f = vec(m)).
///
/// x: [N, d₁, …, d_k] (batched: the first dimension is kept) or [d₁, …, d_k] → [N, d₁·…·d_k]
/// or [d₁·…·d_k]. Two element orders:
/// - `.rowMajor` (PyTorch's `flatten`, the engine's storage order): for an example of shape
///   [C, H, W], element (c, i, j) goes to position (c·H + i)·W + j — column fastest, then
///   row, then channel.
/// - `.vec` (the VGG post's vec(): "the first dimension as the width, the second as the height,
///   and the third as the channel"): the documents' index (i, j, k) = (row, column, channel)
///   with the first index fastest, so (c, i, j) goes to (c·W + j)·H + i — row fastest, then
///   column, then channel. For rank 2, [H, W], the same without the channel; rank 1 is kept.
/// Backward: the inverse permutation of delta.
public struct Flatten: Operation {
  public enum Order: String, Sendable, CaseIterable {
    case rowMajor
    case vec
  }

  public var order: Order
  public var batched: Bool

  public init(order: Order = .rowMajor, batched: Bool = false) {
    self.order = order
    self.batched = batched
  }

  public var name: String { "flatten" }
  public var inputRoles: [String] { ["m"] }
  public var formula: String {
    order == .vec ? "f = vec(m), first index fastest" : "f = flatten(m), last index fastest"
  }
  public var backwardFormula: String { "∂L/∂m = ∂L/∂f put back in m's shape" }

  /// (number of examples, one example's shape).
  func split(_ shape: [Int]) throws -> (Int, [Int]) {
    if batched {
      guard shape.count >= 2 else {
        throw EngineError.invalidShape(
          op: name, shape: shape, reason: "a batched flatten needs [N, …] of rank 2 or more")
      }
      return (shape[0], Array(shape.dropFirst()))
    }
    guard shape.count >= 1 else {
      throw EngineError.invalidShape(op: name, shape: shape, reason: "a scalar has nothing to flatten")
    }
    return (1, shape)
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    let (n, example) = try split(inputShapes[0])
    if order == .vec, example.count > 3 {
      throw EngineError.invalidShape(
        op: name, shape: inputShapes[0], reason: "vec() order is defined for [C, H, W], [H, W] or [n]")
    }
    return batched ? [n, Shape.count(example)] : [Shape.count(example)]
  }

  /// For each position of one flattened example, the row-major offset it reads in the example.
  func permutation(_ example: [Int]) -> [Int] {
    let count = Shape.count(example)
    guard order == .vec, example.count >= 2 else { return Array(0..<count) }
    let (c, h, w) = example.count == 3 ? (example[0], example[1], example[2]) : (1, example[0], example[1])
    var result: [Int] = []
    result.reserveCapacity(count)
    for ch in 0..<c {
      for j in 0..<w {
        for i in 0..<h { result.append((ch * h + i) * w + j) }
      }
    }
    return result
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    let shape = try outputShape(inputs.map(\.shape))
    let (n, example) = try split(inputs[0].shape)
    let size = Shape.count(example)
    let source = permutation(example)
    var f = Tensor(zeros: shape)
    for e in 0..<n {
      for p in 0..<size { f.values[e * size + p] = inputs[0].values[e * size + source[p]] }
    }
    return f
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let (n, example) = try split(inputs[0].shape)
    let size = Shape.count(example)
    let source = permutation(example)
    var dm = Tensor(zeros: inputs[0].shape)
    for e in 0..<n {
      for p in 0..<size { dm.values[e * size + source[p]] = delta.values[e * size + p] }
    }
    return [dm]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let (_, example) = try split(inputs[0].shape)
    let size = Shape.count(example)
    let (e, p) = batched ? (index[0], index[1]) : (0, index[0])
    let offset = e * size + permutation(example)[p]
    let value = inputs[0].values[offset]
    let factor = Factor(input: 0, index: Shape.index(ofOffset: offset, in: inputs[0].shape), value: value)
    return ElementExplanation(
      op: name, output: index, combination: .function("copy"),
      terms: [Term(factors: [factor], value: value)], value: value)
  }
}
