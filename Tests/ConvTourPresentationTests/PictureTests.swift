import ConvTourPresentation
import Testing

/// The colour scales and the maps drawn with them (for the tour and the PNG files).
@Suite("pictures: colour scales and maps")
struct PictureTests {
  @Test("the diverging scale is white at 0, blue below and red above, symmetric about 0")
  func diverging() {
    let scale = ColourScale.diverging
    let (low, high) = scale.range(of: [Float(-0.5), 2, 0.25])
    #expect(low == -2 && high == 2)
    #expect(scale.colour(0, low: low, high: high) == ColourScale.RGB(0xF7, 0xF7, 0xF7))
    let below = scale.colour(-2, low: low, high: high)
    let above = scale.colour(2, low: low, high: high)
    #expect(below.blue > below.red && above.red > above.blue)
  }

  @Test("the sequential scale runs from the minimum (violet) to the maximum (yellow)")
  func sequential() {
    let scale = ColourScale.sequential
    let (low, high) = scale.range(of: [Float(3), 1, 2])
    #expect(low == 1 && high == 3)
    #expect(scale.colour(1, low: low, high: high) == ColourScale.RGB(0x44, 0x01, 0x54))
    #expect(scale.colour(3, low: low, high: high) == ColourScale.RGB(0xFD, 0xE7, 0x25))
    // Halfway between stops is the mean of the two, rounded.
    let mid = scale.colour(at: 0.05)
    #expect(mid == ColourScale.RGB(0x46, 0x13, 0x65))
    // A constant map takes the middle of the scale.
    #expect(scale.colour(5, low: 5, high: 5) == scale.colour(at: 0.5))
  }

  @Test("xterm's colour cube: black, white and pure red")
  func cube() {
    #expect(ColourScale.xterm256(.init(0, 0, 0)) == 16)
    #expect(ColourScale.xterm256(.init(255, 255, 255)) == 231)
    #expect(ColourScale.xterm256(.init(255, 0, 0)) == 196)
    #expect(ColourScale.xterm256(.init(95, 135, 175)) == 16 + 36 * 1 + 6 * 2 + 3)
  }

  @Test("shrinking averages blocks of pixels; enlarging repeats them")
  func shrinkAndEnlarge() {
    // [[1, 2, 3, 4], [5, 6, 7, 8]] into 1×2: the means of the two 2×2 blocks.
    let map = MapPicture(height: 2, width: 4, values: [1, 2, 3, 4, 5, 6, 7, 8])
    let small = map.shrunk(toFit: 1, 2)
    #expect(small == MapPicture(height: 1, width: 2, values: [3.5, 5.5]))
    #expect(map.shrunk(toFit: 10, 10) == map)
    let big = MapPicture(height: 1, width: 2, values: [1, 2]).enlarged(by: 2)
    #expect(big == MapPicture(height: 2, width: 4, values: [1, 1, 2, 2, 1, 1, 2, 2]))
  }

  @Test("a channel of an [M, C, H, W] tensor, and its RGB pixels with the range for the legend")
  func channelOfTensor() {
    // M = 2, C = 2, H = 1, W = 2: example 2, channel 2 is [7, 8].
    let values: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
    let map = MapPicture(values, shape: [2, 2, 1, 2], channel: 1, example: 1)
    #expect(map == MapPicture(height: 1, width: 2, values: [7, 8]))
    let (pixels, low, high) = map.rgb(.sequential)
    #expect(low == 7 && high == 8 && pixels.count == 6)
    #expect(Array(pixels[3..<6]) == [0xFD, 0xE7, 0x25])
  }
}
