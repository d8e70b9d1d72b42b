import Testing

@testable import ConvTourEngine

/// A max-pool keeping a byte per window (`forwardChoosing`, `backward(choices:)`) against the
/// Int32 winners it replaces in a training step: the same maxima and the same winners (each
/// choice l·f_w + q names the element the winner's offset names), ∂L/∂x bit for bit — 2×2 windows
/// of stride 2 on even and odd sizes and rows of 4, 5 and 9 windows, overlapping and 3×3 windows,
/// with ties (small integers) and without, at 1 and 2 workers.
@Suite("Max-pool choices, a byte per window")
struct FastMaxPoolChoicesTests {
  @Test(
    "the same maxima, winners and ∂L/∂x as the Int32 winners",
    arguments: [
      ([2, 3, 6, 6], 2, 2), ([1, 4, 9, 7], 3, 2), ([2, 3, 5, 5], 2, 1), ([2, 3, 8, 18], 2, 2),
      ([1, 2, 9, 11], 2, 2), ([3, 2, 10, 8], 2, 2), ([1, 3, 16, 16], 4, 4),
    ])
  func againstWinners(x xShape: [Int], window: Int, stride: Int) throws {
    var random = SeededRandom(seed: 41)
    for ties in [false, true] {
      let x = try Tensor32(
        shape: xShape,
        values: (0..<Shape.count(xShape)).map { _ in
          let v = Float(random.uniform(-2, 2))
          return ties ? v.rounded() : v
        })
      let delta = (0..<Shape.count(xShape)).map { _ in Float(random.uniform(-1, 1)) }
      for workers in [1, 2] {
        try FastPath.withWorkers(workers) {
          let pool = FastMaxPool(window: window, stride: stride)
          let (m, winners) = try pool.forward(x)
          let (mChoosing, choices) = try pool.forwardChoosing(x)
          #expect(mChoosing.values.map(\.bitPattern) == m.values.map(\.bitPattern), "ties \(ties)")
          let (mh, mw) = (m.shape[2], m.shape[3])
          let named = choices.enumerated().map { o, choice in
            let (p, ij) = o.quotientAndRemainder(dividingBy: mh * mw)
            let (i, j) = ij.quotientAndRemainder(dividingBy: mw)
            let (l, q) = Int(choice).quotientAndRemainder(dividingBy: window)
            return Int32(p * xShape[2] * xShape[3] + (i * stride + l) * xShape[3] + j * stride + q)
          }
          #expect(named == winners, "ties \(ties), \(workers) workers")
          let d = try Tensor32(shape: m.shape, values: Array(delta.prefix(m.count)))
          let dx = try pool.backward(xShape: xShape, winners: winners, delta: d)
          let dxChoosing = try pool.backward(xShape: xShape, choices: choices, delta: d)
          #expect(dxChoosing.values.map(\.bitPattern) == dx.values.map(\.bitPattern), "ties \(ties)")
        }
      }
    }
  }

  @Test("a window with more places than a byte is refused")
  func tooWide() throws {
    let x = try Tensor32(shape: [1, 1, 17, 17], values: [Float](repeating: 1, count: 289))
    #expect(!FastMaxPool(window: 17, stride: 1).choosesInBytes)
    #expect(throws: EngineError.self) { try FastMaxPool(window: 17, stride: 1).forwardChoosing(x) }
  }
}
