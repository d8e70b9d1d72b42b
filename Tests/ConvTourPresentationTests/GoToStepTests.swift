import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// `g N`: the step the screen calls N, folded or not.
@Suite("Go to step")
struct GoToStepTests {
  func render(_ state: TourState) -> Screen {
    TourView.render(state, width: 80, height: 24, capabilities: Capabilities())
  }

  func go(_ n: String, _ state: inout TourState) {
    state.handle(.character("g"))
    for c in n { state.handle(.character(c)) }
    state.handle(.enter)
  }

  @Test("folded, g N goes to the step the title calls N; the prompt counts the steps shown")
  func foldedNumbers() throws {
    var state = TourState(lessons: TourViewTests.lessons)
    let opened = state.open(id: "max-pool")  // fold: steps 1–8, one step when folded
    #expect(opened)
    state.handle(.character("f"))
    state.handle(.character("g"))
    #expect(render(state).text(row: 23).contains("go to step (0–58)"))
    state.handle(.escape)
    // Every number the screen gives, 0 to 58, is reached by g and shown as that number.
    for n in [0, 1, 2, 3, 30, 57, 58] {
      go(String(n), &state)
      #expect(render(state).text(row: 0).hasSuffix("step \(n)/58 (+7 folded) · op level"), "g \(n)")
    }
    go("1", &state)
    #expect(state.lesson.step == 8)  // the fold is shown at its last step, as n shows it
    go("2", &state)
    #expect(state.lesson.step == 9)
    go("59", &state)
    #expect(render(state).text.contains("step 59 is past the end: this lesson has steps 0–58"))
    #expect(render(state).text(row: 0).hasSuffix("step 58/58 (+7 folded) · op level"))
    // Unfolded, g N is step N of the file.
    state.handle(.character("f"))
    go("9", &state)
    #expect(state.lesson.step == 9)
    #expect(render(state).text(row: 0).hasSuffix("step 9/65 · op level"))
  }
}
