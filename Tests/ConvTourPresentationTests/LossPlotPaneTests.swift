import ConvTourLessons
import Testing

@testable import ConvTourPresentation

@Suite("The loss plot in the lesson screen")
struct LossPlotPaneTests {
  @Test("a repeat step shows its loss per epoch as a chart above the trained weights")
  func repeatStep() throws {
    var state = TourState(lessons: TourViewTests.lessons)
    let opened = state.open(id: "xor-learned")
    #expect(opened)
    let repeatStep = try #require(state.lesson.run?.records.firstIndex { $0.losses != nil }) + 1
    while state.lesson.step < repeatStep { _ = state.lesson.next() }
    #expect(state.lesson.record?.losses?.count == 300)
    let screen = TourView.render(state, width: 120, height: 40, capabilities: Capabilities())
    let text = screen.text
    #expect(text.contains("loss per epoch  300 epochs"))
    #expect(text.contains("0.2475 ┤"))
    #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    #expect(text.contains("W1_new"))
    #expect(!text.contains("writes losses"))
    let ascii = TourView.render(state, width: 120, height: 40, capabilities: Capabilities(unicode: false))
    #expect(ascii.text.contains("0.2475 +"))
    #expect(ascii.text.contains("*"))
  }
}
