import Testing

@testable import ConvTourEngine

/// `IdenticalWindows` finds equal windows exactly, and its shortcut (no pixel repeats and none is
/// all zero: then no window repeats) holds only where it is true.
@Suite("Identical windows")
struct IdenticalWindowsTests {
  /// x [1, 2, 5, 6] of distinct non-zero values.
  static let distinct: [Float] = (0..<60).map { Float($0 + 1) / 7 }

  static func windows(_ values: [Float], padding: Int) throws -> IdenticalWindows {
    let g = try Convolution(stride: 1, padding: padding, hasBias: false).geometry([
      [1, 2, 5, 6], [1, 2, 3, 3],
    ])
    return values.withUnsafeBufferPointer {
      IdenticalWindows($0.baseAddress!, g, stride: Extent2D(1), padding: Extent2D(padding))
    }
  }

  @Test("distinct pixels, padding less than the filter: no window repeats")
  func distinctPixels() throws {
    let found = try Self.windows(Self.distinct, padding: 1)
    #expect(found.repeats == 0)
    #expect(found.first == (0..<30).map { Int32($0) })
  }

  @Test("distinct pixels, padding as wide as the filter: the windows all in padding repeat the first")
  func allPaddingWindows() throws {
    let found = try Self.windows(Self.distinct, padding: 3)
    // Output 9×10; windows entirely in the padding: rows 0 and 8, columns 0 and 9.
    let allPadding = (0..<90).filter { q in [0, 8].contains(q / 10) || [0, 9].contains(q % 10) }
    #expect(found.repeats == allPadding.count - 1)
    #expect(allPadding.allSatisfy { found.first[$0] == 0 })
  }

  @Test("one all-zero pixel: a window holding it can equal a window over the padding")
  func zeroPixel() throws {
    var values = Self.distinct
    values[0] = 0  // pixel (0, 0) of both channels
    values[30] = 0
    let found = try Self.windows(values, padding: 1)
    // The window at output (0, 0) has the zero pixel at tap (1, 1) and padding at the top and
    // left; no other window has the same taps, so nothing repeats — but the slow path decided it.
    #expect(found.repeats == 0)
  }
}
