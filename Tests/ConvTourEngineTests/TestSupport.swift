import ConvTourEngine
import Testing

/// Random tensors for tests, from a fixed seed per test.
struct Random {
  var generator: SeededRandom

  init(_ seed: UInt64) { generator = SeededRandom(seed: seed) }

  mutating func tensor(_ shape: [Int], _ range: ClosedRange<Double> = -1...1) -> Tensor {
    Tensor.random(shape, in: range, using: &generator)
  }

  /// Values at least `gap` apart in random order, scaled into about [−1, 1]: no ties within
  /// a max-pool window and no element within `gap` of another (or of a kink at 0 after the
  /// offset), so finite differences of size Δ ≪ gap never cross a kink.
  mutating func distinct(_ shape: [Int], gap: Double = 1e-3) -> Tensor {
    let count = Shape.count(shape)
    var values = (0..<count).map { (Double($0) - Double(count) / 2 + 0.5) * gap }
    values.shuffle(using: &generator)
    let scale = 1 / max(gap * Double(count) / 2, 1)
    return try! Tensor(shape: shape, values: values.map { $0 * scale })
  }

  /// Values in ±[0.1, 1]: away from ReLU's kink at 0.
  mutating func awayFromZero(_ shape: [Int]) -> Tensor {
    var t = tensor(shape, 0.1...1)
    for k in t.values.indices where generator.next() & 1 == 1 { t.values[k].negate() }
    return t
  }

  /// Rows that are probability distributions (positive, summing to 1).
  mutating func distributions(_ shape: [Int]) -> Tensor {
    Tensor.randomDistributions(shape, using: &generator)
  }
}

/// Expects |a − b| ≤ tolerance element by element, with the worst difference in the message.
func expectClose(
  _ a: Tensor, _ b: Tensor, relative tolerance: Double, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(a.shape == b.shape, "\(what): shapes \(a.shape) vs \(b.shape)", sourceLocation: sourceLocation)
  let error = GradientCheck.relativeError(a, b)
  #expect(error <= tolerance, "\(what): relative error \(error)", sourceLocation: sourceLocation)
}
