import ConvTourEngine
import Testing

/// Every op's backward against central finite differences (the textbook's delta method),
/// in double precision: max relative error ≤ 1e-6.
@Suite("Finite-difference gradient checks")
struct GradientCheckTests {
  static let tolerance = 1e-6

  /// Checks every input of `op` that has a gradient, with a random weighting of the output.
  func check(
    _ op: any Operation, _ inputs: [Tensor], seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation
  )
    throws
  {
    var random = Random(seed)
    let w = random.tensor(try op.outputShape(inputs.map(\.shape)))
    let results = try GradientCheck.compare(op, inputs: inputs, weights: w)
    #expect(!results.isEmpty, "\(op.name) returned no gradient", sourceLocation: sourceLocation)
    for (role, error) in results {
      #expect(
        error <= Self.tolerance, "\(op.name) ∂L/∂\(role): relative error \(error)",
        sourceLocation: sourceLocation)
    }
  }

  @Test(
    "convolution",
    arguments: [
      // (x shape, W shape, stride, padding, bias)
      ([2, 3, 5, 5], [4, 3, 3, 3], 1, 0, true),
      ([1, 2, 6, 7], [3, 2, 3, 3], 2, 1, true),
      ([3, 1, 7, 5], [2, 1, 2, 4], 1, 2, false),
      ([2, 6, 6], [2, 2, 3, 2], 2, 0, true),  // unbatched, non-square filter
      ([1, 1, 1, 9], [1, 1, 1, 3], 1, 0, true),  // the 1-D case: height 1
    ] as [([Int], [Int], Int, Int, Bool)])
  func convolution(x: [Int], W: [Int], stride: Int, padding: Int, bias: Bool) throws {
    var random = Random(UInt64(x.reduce(7, *) + stride * 31 + padding))
    let op = Convolution(stride: stride, padding: padding, hasBias: bias)
    var inputs = [random.tensor(x), random.tensor(W)]
    if bias { inputs.append(random.tensor([W[0]])) }
    try check(op, inputs, seed: 1)
  }

  @Test("zero padding", arguments: [([2, 3, 4, 5], 1), ([2, 3, 3], 2), ([1, 1, 2, 2], 0)])
  func zeroPad(x: [Int], p: Int) throws {
    var random = Random(2)
    try check(ZeroPad(p), [random.tensor(x)], seed: 3)
    try check(ZeroPad(padding: Extent2D(0, 2)), [random.tensor(x)], seed: 4)
  }

  @Test("activations", arguments: [Activation.Kind.relu, .sigmoid, .tanh, .identity])
  func activation(kind: Activation.Kind) throws {
    var random = Random(5)
    try check(Activation(kind), [random.awayFromZero([2, 3, 4])], seed: 6)
  }

  @Test("the Heaviside step has no backward")
  func step() throws {
    let z = try Tensor(shape: [3], values: [-1, 0, 2])
    let op = Activation(.step)
    #expect(try op.forward([z]).values == [0, 0, 1])
    #expect(throws: EngineError.self) { try op.backward([z], output: z, delta: z) }
  }

  @Test("max-pool", arguments: [([2, 3, 6, 6], 2, 2), ([1, 2, 7, 5], 3, 2), ([2, 5, 5], 2, 1)])
  func maxPool(x: [Int], window: Int, stride: Int) throws {
    var random = Random(7)
    try check(MaxPool(window: window, stride: stride), [random.distinct(x)], seed: 8)
  }

  @Test("mean-pool", arguments: [([2, 3, 6, 6], 2, 2), ([1, 2, 7, 5], 3, 2)])
  func meanPool(x: [Int], window: Int, stride: Int) throws {
    var random = Random(9)
    try check(MeanPool(window: window, stride: stride), [random.tensor(x)], seed: 10)
  }

  @Test("flatten and reshape")
  func flattenAndReshape() throws {
    var random = Random(11)
    for order in Flatten.Order.allCases {
      try check(Flatten(order: order), [random.tensor([3, 4, 2])], seed: 12)
      try check(Flatten(order: order, batched: true), [random.tensor([2, 3, 4, 2])], seed: 13)
    }
    try check(Reshape([4, -1]), [random.tensor([2, 3, 4])], seed: 14)
  }

  @Test("fully connected", arguments: [([4], true), ([3, 5], true), ([3, 5], false)])
  func fullyConnected(a: [Int], bias: Bool) throws {
    var random = Random(15)
    let nOut = 3
    var inputs = [random.tensor(a), random.tensor([nOut, a.last!])]
    if bias { inputs.append(random.tensor([nOut])) }
    try check(FullyConnected(hasBias: bias), inputs, seed: 16)
  }

  @Test("softmax", arguments: [[5], [3, 4]])
  func softmax(z: [Int]) throws {
    var random = Random(17)
    try check(Softmax(), [random.tensor(z, -2...2)], seed: 18)
  }

  @Test("losses", arguments: [[4], [3, 4]])
  func losses(shape: [Int]) throws {
    var random = Random(19)
    let y = random.distributions(shape)
    try check(CrossEntropy(), [random.distributions(shape), y], seed: 20)
    try check(SoftmaxCrossEntropy(), [random.tensor(shape, -2...2), y], seed: 21)
    try check(SquaredError(.plain), [random.tensor(shape), random.tensor(shape)], seed: 22)
    try check(SquaredError(.half), [random.tensor(shape), random.tensor(shape)], seed: 23)
  }

  @Test("the loss gradient a − y holds for a one-hot label")
  func softmaxCrossEntropyGradientIsAMinusY() throws {
    let z = try Tensor(shape: [3], values: [3, 0, 1])
    let y = try Tensor(shape: [3], values: [0, 1, 0])
    let a = try Softmax().forward([z])
    let dz = try SoftmaxCrossEntropy().backward([z, y], output: Tensor(scalar: 0), delta: Tensor(scalar: 1))[
      0]!
    expectClose(dz, try a.zipWith(y, op: "−", -), relative: 1e-15, "∂L/∂z")
    // The same through the explicit Jacobian and ∂L/∂a = −y/a.
    let J = try Softmax.jacobian(a)
    let dLda = try CrossEntropy().backward([a, y], output: Tensor(scalar: 0), delta: Tensor(scalar: 1))[0]!
    let chained = try FullyConnected(hasBias: false).forward([dLda, J])  // Jᵀ·∂L/∂a, J symmetric
    expectClose(chained, dz, relative: 1e-14, "Jacobian chain")
  }

  @Test("elementwise arithmetic, scale, matrix product, transpose, sum")
  func arithmetic() throws {
    var random = Random(25)
    for kind in Elementwise.Kind.allCases {
      try check(Elementwise(kind), [random.tensor([2, 3]), random.tensor([2, 3], 0.5...2)], seed: 26)
      try check(Elementwise(kind), [random.tensor([2, 3]), random.tensor([], 0.5...2)], seed: 27)
    }
    try check(Scale(-2.5), [random.tensor([4])], seed: 28)
    try check(MatMul(), [random.tensor([2, 3]), random.tensor([3, 4])], seed: 29)
    try check(MatMul(), [random.tensor([2, 3]), random.tensor([3])], seed: 30)
    try check(Transpose(), [random.tensor([2, 3])], seed: 31)
    try check(Transpose(), [random.tensor([3])], seed: 32)
    try check(Sum(), [random.tensor([2, 3])], seed: 33)
  }

  /// The check itself can fail: a backward that forgets a factor is caught.
  @Test("a wrong backward fails the check")
  func wrongBackwardIsCaught() throws {
    struct HalfGradientSigmoid: Operation {
      let inner = Activation(.sigmoid)
      var name: String { "wrong-sigmoid" }
      var inputRoles: [String] { ["z"] }
      var formula: String { inner.formula }
      var backwardFormula: String { "∂L/∂z = ½·(the right answer)" }
      func outputShape(_ inputShapes: [[Int]]) throws -> [Int] { try inner.outputShape(inputShapes) }
      func forward(_ inputs: [Tensor]) throws -> Tensor { try inner.forward(inputs) }
      func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
        try inner.backward(inputs, output: output, delta: delta).map { $0?.map { $0 / 2 } }
      }
      func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
        try inner.explain(inputs, at: index)
      }
    }
    var random = Random(24)
    let z = random.tensor([3, 4])
    let results = try GradientCheck.compare(
      HalfGradientSigmoid(), inputs: [z], weights: random.tensor([3, 4]))
    #expect(results.count == 1)
    #expect(results[0].error > 0.1)
  }
}
