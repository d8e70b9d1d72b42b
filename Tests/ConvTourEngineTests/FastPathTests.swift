import ConvTourEngine
import Testing

/// The fast path (Float32, im2col + OpenBLAS) against the reference path (Double, plain loops):
/// agreement within 1e-4, relative to each tensor's largest value.
@Suite("Fast path agrees with the reference path")
struct FastPathTests {
  static let tolerance = 1e-4

  /// Random shapes: stride 1 and 2, padding 0, 1 and 2, non-square inputs and filters,
  /// several channels and batch sizes.
  static let convolutionCases: [(x: [Int], W: [Int], stride: Int, padding: Int)] = {
    var random = SeededRandom(seed: 2024)
    var cases: [(x: [Int], W: [Int], stride: Int, padding: Int)] = []
    for stride in [1, 2] {
      for padding in [0, 1, 2] {
        for _ in 0..<3 {
          let n = Int(random.next() % 3) + 1
          let c = Int(random.next() % 4) + 1
          let k = Int(random.next() % 5) + 1
          let fh = Int(random.next() % 3) + 1
          let fw = Int(random.next() % 4) + 1
          let h = fh + Int(random.next() % 7)
          let w = fw + Int(random.next() % 9) + 1
          cases.append(([n, c, h, w], [k, c, fh, fw], stride, padding))
        }
      }
    }
    cases.append(([2, 3, 8, 8], [4, 3, 3, 3], 1, 1))  // a VGG-style same convolution
    return cases
  }()

  /// ∂L/∂x, ∂L/∂W and ∂L/∂b of the fast convolution against the reference, for a random δ.
  static func expectSameGradients(
    _ fast: FastConvolution, _ reference: Convolution, x: Tensor, W: Tensor, b: Tensor, z: Tensor,
    random: inout Random, _ what: String
  ) throws {
    let delta = random.tensor(z.shape)
    let grads = try reference.backward([x, W, b], output: z, delta: delta)
    let fastGrads = try fast.backward(x: Tensor32(x), W: Tensor32(W), delta: Tensor32(delta))
    expectClose(Tensor(fastGrads.dx), grads[0]!, relative: tolerance, "∂L/∂x of \(what)")
    expectClose(Tensor(fastGrads.dW), grads[1]!, relative: tolerance, "∂L/∂W of \(what)")
    expectClose(Tensor(fastGrads.db), grads[2]!, relative: tolerance, "∂L/∂b of \(what)")
  }

  @Test("convolution forward and backward on random shapes")
  func convolution() throws {
    var random = Random(31)
    for (xShape, wShape, stride, padding) in Self.convolutionCases {
      let what = "x \(xShape) W \(wShape) stride \(stride) padding \(padding)"
      let x = random.tensor(xShape)
      let W = random.tensor(wShape)
      let b = random.tensor([wShape[0]])
      let reference = Convolution(stride: stride, padding: padding)
      let fast = FastConvolution(stride: stride, padding: padding)

      let z = try reference.forward([x, W, b])
      let z32 = try fast.forward(x: Tensor32(x), W: Tensor32(W), b: Tensor32(b))
      expectClose(Tensor(z32), z, relative: Self.tolerance, "z of \(what)")

      try Self.expectSameGradients(fast, reference, x: x, W: W, b: b, z: z, random: &random, what)
    }
  }

  @Test("convolution in tiles of pixels and groups of channels agrees", arguments: [1, 2, 3])
  func tiledConvolution(workers: Int) throws {
    try FastPath.withWorkers(workers) { try tiledConvolution(workersChecked: workers) }
  }

