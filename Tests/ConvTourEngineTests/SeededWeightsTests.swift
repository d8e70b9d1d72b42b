import ConvTourEngine
import Testing

/// Seeded weights and shuffles must be independent draws: no tensor a shifted copy of another,
/// different seeds unrelated. (Seeding each tensor's generator with seed ⊕ p·0x9E3779B97F4A7C15
/// made tensor p + 1 tensor p one draw later, since SplitMix64 steps by that same constant.)
@Suite("Seeded weights")
struct SeededWeightsTests {
  /// Lessons/networks/digits-tiny.net, layer for layer.
  static func digitsTiny() throws -> NetworkArchitecture {
    let specs = [
      LayerSpec(.convolution(outputs: 8, kernel: 3, stride: 1, padding: 1), name: "conv1"), LayerSpec(.relu),
      LayerSpec(.maxPool(kernel: 2, stride: 2), name: "pool1"), LayerSpec(.flatten),
      LayerSpec(.fullyConnected(outputs: 10), name: "fc1"),
    ]
    return try NetworkArchitecture(
      name: "digits-tiny", input: [1, 8, 8], specs: specs, loss: .softmaxCrossEntropy)
  }

  /// The networks checked. VGG-16 with few channels: a tensor's first 2¹⁶ values depend only on
  /// (seed, its index among the parameters), not on its shape, so they are full VGG-16's up to
  /// the scale (√(2/fan_out) changes with the widths) — and dividing by the scale removes it.
  static func networks() throws -> [NetworkArchitecture] {
    [
      try digitsTiny(), try BuiltInNetworks.tinyVGG(),
      try .vgg(depth: 16, size: 32, widths: [24, 24, 24, 24, 24], hidden: 40, classes: 10),
    ]
  }

  /// Each tensor's values divided by their largest magnitude (its bound, or about 4–5 std for
  /// normals), in `parameterShapes` order; all-zero tensors (VGG's biases) left out.
  static func normalised(_ parameters: NetworkParameters) -> [(name: String, values: [Double])] {
    parameters.architecture.parameterShapes.compactMap { name, _ in
      let values = parameters.tensors[name]!.values.map(Double.init)
      let scale = values.map(abs).max() ?? 0
      return scale == 0 ? nil : (name, values.map { $0 / scale })
    }
  }

  /// The offset d in 0…4 at which `b`'s first values are `a`'s from d on up to one common factor
  /// (the two tensors' scales differ), or nil.
  static func shift(of b: [Double], in a: [Double]) -> Int? {
    (0...4).first { d in
      let n = min(8, b.count, a.count - d)
      guard n >= 4, a[d] != 0 else { return false }
      let ratio = b[0] / a[d]
      return (0..<n).allSatisfy { abs(b[$0] - ratio * a[d + $0]) <= 1e-5 * max(abs(b[$0]), 1e-3) }
    }
  }

  /// Pearson's correlation of two equally long lists.
  static func correlation(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let (mx, my) = (x.reduce(0, +) / n, y.reduce(0, +) / n)
    var (sxy, sxx, syy) = (0.0, 0.0, 0.0)
    for (a, b) in zip(x, y) {
      sxy += (a - mx) * (b - my)
      sxx += (a - mx) * (a - mx)
      syy += (b - my) * (b - my)
    }
    return sxy / (sxx * syy).squareRoot()
  }

  @Test("at seed 0 no tensor's values are another's shifted by 0…4 draws (digits-tiny, tiny-vgg, vgg16)")
  func noShiftedCopies() throws {
    for network in try Self.networks() {
      let tensors = Self.normalised(NetworkParameters.random(network, seed: 0))
      #expect(tensors.count >= 4, "\(network.name)")
      for (i, a) in tensors.enumerated() {
        for b in tensors[(i + 1)...] {
          let d = Self.shift(of: b.values, in: a.values)
          #expect(d == nil, "\(network.name): \(b.name) is \(a.name) from value \(d ?? -1) on")
          let back = Self.shift(of: a.values, in: b.values)
          #expect(back == nil, "\(network.name): \(a.name) is \(b.name) from value \(back ?? -1) on")
        }
      }
    }
  }

  @Test("seeds 0 and 1 give unrelated weights (correlation under 0.05 over every tensor)")
  func seedsUnrelated() throws {
    for network in try Self.networks() {
      let zero = Self.normalised(NetworkParameters.random(network, seed: 0)).flatMap(\.values)
      let one = Self.normalised(NetworkParameters.random(network, seed: 1)).flatMap(\.values)
      #expect(zero.count == one.count && zero.count > 1000)
      let r = Self.correlation(zero, one)
      #expect(abs(r) < 0.05, "\(network.name): correlation \(r)")
      #expect(zero != one)
    }
  }

  @Test("neighbouring streams start unrelated: no stream's first draw is among its neighbour's first 64")
  func streams() {
    for seed: UInt64 in [0, 1, 2, 0x5EED] {
      for index: UInt64 in 0..<64 {
        var here = SeededRandom(seed: seed, stream: [index, 0])
        var next = SeededRandom(seed: seed, stream: [index + 1, 0])
        var nextChunk = SeededRandom(seed: seed, stream: [index, 1])
        let draws = Set((0..<64).map { _ in here.next() })
        #expect(!draws.contains(next.next()), "seed \(seed), stream \(index)")
        #expect(!draws.contains(nextChunk.next()), "seed \(seed), stream \(index), chunk 1")
      }
    }
  }

  @Test("a shuffled epoch's order is not drawn from the previous epoch's generator one draw on")
  func epochOrders() {
    // Shuffling 3 examples takes two draws: j₂ = ⌊3u₁⌋ (swap with index 2), then j₁ = ⌊2u₂⌋
    // (with index 1), read back from the order. Were epoch e + 1's generator epoch e's one draw
    // on, its u₁ would be epoch e's u₂, so j₁ = 0 (u₂ < ½) would always give j₂ ≤ 1 next epoch and
    // j₁ = 1 would give j₂ ≥ 1; independent draws break that about one epoch in three.
    let training = EpochTraining(
      steps: VGG16Training(learningRate: 0.1), batchSize: 4, shuffle: true, seed: 0)
    func draws(_ epoch: Int) -> (j2: Int, j1: Int) {
      let order = training.order(count: 3, epoch: epoch)
      for j2 in 0..<3 {
        for j1 in 0..<2 {
          var o = [0, 1, 2]
          o.swapAt(2, j2)
          o.swapAt(1, j1)
          if o == order { return (j2, j1) }
        }
      }
      Issue.record("epoch \(epoch): \(order) is no Fisher–Yates shuffle of 3")
      return (0, 0)
    }
    let consistent = (1...64).filter { e in
      let next = draws(e + 1).j2
      return draws(e).j1 == 0 ? next <= 1 : next >= 1
    }
    #expect(consistent.count < 60, "\(consistent.count) of 64 epochs look like the previous one shifted")
  }
}
