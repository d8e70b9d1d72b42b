import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// A lesson's warning (a dataset taken instead of the one asked) on every step of the lesson.
@Suite("Lesson warnings in the tour")
struct LessonWarningTests {
  @Test("the lesson view shows its warning first among the notes, in the erratum style, on every step")
  func warningShown() throws {
    var state = TourState(lessons: TourViewTests.lessons)
    let warning =
      "$CONVTOUR_CIFAR10: /x: no such file or folder — lesson neuron takes the shipped digits instead"
    state.lessonWarnings = ["neuron": [warning]]
    let opened = state.open(id: "neuron")
    #expect(opened)
    for _ in 0..<2 {
      let screen = TourView.render(state, width: 80, height: 24, capabilities: Capabilities())
      let text = NetworkScreenTextTests.words(screen.text)
      #expect(text.contains(NetworkScreenTextTests.words("! " + warning)), "\(screen.text)")
      let row = try #require((0..<24).first { screen.text(row: $0).hasPrefix(" ! $CONVTOUR_CIFAR10") })
      #expect(screen[row, 1].style == .erratum)
      state.handle(.character("n"))
    }
    // Another lesson shows none.
    state.handle(.character("m"))
    let other = state.open(id: "xor")
    #expect(other)
    #expect(
      !TourView.render(state, width: 80, height: 24, capabilities: Capabilities()).text.contains("CIFAR"))
  }
}
