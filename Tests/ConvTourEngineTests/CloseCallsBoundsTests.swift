import Testing

@testable import ConvTourEngine

/// The close-call bounds computed eight lanes at a time, and the turned filters of ∂L/∂x, against
/// the one-at-a-time loops they replaced (kept here as the reference): the window norms bit for
/// bit where windows move by more than a pixel, never below the old ones where their sums are
/// split (and the filter bounds never below the old ones: the same outputs are decided, or more),
/// at most a few float32 steps above them; the turned filters bit for bit.
@Suite("Close-call bounds and turned filters against their one-at-a-time loops")
struct CloseCallsBoundsTests {
  /// ‖W_k‖·tolerance summed one square at a time, as before.
  static func referenceFilterScales(_ W: [Float], filters: Int, taps: Int) -> [Float] {
    (0..<filters).map { k in
      var sum: Double = 0
      for t in 0..<taps { sum += Double(W[k * taps + t]) * Double(W[k * taps + t]) }
      return CloseCalls.finite(sum.squareRoot() * Double(CloseCalls.tolerance))
    }
  }

  /// Σ_c (x·scale)² of every pixel, channel after channel, into planes with a zero border as wide
  /// as the padding: [N, H + 2p, W + 2p].
  static func referenceSquares(_ x: [Float], _ g: Convolution.Geometry, padding: Int, scale: Float = 1)
    -> [Float]
  {
    let (pw, ph) = (g.x.w + 2 * padding, g.x.h + 2 * padding)
    var squares = [Float](repeating: 0, count: g.x.n * pw * ph)
    for e in 0..<g.x.n {
      for r in 0..<g.x.h {
        for c in 0..<g.x.c {
          for q in 0..<g.x.w {
            let s = x[((e * g.x.c + c) * g.x.h + r) * g.x.w + q] * scale
            squares[(e * ph + r + padding) * pw + q + padding] += s * s
          }
        }
      }
    }
    return squares
  }

  /// ‖s‖ per output pixel, one pixel and one tap at a time (x scaled by `squaringScale` when huge).
  static func referenceWindowNorms(
    _ x: [Float], _ g: Convolution.Geometry, stride: Int, padding: Int
  ) -> [Float] {
    let largest = x.reduce(Float(0)) { abs($1) > $0 ? abs($1) : $0 }
    let scale = CloseCalls.squaringScale(largest: largest)
    let (pw, ph) = (g.x.w + 2 * padding, g.x.h + 2 * padding)
    let squares = referenceSquares(x, g, padding: padding, scale: scale)
    var norms: [Float] = []
    for e in 0..<g.x.n {
      for i in 0..<g.z.h {
        for j in 0..<g.z.w {
          var sum: Float = 0
          for l in 0..<g.fh {
            for m in 0..<g.fw { sum += squares[(e * ph + i * stride + l) * pw + j * stride + m] }
          }
          norms.append(sum.squareRoot())
        }
      }
    }
    guard scale != 1 || norms.contains(where: { !$0.isFinite }) else { return norms }
    return norms.map { CloseCalls.finite(Double($0) / Double(scale)) }
  }

