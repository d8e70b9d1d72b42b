/// A small seeded generator (SplitMix64): the same seed gives the same numbers on every
/// machine, so lessons and tests built on random tensors are reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  /// The generator of one of `seed`'s streams, named by a path of indices (a parameter and a
  /// chunk of it; an epoch): the seed, then each index xor-ed into the value so far, goes through
  /// SplitMix64's output function (the first draw of a generator seeded with it), so
  /// neighbouring seeds and indices start unrelated streams. Seeding with
  /// seed ⊕ index·0x9E3779B97F4A7C15 would not: the generator steps by that constant, so index
  /// i + 1's stream would be index i's one draw on.
  public init(seed: UInt64, stream path: [UInt64]) {
    func firstDraw(_ seed: UInt64) -> UInt64 {
      var generator = SeededRandom(seed: seed)
      return generator.next()
    }
    state = path.reduce(firstDraw(seed)) { mixed, index in firstDraw(mixed ^ index) }
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform Double in [low, high), from the top 53 bits (the same on every platform).
  public mutating func uniform(_ low: Double, _ high: Double) -> Double {
    let unit = Double(next() >> 11) * 0x1p-53
    return low + (high - low) * unit
  }
}

extension Tensor {
  /// A tensor of uniform values in [low, high) drawn from `generator`, in row-major order.
  public static func random(
    _ shape: [Int], in range: ClosedRange<Double> = -1...1, using generator: inout SeededRandom
  ) -> Tensor {
    var t = Tensor(zeros: shape)
    for i in t.values.indices { t.values[i] = generator.uniform(range.lowerBound, range.upperBound) }
    return t
  }
}

extension Tensor {
  /// Rows (along the last dimension) of positive numbers summing to 1: label distributions.
  public static func randomDistributions(_ shape: [Int], using generator: inout SeededRandom) -> Tensor {
    var t = Tensor.random(shape, in: 0.1...1, using: &generator)
    let n = shape.last ?? 1
    guard n > 0 else { return t }
    for row in 0..<(t.count / n) {
      let range = (row * n)..<((row + 1) * n)
      let total = t.values[range].reduce(0, +)
      for k in range { t.values[k] /= total }
    }
    return t
  }
}