  func tiledConvolution(workersChecked workers: Int) throws {
    #expect(FastPath.workers == workers)
    var random = Random(37)
    for (xShape, wShape, stride, padding) in [
      ([2, 5, 17, 13], [6, 5, 3, 3], 1, 1), ([1, 4, 16, 19], [3, 4, 2, 3], 2, 2),
      ([1, 2, 9, 9], [4, 2, 3, 3], 1, 0),
      // 32 channels or more, stride 1: ∂L/∂x as a convolution of δ with the turned filters.
      ([2, 33, 9, 11], [5, 33, 2, 3], 1, 1), ([1, 32, 7, 8], [4, 32, 3, 3], 1, 2),
    ] {
      let x = random.tensor(xShape)
      let W = random.tensor(wShape)
      let b = random.tensor([wShape[0]])
      let reference = Convolution(stride: stride, padding: padding)
      var fast = FastConvolution(stride: stride, padding: padding)
      fast.scratchFloats = 200  // tiles of a few dozen pixels, one channel per group
      let z = try reference.forward([x, W, b])
      let what = "x \(xShape) W \(wShape), \(workers) workers"
      expectClose(
        Tensor(try fast.forward(x: Tensor32(x), W: Tensor32(W), b: Tensor32(b))), z, relative: Self.tolerance,
        "z of \(what)")
      let relu = try fast.forward(x: Tensor32(x), W: Tensor32(W), b: Tensor32(b), relu: true)
      expectClose(
        Tensor(relu), try Activation(.relu).forward([z]), relative: Self.tolerance, "relu(z) of \(what)")
      try Self.expectSameGradients(fast, reference, x: x, W: W, b: b, z: z, random: &random, what)
    }
  }

  @Test("convolution spreads its channels over several threads and still agrees")
  func wideConvolution() throws {
    var random = Random(32)
    let x = random.tensor([1, 64, 12, 12])
    let W = random.tensor([16, 64, 3, 3])
    let delta = random.tensor([1, 16, 12, 12])
    let reference = Convolution(stride: 1, padding: 1, hasBias: false)
    let fast = FastConvolution(stride: 1, padding: 1)
    let z = try reference.forward([x, W])
    expectClose(
      Tensor(try fast.forward(x: Tensor32(x), W: Tensor32(W), b: nil)), z, relative: Self.tolerance, "z")
    let grads = try reference.backward([x, W], output: z, delta: delta)
    let fastGrads = try fast.backward(x: Tensor32(x), W: Tensor32(W), delta: Tensor32(delta), hasBias: false)
    #expect(fastGrads.db == nil)
    expectClose(Tensor(fastGrads.dx), grads[0]!, relative: Self.tolerance, "∂L/∂x")
    expectClose(Tensor(fastGrads.dW), grads[1]!, relative: Self.tolerance, "∂L/∂W")
  }

  @Test("activations", arguments: [Activation.Kind.relu, .sigmoid, .tanh, .identity])
  func activation(kind: Activation.Kind) throws {
    var random = Random(33)
    let z = random.tensor([2, 3, 5, 4])
    let delta = random.tensor(z.shape)
    let reference = Activation(kind)
    let fast = FastActivation(kind)
    expectClose(Tensor(fast.forward(Tensor32(z))), try reference.forward([z]), relative: Self.tolerance, "a")
    let dz = try reference.backward([z], output: z, delta: delta)[0]!
    expectClose(
      Tensor(try fast.backward(z: Tensor32(z), delta: Tensor32(delta))), dz, relative: Self.tolerance, "∂L/∂z"
    )
  }

  /// 2×2 windows with stride 2 take a vectorized path (four windows at a time, the rest one by
  /// one): even and odd sizes, rows of 4, 5 and 9 windows.
  @Test(
    "max-pool",
    arguments: [
      ([2, 3, 6, 6], 2, 2), ([1, 4, 9, 7], 3, 2), ([3, 5, 5], 2, 1), ([2, 3, 8, 18], 2, 2),
      ([1, 2, 9, 11], 2, 2),
      ([3, 10, 8], 2, 2),
    ])
  func maxPool(x xShape: [Int], window: Int, stride: Int) throws {
    var random = Random(34)
    let x = random.distinct(xShape)
    let reference = MaxPool(window: window, stride: stride)
    let fast = FastMaxPool(window: window, stride: stride)
    let m = try reference.forward([x])
    let (m32, winners) = try fast.forward(Tensor32(x))
    expectClose(Tensor(m32), m, relative: Self.tolerance, "m")
    #expect(winners.map(Int.init) == (try reference.winners(x)))
    let delta = random.tensor(m.shape)
    let dx = try reference.backward([x], output: m, delta: delta)[0]!
    let dx32 = try fast.backward(xShape: xShape, winners: winners, delta: Tensor32(delta))
    expectClose(Tensor(dx32), dx, relative: Self.tolerance, "∂L/∂x")
    #expect(try fast.forward(Tensor32(x), winners: false) == (m32, []))
  }

