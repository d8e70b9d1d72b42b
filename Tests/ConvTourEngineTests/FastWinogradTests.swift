import ConvTourEngine
import Testing

/// Winograd F(2×2, 3×3) and F(4×4, 3×3) against the reference convolution (Double, stride 1,
/// padding 1): forward (with bias, with and without ReLU), ∂L/∂x, ∂L/∂W and ∂L/∂b, within 1e-4
/// relative to the largest value, at 1–3 workers.
@Suite("Winograd convolution agrees with the reference path", .serialized)
struct FastWinogradTests {
  static let tolerance = 1e-4

  /// Odd and even sizes, 1×1 up to 21×24 and 10×37 (rows of several groups of four tiles),
  /// several channel and filter counts and batch sizes.
  static let cases: [(x: [Int], k: Int)] = [
    ([1, 1, 1, 1], 1), ([2, 3, 1, 1], 4), ([1, 2, 2, 3], 3), ([3, 4, 5, 7], 5), ([2, 3, 8, 8], 4),
    ([1, 5, 13, 9], 6), ([2, 7, 9, 13], 2), ([1, 1, 6, 1], 3), ([2, 16, 4, 10], 8), ([1, 3, 17, 16], 9),
    ([1, 2, 10, 37], 3), ([2, 4, 21, 24], 5),
  ]

  static func check(
    _ xShape: [Int], k: Int, workers: Int, scratchFloats: Int? = nil, wholeFloats: Int? = nil,
    sharedFloats: Int? = nil, tile: Int = 2, random: inout Random
  ) throws {
    try FastPath.withWorkers(workers) {
      #expect(FastPath.workers == workers)
      try checkWithWorkers(
        xShape, k: k, workers: workers, scratchFloats: scratchFloats, wholeFloats: wholeFloats,
        sharedFloats: sharedFloats, tile: tile, random: &random)
    }
  }

  static func checkWithWorkers(
    _ xShape: [Int], k: Int, workers: Int, scratchFloats: Int?, wholeFloats: Int?, sharedFloats: Int?,
    tile: Int, random: inout Random
  ) throws {
    let c = xShape[1]
    let x = random.tensor(xShape)
    let W = random.tensor([k, c, 3, 3])
    let b = random.tensor([k])
    var winograd = FastWinograd(tile: tile)
    if let scratchFloats { winograd.scratchFloats = scratchFloats }
    if let wholeFloats { winograd.wholeFloats = wholeFloats }
    if let sharedFloats { winograd.sharedFloats = sharedFloats }
    let what =
      "F(\(tile)×\(tile), 3×3), x \(xShape) K \(k), \(workers) workers, scratch \(winograd.scratchFloats), whole \(winograd.wholeFloats), shared \(winograd.sharedFloats)"
    let reference = Convolution(stride: 1, padding: 1)

    let z = try reference.forward([x, W, b])
    let z32 = try winograd.forward(x: Tensor32(x), W: Tensor32(W), b: Tensor32(b))
    expectClose(Tensor(z32), z, relative: tolerance, "z of \(what)")
    let relu = try winograd.forward(x: Tensor32(x), W: Tensor32(W), b: Tensor32(b), relu: true)
    expectClose(Tensor(relu), try Activation(.relu).forward([z]), relative: tolerance, "relu(z) of \(what)")
    let noBias = try winograd.forward(x: Tensor32(x), W: Tensor32(W), b: nil)
    let zNoBias = try Convolution(stride: 1, padding: 1, hasBias: false).forward([x, W])
    expectClose(Tensor(noBias), zNoBias, relative: tolerance, "z without bias of \(what)")

    let delta = random.tensor(z.shape)
    let grads = try reference.backward([x, W, b], output: z, delta: delta)
    let dx = try winograd.inputGradient(delta: Tensor32(delta), W: Tensor32(W))
    expectClose(Tensor(dx), grads[0]!, relative: tolerance, "∂L/∂x of \(what)")
    let (dW, db) = try winograd.weightGradient(x: Tensor32(x), delta: Tensor32(delta))
    expectClose(Tensor(dW), grads[1]!, relative: tolerance, "∂L/∂W of \(what)")
    expectClose(Tensor(db), grads[2]!, relative: tolerance, "∂L/∂b of \(what)")
  }

