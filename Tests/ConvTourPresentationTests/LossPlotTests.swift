import Testing

@testable import ConvTourPresentation

@Suite("Loss plot")
struct LossPlotTests {
  let losses = (0..<50).map { 1.0 / Double($0 + 1) }

  @Test("braille: labelled axes, the first loss at the top left, the last at the bottom right")
  func braille() {
    var screen = Screen(width: 40, height: 10)
    LossPlot.draw(losses, into: &screen, row: 0, column: 0, width: 40, height: 10)
    #expect(screen.text(row: 0).hasPrefix("1.0000 ┤"))
    #expect(screen.text(row: 7).hasPrefix("0.0200 ┤"))
    #expect(screen.text(row: 8).hasPrefix("       └────"))
    let axis = screen.text(row: 9)
    #expect(axis.contains("1") && axis.contains("epoch") && axis.hasSuffix("50"))
    // The plot starts right after the axis, in column 8.
    #expect(screen[0, 8].character != " ")
    #expect(screen[7, 39].character != " ")
    #expect(screen[7, 8].character == " ")
    let dots = (0..<8).flatMap { r in (8..<40).map { screen[r, $0].character } }.filter { $0 != " " }
    #expect(dots.allSatisfy { ("\u{2801}"..."\u{28FF}").contains(String($0)) })
  }

  @Test("without Unicode: ASCII only, one * per point")
  func ascii() {
    let text = LossPlot.text(losses, label: "step", width: 40, height: 10, unicode: false)
    #expect(text.allSatisfy { $0.isASCII })
    #expect(text.contains("*"))
    #expect(text.split(separator: "\n")[0].hasPrefix("1.0000 +"))
    #expect(text.contains("step"))
  }

  @Test("no finite loss or too small a rectangle draws nothing; a flat loss draws a line")
  func edges() {
    var screen = Screen(width: 40, height: 10)
    LossPlot.draw([.nan, .infinity], into: &screen, row: 0, column: 0, width: 40, height: 10)
    LossPlot.draw(losses, into: &screen, row: 0, column: 0, width: 8, height: 3)
    #expect(screen.text.allSatisfy { $0 == " " || $0 == "\n" })
    let flat = LossPlot.text([2, 2, 2], width: 30, height: 6, unicode: true)
    #expect(flat.contains("2.0000"))
  }
}