  @Test(
    "window norms and filter bounds: never below those one tap at a time, at most a few steps above",
    arguments: [
      ([2, 5, 9, 13], [6, 5, 3, 3], 1, 1, Float(1)), ([1, 3, 16, 17], [4, 3, 3, 3], 1, 0, 1),
      ([3, 7, 11, 10], [5, 7, 3, 3], 2, 1, 1), ([1, 40, 8, 8], [9, 40, 3, 3], 1, 1, 1e30),
      ([1, 64, 14, 14], [16, 64, 3, 3], 1, 1, 1), ([4, 1, 28, 28], [6, 1, 5, 5], 1, 2, 1),
      ([2, 6, 14, 14], [16, 6, 5, 5], 1, 0, 1),
    ] as [([Int], [Int], Int, Int, Float)])
  func bounds(x xShape: [Int], W wShape: [Int], stride: Int, padding: Int, magnitude: Float) throws {
    var random = SeededRandom(seed: 23)
    let x = (0..<Shape.count(xShape)).map { _ in Float(random.uniform(-1, 1)) * magnitude }
    let W = (0..<Shape.count(wShape)).map { _ in Float(random.uniform(-1, 1)) }
    let g = try Convolution(stride: stride, padding: padding, hasBias: false).geometry([xShape, wShape])
    let taps = wShape[1] * wShape[2] * wShape[3]
    let oldScales = Self.referenceFilterScales(W, filters: wShape[0], taps: taps)
    let oldNorms = Self.referenceWindowNorms(x, g, stride: stride, padding: padding)
    for workers in [1, 2] {
      let bounds = FastPath.withWorkers(workers) {
        x.withUnsafeBufferPointer { x in
          W.withUnsafeBufferPointer { W in
            CloseCalls(
              x: x.baseAddress!, W: W.baseAddress!, g, stride: Extent2D(stride), padding: Extent2D(padding))
          }
        }
      }
      if stride == 1 {
        // Column sums, then rows of them (`separableNorms`), raised: never below, a few steps above.
        let steps = 1 + Float(wShape[2] * wShape[3] + 2) * 0x1p-23
        for (new, old) in zip(bounds.windowNorm, oldNorms) {
          #expect(new >= old && new <= old * steps, "\(new) against \(old), \(workers) workers")
        }
      } else {
        #expect(bounds.windowNorm.map(\.bitPattern) == oldNorms.map(\.bitPattern), "\(workers) workers")
      }
      for (new, old) in zip(bounds.filterScale, oldScales) {
        #expect(new >= old && new <= old.nextUp, "\(new) against \(old)")
      }
    }
  }

  @Test("a filter's sum of squares in lanes, raised: never below the one-by-one sum")
  func raisedSquares() {
    var random = SeededRandom(seed: 29)
    for taps in [27, 576, 4608] {
      for _ in 0..<50 {
        // Weights of very different sizes, where the order of the sum shows most.
        let W = (0..<taps).map { t in Float(random.uniform(-1, 1)) * (t % 7 == 0 ? 1e3 : 1e-3) }
        let oneByOne = W.reduce(0.0) { $0 + Double($1) * Double($1) }
        let raised = W.withUnsafeBufferPointer { CloseCalls.raisedSquares($0.baseAddress!, taps: taps) }
        #expect(raised >= oneByOne && raised <= oneByOne * (1 + 0x1p-30), "\(taps) taps")
      }
    }
  }

  @Test("turned filters: W′(c, k, l, m) = W(k, c, f_h − 1 − l, f_w − 1 − m), any channel count")
  func turnedFilters() throws {
    var random = SeededRandom(seed: 31)
    for (k, c, fh, fw) in [(5, 37, 3, 3), (3, 16, 2, 3), (2, 1, 3, 1)] {
      let W = try Tensor32(
        shape: [k, c, fh, fw], values: (0..<(k * c * fh * fw)).map { _ in Float(random.uniform(-1, 1)) })
      let conv = FastConvolution(stride: 1, padding: 0)
      let g = try conv.geometry([1, c, fh + 2, fw + 2], W.shape, nil)
      var expected = [Float](repeating: 0, count: W.count)
      for f in 0..<k {
        for ch in 0..<c {
          for l in 0..<fh {
            for m in 0..<fw {
              expected[((ch * k + f) * fh + l) * fw + m] =
                W.values[((f * c + ch) * fh + fh - 1 - l) * fw + fw - 1 - m]
            }
          }
        }
      }
      for workers in [1, 2] {
        let turned = FastPath.withWorkers(workers) { conv.flippedFilters(W, g) }
        #expect(turned.shape == [c, k, fh, fw])
        #expect(turned.values.map(\.bitPattern) == expected.map(\.bitPattern))
      }
    }
  }
}
