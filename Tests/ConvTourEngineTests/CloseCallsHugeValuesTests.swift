import Testing

@testable import ConvTourEngine

/// Inputs or weights of 1e30 made every rounding bound infinite, so that every output of every
/// convolution counted as a close call and was recomputed in Double: `run --backward` 40–56 times
/// slower (issue 22 §5). The bounds stay finite, and those of ordinary values keep their bits.
@Suite("Close-call bounds of huge values")
struct CloseCallsHugeValuesTests {
  static let (c, h, w, k) = (8, 6, 10, 3)

  static func bounds(x: [Float], W: [Float]) throws -> CloseCalls {
    let g = try Convolution(stride: 1, padding: 1).geometry([[1, c, h, w], [k, c, 3, 3], [k]])
    return x.withUnsafeBufferPointer { x in
      W.withUnsafeBufferPointer { W in
        CloseCalls(x: x.baseAddress!, W: W.baseAddress!, g, stride: Extent2D(1), padding: Extent2D(1))
      }
    }
  }

  @Test("1e30 inputs and weights: finite bounds, proportional to the ordinary ones")
  func hugeValues() throws {
    var random = SeededRandom(seed: 7)
    let x = (0..<(Self.c * Self.h * Self.w)).map { _ in Float(random.uniform(-1, 1)) }
    let W = (0..<(Self.k * Self.c * 9)).map { _ in Float(random.uniform(-1, 1)) }
    let ordinary = try Self.bounds(x: x, W: W)
    let huge = try Self.bounds(x: x.map { $0 * 1e30 }, W: W.map { $0 * 1e30 })
    #expect(huge.windowNorm.allSatisfy { $0.isFinite } && huge.filterScale.allSatisfy { $0.isFinite })
    for (big, small) in zip(huge.windowNorm, ordinary.windowNorm) where small > 0 {
      #expect(abs(Double(big) / 1e30 / Double(small) - 1) < 1e-5)
    }
    for (big, small) in zip(huge.filterScale, ordinary.filterScale) {
      #expect(abs(Double(big) / 1e30 / Double(small) - 1) < 1e-5)
    }
  }

  @Test("an infinite or NaN input gives a bound of 0 there: it marks no close call")
  func nonFinite() throws {
    var x = [Float](repeating: 0.5, count: Self.c * Self.h * Self.w)
    x[0] = .infinity
    x[1] = .nan
    let bounds = try Self.bounds(x: x, W: [Float](repeating: 0.25, count: Self.k * Self.c * 9))
    #expect(bounds.windowNorm.allSatisfy { $0.isFinite })
    #expect(bounds.windowNorm[0] == 0)
  }
}
