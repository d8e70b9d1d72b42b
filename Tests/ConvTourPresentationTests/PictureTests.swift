import ConvTourPresentation
import Foundation
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

@Suite("pictures drawn into cells")
struct MapDrawingTests {
  let map = MapPicture(height: 2, width: 4, values: [-2, -1, 0, 1, 2, 0, 0, -2])

  @Test("256 colours: two pixels a cell in the colour cube, upscaled by whole pixels")
  func halfBlocks() {
    var screen = Screen(width: 20, height: 6)
    let size = MapDrawing.draw(map, .diverging, on: &screen, top: 1, left: 2, rows: 4, columns: 16)
    #expect(size.rows == 4 && size.columns == 16)  // ×4: 8 pixel rows in 4 cells, 16 columns
    #expect(size.cell(row: 1, column: 3) == (row: 3, column: 14))
    let cell = screen[1, 2]
    #expect(cell.character == "▀")
    // Pixel (1, 1) is −2, the scale's blue end; pixel (2, 1) is 2, its red end.
    #expect(cell.style.foreground.rawValue == ColourScale.xterm256(ColourScale.diverging.colour(at: 0)))
    let below = screen[3, 2]
    #expect(below.style.foreground.rawValue == ColourScale.xterm256(ColourScale.diverging.colour(at: 1)))
    #expect(screen[0, 2].character == " " && screen[1, 1].character == " ")
  }

  @Test("without colour the sign stays visible: '=' low, ' ' zero, '#' high; ASCII shades otherwise")
  func characters() {
    var screen = Screen(
      width: 8, height: 3, capabilities: Capabilities(color: false, unicode: false, colors256: false))
    MapDrawing.draw(map, .diverging, on: &screen, top: 0, left: 0, rows: 2, columns: 4)
    // −2, −1, 0, 1 on [−2, 2]: the ramp's first four of "=- +#".
    #expect(screen.text(row: 0) == "=- +")
    MapDrawing.draw(
      MapPicture(height: 1, width: 3, values: [0, 5, 10]), .sequential, on: &screen, top: 2, left: 0, rows: 1,
      columns: 3)
    #expect(screen.text(row: 2) == " +@")
  }

  @Test("a map larger than its box is averaged down, keeping its shape")
  func shrinks() {
    var screen = Screen(
      width: 10, height: 10, capabilities: Capabilities(color: false, unicode: true, colors256: false))
    let big = MapPicture(height: 8, width: 8, values: (0..<64).map { Float($0 / 8) })  // rows 0…7
    let size = MapDrawing.draw(big, .sequential, on: &screen, top: 0, left: 0, rows: 4, columns: 10)
    #expect(size.rows == 4 && size.columns == 4)
    #expect(size.cell(row: 7, column: 1) == (row: 3, column: 0))
    // Rows 0 and 1 average to 0.5 (a blank on [0, 7]); rows 6 and 7 to 6.5 (full).
    #expect(screen[0, 0].character == " " && screen.text(row: 3) == "████")
  }

  @Test("the legend: the ends' numbers, the bar, and 0 in the middle of a diverging scale")
  func legend() {
    var screen = Screen(
      width: 40, height: 1, capabilities: Capabilities(color: false, unicode: false, colors256: false))
    MapDrawing.legend(.diverging, low: -3, high: 3, on: &screen, row: 0, left: 0, width: 40) { "\($0)" }
    let text = screen.text(row: 0)
    #expect(text.hasPrefix("-3.0 ="))
    #expect(text.contains(" 0 "))
    #expect(text.trimmingCharacters(in: .whitespaces).hasSuffix("# 3.0"))
  }
}
