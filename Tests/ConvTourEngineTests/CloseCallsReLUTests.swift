import Testing

@testable import ConvTourEngine

/// ReLU close calls recomputed four at a time from windows gathered from x (`decideReLU`): each
/// planted near-zero output is max(its in-order Double sum, rounded, 0), as when they were summed
/// one at a time from the im2col tile — at the border and inside, in groups of four and in a
/// last group of three, in tiles and in the filters' lanes, at 1 and 2 workers.
@Suite("ReLU close calls, four at a time")
struct CloseCallsReLUTests {
  static let (c, h, w, k) = (6, 9, 14, 7)
  /// Filter f's sum cancels at pixel planted[f] (row, column).
  static let planted = [(3, 4), (0, 0), (8, 13), (5, 7), (0, 13), (8, 0), (4, 9)]

  /// z in Double, the sum in order from b: channels, then rows, then columns of the window.
  static func exact(_ x: [Float], _ W: [Float], _ b: [Float]) -> [Double] {
    var z = [Double](repeating: 0, count: k * h * w)
    for f in 0..<k {
      for i in 0..<h {
        for j in 0..<w {
          var sum = Double(b[f])
          for ch in 0..<c {
            for l in 0..<3 {
              for m in 0..<3 {
                let (r, q) = (i + l - 1, j + m - 1)
                guard r >= 0, r < h, q >= 0, q < w else { continue }
                sum += Double(W[((f * c + ch) * 3 + l) * 3 + m]) * Double(x[(ch * h + r) * w + q])
              }
            }
          }
          z[(f * h + i) * w + j] = sum
        }
      }
    }
    return z
  }

  @Test("planted cancellations: the in-order Double value, bit for bit", arguments: [60, 1 << 20])
  func planted(scratch: Int) throws {
    var random = SeededRandom(seed: 61)
    let x = (0..<(Self.c * Self.h * Self.w)).map { _ in Float(random.uniform(-1, 1)) }
    let W = (0..<(Self.k * Self.c * 9)).map { _ in Float(random.uniform(-1, 1)) }
    let unbiased = Self.exact(x, W, [Float](repeating: 0, count: Self.k))
    let b = (0..<Self.k).map { f in
      Float(-unbiased[(f * Self.h + Self.planted[f].0) * Self.w + Self.planted[f].1])
    }
    let z = Self.exact(x, W, b)
    var conv = FastConvolution(stride: 1, padding: 1)
    (conv.decidesCloseCalls, conv.scratchFloats) = (true, Self.c * 9 * scratch)
    let input = try Tensor32(shape: [1, Self.c, Self.h, Self.w], values: x)
    let (weights, bias) = (
      try Tensor32(shape: [Self.k, Self.c, 3, 3], values: W), try Tensor32(shape: [Self.k], values: b)
    )
    for workers in [1, 2] {
      let decided = try FastPath.withWorkers(workers) {
        try conv.forward(x: input, W: weights, b: bias, relu: true)
      }.values
      for (f, (i, j)) in Self.planted.enumerated() {
        let o = (f * Self.h + i) * Self.w + j
        #expect(abs(z[o]) < 1e-6, "filter \(f)'s planted sum cancels")
        #expect(
          decided[o].bitPattern == max(Float(z[o]), 0).bitPattern,
          "filter \(f) at (\(i), \(j)), \(workers) workers: \(decided[o]) for \(z[o])")
      }
      for (o, value) in decided.enumerated() { #expect(abs(Double(value) - max(z[o], 0)) < 1e-5) }
    }
  }
}
