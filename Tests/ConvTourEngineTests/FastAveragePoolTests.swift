import Testing

@testable import ConvTourEngine

/// Mean-pooling on the fast path against its definition, summed in the same order (row-major
/// within the window, from 0, then divided by f·f): the same bits, 2×2 windows of stride 2 (the
/// specialised loop) and others, odd sizes whose last row and column no window covers.
@Suite("Mean-pooling on the fast path")
struct FastAveragePoolTests {
  @Test(
    "forward and backward bit for bit against the definition", arguments: [(2, 2), (3, 2), (2, 1), (3, 3)])
  func againstDefinition(window f: Int, stride s: Int) throws {
    for (h, w) in [(10, 10), (5, 7), (28, 28)] {
      var generator = SeededRandom(seed: UInt64(h * 100 + w + f))
      let x = Tensor32(Tensor.random([2, 3, h, w], using: &generator))
      let pool = FastAveragePool(window: f, stride: s)
      let m = try pool.forward(x)
      let (ho, wo) = ((h - f) / s + 1, (w - f) / s + 1)
      #expect(m.shape == [2, 3, ho, wo])
      let delta = Tensor32(Tensor.random(m.shape, using: &generator))
      let dx = try pool.backward(xShape: x.shape, delta: delta)
      var expectedDx = [Float](repeating: 0, count: x.values.count)
      var mismatches = 0
      for plane in 0..<6 {
        for i in 0..<ho {
          for j in 0..<wo {
            var sum: Float = 0
            for l in 0..<f { for q in 0..<f { sum += x.values[plane * h * w + (i * s + l) * w + j * s + q] } }
            let o = plane * ho * wo + i * wo + j
            if (sum / Float(f * f)).bitPattern != m.values[o].bitPattern { mismatches += 1 }
            let share = delta.values[o] / Float(f * f)
            for l in 0..<f {
              for q in 0..<f { expectedDx[plane * h * w + (i * s + l) * w + j * s + q] += share }
            }
          }
        }
      }
      #expect(mismatches == 0, "m, \(f)×\(f) stride \(s) on \(h)×\(w)")
      #expect(
        zip(dx.values, expectedDx).allSatisfy { $0.bitPattern == $1.bitPattern }, "∂x, \(f)×\(f) stride \(s)")
    }
  }
}
