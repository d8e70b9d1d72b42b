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
    let undecided = try FastConvolution(stride: 1, padding: padding).forward(x: x, W: W, b: b, relu: true)
    let reference = try FastPath.withWorkers(1) { try classes.forward(x: x, W: W, b: b, relu: true) }
    // The input has close calls that change outputs: the test can tell the two ways apart.
    #expect(reference.values != undecided.values)
    for workers in [1, 2] {
      let compared = try FastPath.withWorkers(workers) { try conv.forward(x: x, W: W, b: b, relu: true) }
      #expect(compared.values.map(\.bitPattern) == reference.values.map(\.bitPattern), "\(workers) workers")
    }
  }
}