  /// Blocks of tiles per worker (`wholeFloats` and `sharedFloats` 0) and all tiles at once with
  /// the workers taking ranges of output channels (the default for small images).
  @Test("forward and gradients on random shapes", arguments: [1, 2, 3])
  func randomShapes(workers: Int) throws {
    var random = Random(41 + UInt64(workers))
    for (xShape, k) in Self.cases {
      for whole in [0, 1 << 30] {
        for tile in [2, 4] {
          try Self.check(
            xShape, k: k, workers: workers, wholeFloats: whole, sharedFloats: whole, tile: tile,
            random: &random)
        }
      }
    }
  }

  /// Tiny blocks: blocks that start and end inside a row of tiles and across images.
  @Test("many small blocks of tiles agree", arguments: [1, 2, 3])
  func smallBlocks(workers: Int) throws {
    var random = Random(53 + UInt64(workers))
    // The last: 10 tiles of 4×4 per row, so blocks of 3 and 7 tiles start inside rows of F(4×4)'s
    // groups of four.
    for (xShape, k) in [([2, 3, 7, 9], 4), ([3, 2, 5, 5], 3), ([1, 4, 12, 11], 5), ([2, 3, 9, 37], 4)] {
      for tile in [2, 4] {
        let perTile = (tile + 2) * (tile + 2) * (xShape[1] + k)  // floats of V and M per tile
        for scratch in [1, perTile * 3, perTile * 7] {
          try Self.check(
            xShape, k: k, workers: workers, scratchFloats: scratch, wholeFloats: 0, sharedFloats: 0,
            tile: tile,
            random: &random)
        }
      }
    }
  }

  /// Blocks shared by the workers (`sharedFloats`, taken when own blocks of one tile would pack
  /// U, K·C floats per point, more often than V and M pass): blocks of 3 and 7 tiles that start
  /// inside rows of tiles and across images; the last block shorter than the others.
  @Test("many small shared blocks of tiles agree", arguments: [1, 2, 3])
  func sharedBlocks(workers: Int) throws {
    var random = Random(67 + UInt64(workers))
    for (xShape, k) in Self.sharedCases {
      for tile in [2, 4] {
        let perTile = (tile + 2) * (tile + 2) * (xShape[1] + k)
        for shared in [perTile * 3, perTile * 7] {
          try Self.check(
            xShape, k: k, workers: workers, scratchFloats: 1, wholeFloats: 0, sharedFloats: shared,
            tile: tile,
            random: &random)
        }
      }
    }
  }

  /// Shapes whose K·C exceeds 2·(C + K), so that sharing pays by `sharedBlockTiles`'s rule (checked
  /// in `WinogradSharedBlocksTests`).
  static let sharedCases: [(x: [Int], k: Int)] = [
    ([2, 6, 9, 13], 8), ([1, 5, 12, 11], 7), ([3, 8, 5, 6], 6),
  ]

