import Testing

@testable import ConvTourEngine

/// A direct convolution's max-pool close calls decided by comparing the candidates' windows
/// where they are (`decideMaxPoolDirectly`) against the batch's window classes
/// (`IdenticalWindows`): the same outputs recomputed to the same values, bit for bit — near ties
/// (recomputed), exact ties of repeated windows (left to the first), a recomputed output whose
/// window recurs elsewhere in the batch (its twin gets the same value), and a flat region with
/// too many candidates for comparing (the classes' way).
@Suite("Direct max-pool close calls without window classes")
struct DirectPoolCloseCallsTests {
  enum Case: String, CaseIterable, CustomStringConvertible {
    case nearTies, twinsShifted, wideFlat
    var description: String { rawValue }
  }

  static func input(_ kind: Case) -> (x: Tensor32, W: Tensor32, b: Tensor32) {
    let (c, h, w) = (PoolCloseCallsTests.c, PoolCloseCallsTests.h, PoolCloseCallsTests.w)
    let (x, W, b) = PoolCloseCallsTests.input()
    var values = x.values
    let plane = h * w
    switch kind {
    case .nearTies: break
    case .twinsShifted:
      // Example 2 is example 0 moved one column right: each window of example 0 recurs there,
      // in a pool window of other neighbours.
      for ch in 0..<c {
        for i in 0..<h {
          for j in 1..<w {
            values[(2 * c + ch) * plane + i * w + j] = values[ch * plane + i * w + j - 1]
          }
        }
      }
    case .wideFlat:
      // Example 1 all flat but a near tie: thousands of exact ties.
      for ch in 0..<c { for q in 0..<plane { values[(c + ch) * plane + q] = 0.5 } }
      values[(c + 3) * plane + 5 * w + 20] = 0.5 * (1 + 0x1p-21)
    }
    return (try! Tensor32(shape: x.shape, values: values), W, b)
  }

  /// (input, taps of x to read per element before finding the classes, padding): the default
  /// budget, one that always compares, and padding 2 of a 3×3 filter (a window's centre tap can
  /// be in the border).
  static let cases: [(Case, Int, Int)] =
    Case.allCases.flatMap { [($0, 4, 1), ($0, 1 << 20, 1)] } + [
      (.twinsShifted, 1 << 20, 2), (.wideFlat, 1 << 20, 2),
    ]

  @Test("comparing windows and the window classes give the same bits", arguments: cases)
  func sameBits(kind: Case, taps: Int, padding: Int) throws {
    let (x, W, b) = Self.input(kind)
    var conv = FastConvolution(stride: 1, padding: padding)
    (conv.decidesCloseCalls, conv.maxPoolSide, conv.poolComparisonTaps) = (true, 2, taps)
    #expect(conv.computesDirectly(try conv.geometry(x.shape, W.shape, b.shape)))
    var classes = conv
    classes.poolComparisonTaps = 0
    try PoolCloseCallsTests.expectSameBits(conv, as: classes, x: x, W: W, b: b)
  }

  /// A window's twins found through its first tap that is not +0 (or, for a window of zeros only,
  /// by comparing every window) against comparing every window with it: windows of zeros only
  /// (inside a zero patch and over the padding), repeated ones, and ones with a zero first tap.
  @Test("a window's twins: the same pixels as comparing every window", arguments: [1, 2])
  func twins(padding: Int) throws {
    let (n, c, h, w) = (2, 3, 9, 12)
    var random = SeededRandom(seed: 5)
    var x = (0..<(n * c * h * w)).map { _ in Float(random.uniform(-1, 1)).rounded() / 2 }
    // Example 1's top rows are example 0's (twins along the padding, their first taps in it),
    // and it has a patch of zeros.
    for ch in 0..<c { for q in 0..<(2 * w) { x[(c + ch) * h * w + q] = x[ch * h * w + q] } }
    for ch in 0..<c { for i in 2..<7 { for j in 3..<9 { x[(c + ch) * h * w + i * w + j] = 0 } } }
    let W = [Float](repeating: 1, count: 4 * c * 9)
    let g = try Convolution(stride: 1, padding: padding, hasBias: false).geometry([
      [n, c, h, w], [4, c, 3, 3],
    ])
    let taps = c * 9
    try x.withUnsafeBufferPointer { xp in
      let x = xp.baseAddress!
      let calls = W.withUnsafeBufferPointer {
        CloseCalls(x: x, W: $0.baseAddress!, g, stride: Extent2D(1), padding: Extent2D(padding))
      }
      let pixels = n * g.z.h * g.z.w
      var (window, other) = ([Float](repeating: 0, count: taps), [Float](repeating: 0, count: taps))
      var zeroWindows = 0
      for q in 0..<pixels {
        let outputs = g.z.h * g.z.w
        calls.gather(example: q / outputs, pixel: q % outputs, x: x, into: &window)
        if window.allSatisfy({ $0.bitPattern == 0 }) { zeroWindows += 1 }
        let expected = (0..<pixels).filter { r in
          guard r != q else { return false }
          calls.gather(example: r / outputs, pixel: r % outputs, x: x, into: &other)
          return other.map(\.bitPattern) == window.map(\.bitPattern)
        }
        var budget = Int.max / 2
        let found = try #require(
          window.withUnsafeBufferPointer { calls.twinsOf($0.baseAddress!, pixel: q, x: x, budget: &budget) })
        #expect(found.sorted() == expected, "pixel \(q)")
      }
      #expect(zeroWindows > 1)
    }
  }
}