  /// Equal values in a window: the first in row-major order wins, on every path.
  @Test("max-pool ties go to the first maximum", arguments: [(2, 2), (3, 2)])
  func maxPoolTies(window: Int, stride: Int) throws {
    var random = Random(37)
    let x = random.tensor([2, 3, 10, 18], 0...2).map { $0.rounded() }
    let (m32, winners) = try FastMaxPool(window: window, stride: stride).forward(Tensor32(x))
    let reference = MaxPool(window: window, stride: stride)
    expectClose(Tensor(m32), try reference.forward([x]), relative: 0, "m")
    #expect(winners.map(Int.init) == (try reference.winners(x)))
  }

  /// Batch 1 takes matrix–vector products (sgemv and an outer product), larger batches sgemm.
  /// At 1–3 workers, including more workers than output units or inputs.
  @Test(
    "fully connected", arguments: [(1, 7, 5), (4, 25, 9), (1, 301, 67), (2, 33, 17), (1, 2, 2), (3, 2, 1)])
  func fullyConnected(n: Int, nIn: Int, nOut: Int) throws {
    for workers in 1...3 {
      try FastPath.withWorkers(workers) { try fullyConnected(n: n, nIn: nIn, nOut: nOut, workers: workers) }
    }
  }

  func fullyConnected(n: Int, nIn: Int, nOut: Int, workers: Int) throws {
    var random = Random(35)
    let a = random.tensor([n, nIn])
    let W = random.tensor([nOut, nIn])
    let b = random.tensor([nOut])
    let reference = FullyConnected()
    let z = try reference.forward([a, W, b])
    let fast = FastFullyConnected()
    expectClose(
      Tensor(try fast.forward(a: Tensor32(a), W: Tensor32(W), b: Tensor32(b))), z, relative: Self.tolerance,
      "z")
    let delta = random.tensor(z.shape)
    let grads = try reference.backward([a, W, b], output: z, delta: delta)
    let fastGrads = try fast.backward(a: Tensor32(a), W: Tensor32(W), delta: Tensor32(delta))
    expectClose(Tensor(fastGrads.da), grads[0]!, relative: Self.tolerance, "∂L/∂a")
    expectClose(Tensor(fastGrads.dW), grads[1]!, relative: Self.tolerance, "∂L/∂W")
    expectClose(Tensor(fastGrads.db), grads[2]!, relative: Self.tolerance, "∂L/∂b")
  }

  @Test("softmax and cross-entropy", arguments: [[1, 10], [4, 1000]])
  func softmaxCrossEntropy(shape: [Int]) throws {
    var random = Random(36)
    let z = random.tensor(shape, -5...5)
    var y = Tensor(zeros: shape)
    for e in 0..<shape[0] { y[e, Int(random.generator.next() % UInt64(shape[1]))] = 1 }
    let reference = SoftmaxCrossEntropy()
    let loss = try reference.forward([z, y])
    let dz = try reference.backward([z, y], output: loss, delta: Tensor(scalar: 1))[0]!
    let fast = try FastSoftmaxCrossEntropy().forwardBackward(z: Tensor32(z), y: Tensor32(y))
    #expect(abs(Double(fast.loss) - loss.values[0]) <= Self.tolerance * abs(loss.values[0]))
    expectClose(Tensor(fast.probabilities), try Softmax().forward([z]), relative: Self.tolerance, "a")
    expectClose(Tensor(fast.dz), dz, relative: Self.tolerance, "∂L/∂z")
  }

  @Test("the fast path rejects shapes that do not fit, naming the op")
  func badShapes() {
    let x = Tensor32(zeros: [1, 3, 5, 5])
    #expect(throws: EngineError.self) {
      try FastConvolution().forward(x: x, W: Tensor32(zeros: [2, 4, 3, 3]), b: nil)
    }
    #expect(throws: EngineError.self) { try FastMaxPool(window: 6, stride: 1).forward(x) }
    #expect(throws: EngineError.self) {
      try FastFullyConnected().forward(a: Tensor32(zeros: [2, 3]), W: Tensor32(zeros: [3, 4]), b: nil)
    }
  }
}
