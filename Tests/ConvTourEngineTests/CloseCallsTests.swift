import ConvTourEngine
import Testing

/// The direct convolution's close calls (`CloseCalls`): with a backward pass to follow, a ReLU or
/// max-pool decision that float32's rounding could have made either way is made by the Double
/// value of the same float32 inputs.
@Suite("Close calls decided in Double")
struct CloseCallsTests {
  // x [1, C, H, W], W [K, C, 3, 3], padding 1: a plain Double correlation, the test's own. 40
  // columns: 20 pool windows a row, 16 checked eight at a time, the last 4 one by one.
  static let (c, h, w, k) = (16, 8, 40, 4)

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

  static func random(_ count: Int, _ random: inout SeededRandom) -> [Float] {
    (0..<count).map { _ in Float(random.uniform(-1, 1)) }
  }

  static func forward(_ x: [Float], _ W: [Float], _ b: [Float], decides: Bool, pool: Int? = nil) throws
    -> [Float]
  {
    var conv = FastConvolution(stride: 1, padding: 1)
    (conv.decidesCloseCalls, conv.maxPoolSide) = (decides, pool)
    return try conv.forward(
      x: Tensor32(shape: [1, c, h, w], values: x), W: Tensor32(shape: [k, c, 3, 3], values: W),
      b: Tensor32(shape: [k], values: b), relu: true
    ).values
  }

  @Test("ReLU: biases that cancel the sums to the last bit; each output is max(Double value rounded, 0)")
  func reluNearZero() throws {
    var random = SeededRandom(seed: 41)
    let x = Self.random(Self.c * Self.h * Self.w, &random)
    let W = Self.random(Self.k * Self.c * 9, &random)
    // b_k = −(filter k's sum at pixel (3, 4)), rounded to float32: there z is the rounding residue
    // of that sum, about 1e-8 — below float32's error in the sum itself.
    let unbiased = Self.exact(x, W, [Float](repeating: 0, count: Self.k))
    let b = (0..<Self.k).map { Float(-unbiased[($0 * Self.h + 3) * Self.w + 4]) }
    let z = Self.exact(x, W, b)
    let decided = try FastPath.withWorkers(2) { try Self.forward(x, W, b, decides: true) }
    for f in 0..<Self.k {
      let o = (f * Self.h + 3) * Self.w + 4
      #expect(abs(z[o]) < 1e-6, "the planted sum cancels")
      #expect(decided[o] == max(Float(z[o]), 0), "filter \(f): \(decided[o]) for \(z[o])")
    }
    // Everywhere else the outputs are float32's, within rounding of the Double ones.
    for (o, value) in decided.enumerated() { #expect(abs(Double(value) - max(z[o], 0)) < 1e-5) }
  }

  @Test("max-pool: a window whose values differ in the last bits has the winner of the Double values")
  func maxPoolNearTie() throws {
    var random = SeededRandom(seed: 42)
    var x = Self.random(Self.c * Self.h * Self.w, &random)
    let W = Self.random(Self.k * Self.c * 9, &random).map { abs($0) }
    // Columns s, s + 1 and s + 2 equal, column s + 3 the same times (1 + 2⁻²¹), in every channel
    // and row: outputs at columns s + 1 and s + 2 (windows over columns s…s + 2 and s + 1…s + 3)
    // differ by 2⁻²¹ times the filter's right column's sum — a few units in the last place,
    // either way — and the Double values decide each 2×2 window over them. s = 3: pool window
    // column 2, among the first eight; s = 35: column 18, among the last four.
    let starts = [3, 35]
    for ch in 0..<Self.c {
      for i in 0..<Self.h {
        let row = (ch * Self.h + i) * Self.w
        for s in starts {
          (x[row + s + 1], x[row + s + 2], x[row + s + 3]) = (
            x[row + s], x[row + s], x[row + s] * (1 + 0x1p-21)
          )
        }
      }
    }
    let b = [Float](repeating: 0.25, count: Self.k)
    let z = Self.exact(x, W, b)
    let decided = try FastPath.withWorkers(2) { try Self.forward(x, W, b, decides: true, pool: 2) }
    let pooled = try FastMaxPool(window: 2, stride: 2).forward(
      Tensor32(shape: [1, Self.k, Self.h, Self.w], values: decided))
    var windows = 0
    for f in 0..<Self.k {
      for i in 0..<(Self.h / 2) {
        for s in starts {
          let cells = [(2 * i, s + 1), (2 * i, s + 2), (2 * i + 1, s + 1), (2 * i + 1, s + 2)].map {
            (f * Self.h + $0.0) * Self.w + $0.1
          }
          let values = cells.map { max(z[$0], 0) }
          // Values that round to the same float32 are a tie there; the first wins.
          guard let top = values.max(), top > 0,
            values.filter({ Float($0) == Float(top) }).count == 1
          else { continue }
          windows += 1
          let winner = cells[values.firstIndex(of: top)!]
          let got = Int(pooled.winners[(f * Self.h / 2 + i) * Self.w / 2 + (s + 1) / 2])
          #expect(
            got == winner, "filter \(f), window row \(i), column \((s + 1) / 2): Double values \(values)")
        }
      }
    }
    #expect(windows > 8)
  }
}
