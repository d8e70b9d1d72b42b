import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// The tour at 80×24 (issue 22 §3): what a small terminal must still show.
@Suite("The tour at 80×24")
struct NarrowTourTests {
  func render(_ state: TourState, _ width: Int = 80, _ height: Int = 24) -> Screen {
    TourView.render(state, width: width, height: height, capabilities: Capabilities())
  }

  func opened(_ id: String, step: Int) throws -> TourState {
    var state = TourState(lessons: TourViewTests.lessons)
    let opened = state.open(id: id)
    #expect(opened)
    while state.lesson.step < step { state.handle(.character("n")) }
    return state
  }

  @Test("the element level keeps the highlighted inputs in view: the window of s, the filter, the bias, z")
  func highlightedInputsVisible() throws {
    var state = try opened("vgg-first-conv", step: 13)  // z_same = conv2d(s, W, b), s padded
    state.handle(.character("s"))
    for _ in 0..<12 { state.handle(.character("n")) }  // element 13: z_same[1, 3, 3]
    let e = try #require(state.lesson.currentElement)
    #expect(e.index == [0, 2, 2])
    let screen = render(state)
    let pane = screen.cells.enumerated().filter { $0.offset % 80 < 30 }.map(\.element)
    // s's 3×3 window of channel 1 and W[1, 1, :, :] (9 cells each), b[1]: all on screen.
    #expect(pane.filter { $0.style == .source }.count >= 19)
    #expect(pane.contains { $0.style == .output })
    // The rows of s shown are named.
    #expect(screen.text.contains("reads s channel 1/3 rows 3–5"))
    // Scrolled by the student, the pane is whole again.
    state.handle(.character("j"))
    #expect(!render(state).text.contains("rows 3–5"))
  }

  @Test("words are not broken mid-word: a bracketed index longer than a line breaks at its spaces")
  func noMidWordBreaks() throws {
    let note = "the six filters, stored [filter k, channel n, row l, column m]; seeded random values"
    let lines = WordWrap.lines(note, width: 25, hanging: 2)
    #expect(lines.allSatisfy { $0.count <= 25 })
    let words = Set(note.split(separator: " ").map(String.init))
    for line in lines {
      for word in line.split(separator: " ") { #expect(words.contains(String(word)), "\(lines)") }
    }
    // The tour: W's note in the tensors pane, 30 columns beside the terms at 80 wide.
    var state = try opened("vgg-first-conv", step: 1)
    state.handle(.character("s"))
    let screen = render(state, 80, 70)
    // The pane's rows joined with single spaces read the note's words whole.
    let pane = (0..<70).map { String(screen.text(row: $0).prefix(29)) }.joined(separator: " ")
      .split(separator: " ").joined(separator: " ")
    #expect(pane.contains("stored [filter k, channel n, row l, column m]; seeded random values"))
  }

  @Test("the training panel never wraps a number away from its unit (1.11 s/step, 10 steps)")
  func trainingStatusUnits() {
    var state = TourState(lessons: [])
    state.mode = .vgg
    state.handle(.character("T"))
    state.vgg.training.status = .training
    state.vgg.training.losses = [6.8422, 6.13178, 2.40747]
    state.vgg.training.gradientNorms = [8.9946, 14.44, 50.61]
    state.vgg.training.seconds = [1.19, 1.19, 1.11]
    for unicode in [true, false] {
      for width in 80...100 {
        let screen = TourView.render(
          state, width: width, height: 24, capabilities: Capabilities(color: unicode, unicode: unicode))
        let rows = (0..<24).map { screen.text(row: $0) }
        #expect(rows.contains { $0.contains("1.11 s/step") }, "\(width): \(screen.text)")
        #expect(rows.contains { $0.contains("10 steps") }, "\(width): \(screen.text)")
      }
    }
  }

  @Test("folded steps are counted as such: the title counts the steps shown and the steps folded")
  func foldedStepsCounted() throws {
    var state = try opened("max-pool", step: 0)  // fold: steps 1–8, one step when folded
    #expect(render(state).text(row: 0).hasSuffix("step 0/65 · op level"))
    state.handle(.character("f"))
    state.handle(.character("n"))  // onto the fold: it stands for steps 1–8
    #expect(state.lesson.step == 8)
    #expect(render(state).text(row: 0).hasSuffix("step 1/58 (+7 folded) · op level"))
    state.handle(.character("n"))
    #expect(render(state).text(row: 0).hasSuffix("step 2/58 (+7 folded) · op level"))
    state.handle(.character("f"))
    #expect(render(state).text(row: 0).hasSuffix("step 9/65 · op level"))
  }

  @Test("a loss chart on a log scale: a loss falling by decades climbs evenly (100, 10, 1: 10 at mid-height)")
  func logScaleChart() {
    func rows(_ log: Bool) -> [String] {
      var screen = Screen(width: 30, height: 5, capabilities: Capabilities(color: false, unicode: false))
      LossPlot.draw([100, 10, 1], into: &screen, row: 0, column: 0, width: 30, height: 5, logScale: log)
      return (0..<3).map { screen.text(row: $0) }
    }
    // The middle epoch's column: x = (1/2) of the plot, right of the "| " axis.
    let (linear, log) = (rows(false), rows(true))
    let column = linear[0].firstIndex(of: "+").map { linear[0].distance(from: linear[0].startIndex, to: $0) }!
    let middle = column + 1 + (30 - column - 2) / 2
    func at(_ row: String) -> Character {
      Array(row.padding(toLength: 30, withPad: " ", startingAt: 0))[middle]
    }
    #expect(at(log[1]) == "*", "\(log)")
    #expect(at(linear[1]) != "*", "\(linear)")
    #expect(!LossPlot.canBeLogarithmic([1, 0, 2]))
  }

  @Test("pattern-detector-learned: its loss chart offers a log scale (L), and says which it shows")
  func lessonLogScale() throws {
    var state = try opened("pattern-detector-learned", step: 0)
    while state.lesson.record?.losses == nil, state.lesson.step < state.lesson.stepCount {
      state.handle(.character("n"))
    }
    #expect(state.lesson.showsEpochs)
    let linear = render(state, 120, 40)
    #expect(linear.text.contains("L: log scale"))
    #expect(linear.text(row: 39).contains("L log scale"))
    state.handle(.character("L"))
    let log = render(state, 120, 40)
    #expect(log.text.contains("log scale (L: linear)"))
    #expect(log.text != linear.text)
  }
}