  /// VGG16Network picks Winograd and its tile per layer (`FastWinograd.pays`, `.tile`): a shrunk
  /// VGG-16 wide enough for it on conv1_2 (4×4 tiles) and conv2 (2×2 tiles), forward and every
  /// gradient, against the reference network.
  @Test("a shrunk VGG-16 that uses Winograd agrees with the reference network")
  func network() throws {
    let a = try VGG16Architecture(size: 32, widths: [16, 16, 16, 16, 16], hidden: 7, classes: 5)
    let parameters = VGG16Parameters.random(a, seed: 11)
    var scaled = parameters.tensors
    for (name, t) in scaled where name.hasPrefix("classifier") && name.hasSuffix("weight") {
      scaled[name] = try Tensor32(shape: t.shape, values: t.values.map { $0 * 30 })
    }
    let shrunk = try VGG16Parameters(architecture: a, tensors: scaled)
    var random = SeededRandom(seed: 13)
    let x = Tensor32(Tensor.random([2, 3, 32, 32], using: &random))
    let labels = [4, 2]
    #expect(FastWinograd.pays(input: [2, 16, 32, 32], outputChannels: 16))
    #expect(!FastWinograd.pays(input: [2, 3, 32, 32], outputChannels: 16))
    #expect(!FastWinograd.pays(input: [2, 16, 32, 32], outputChannels: 3))
    #expect(!FastWinograd.pays(input: [2, 16, 8, 8], outputChannels: 16))
    // conv1_2 with F(4×4, 3×3), conv2 with F(2×2, 3×3).
    #expect(FastWinograd.tile(input: [2, 16, 32, 32]) == 4)
    #expect(FastWinograd.tile(input: [2, 16, 16, 16]) == 2)

    let fast = try VGG16Network(parameters: shrunk).run(x, labels: labels, backward: true)
    let reference = ReferenceVGG16(shrunk)
    let (activations, loss) = try reference.forward(Tensor(x), labels: labels)
    expectClose(Tensor(fast.logits), activations.last!, relative: Self.tolerance, "logits")
    #expect(abs(Double(fast.loss!) - loss) <= Self.tolerance * abs(loss))
    let grads = try reference.gradients(Tensor(x), labels: labels)
    expectClose(Tensor(fast.inputGradient!), grads.input, relative: Self.tolerance, "∂J/∂x")
    for (name, g) in grads.parameters {
      expectClose(Tensor(fast.gradients[name]!), g, relative: Self.tolerance, "∂J/∂\(name)")
    }
  }

  @Test("an empty batch gives an empty output")
  func emptyBatch() throws {
    let z = try FastWinograd().forward(
      x: Tensor32(zeros: [0, 2, 5, 5]), W: Tensor32(zeros: [3, 2, 3, 3]), b: Tensor32(zeros: [3]))
    #expect(z.shape == [0, 3, 5, 5])
    let dx = try FastWinograd().inputGradient(
      delta: Tensor32(zeros: [0, 3, 5, 5]), W: Tensor32(zeros: [3, 2, 3, 3]))
    #expect(dx.shape == [0, 2, 5, 5])
    let (dW, db) = try FastWinograd().weightGradient(
      x: Tensor32(zeros: [0, 2, 5, 5]), delta: Tensor32(zeros: [0, 3, 5, 5]))
    #expect(dW.shape == [3, 2, 3, 3] && dW.values.allSatisfy { $0 == 0 })
    #expect(db.shape == [3])
  }

  @Test("shapes other than 3×3 filters on [N, C, H, W] are errors")
  func shapeErrors() throws {
    let winograd = FastWinograd()
    let x = Tensor32(zeros: [1, 2, 5, 5])
    #expect(throws: EngineError.self) {
      try winograd.forward(x: x, W: Tensor32(zeros: [3, 2, 5, 5]), b: nil)
    }
    #expect(throws: EngineError.self) {
      try winograd.forward(x: x, W: Tensor32(zeros: [3, 4, 3, 3]), b: nil)
    }
    #expect(throws: EngineError.self) {
      try winograd.forward(x: x, W: Tensor32(zeros: [3, 2, 3, 3]), b: Tensor32(zeros: [2]))
    }
    #expect(throws: EngineError.self) {
      try winograd.forward(x: Tensor32(zeros: [2, 5, 5]), W: Tensor32(zeros: [3, 2, 3, 3]), b: nil)
    }
    #expect(throws: EngineError.self) {
      try winograd.forward(x: Tensor32(zeros: [1, 2, 0, 5]), W: Tensor32(zeros: [3, 2, 3, 3]), b: nil)
    }
    #expect(throws: EngineError.self) {
      try winograd.inputGradient(delta: Tensor32(zeros: [1, 4, 5, 5]), W: Tensor32(zeros: [3, 2, 3, 3]))
    }
    #expect(throws: EngineError.self) {
      try winograd.inputGradient(delta: Tensor32(zeros: [1, 3, 5, 5]), W: Tensor32(zeros: [3, 2, 1, 1]))
    }
    #expect(throws: EngineError.self) {
      try winograd.weightGradient(x: x, delta: Tensor32(zeros: [1, 3, 5, 4]))
    }
    #expect(throws: EngineError.self) {
      try winograd.weightGradient(x: x, delta: Tensor32(zeros: [2, 3, 5, 5]))
    }
  }
}
