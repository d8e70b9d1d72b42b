import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// Playing a training step's epochs on the pure lesson state: `p` plays, a frame moves on, any
/// key pauses and does nothing else, `]` / `[` step; the screen shows the epoch's chart and
/// weights at 80×24 and 160×48, with and without Unicode.
@Suite("Playing a training step's epochs")
struct EpochPlayTests {
  /// The XOR lesson at its repeat step (300 epochs, all kept).
  func atRepeat() throws -> TourState {
    var state = TourState(lessons: TourViewTests.lessons)
    let opened = state.open(id: "xor-learned")
    #expect(opened)
    let repeatStep = try #require(state.lesson.run?.records.firstIndex { $0.losses != nil }) + 1
    state.lesson.go(to: repeatStep)
    return state
  }

  func render(_ state: TourState, _ width: Int, _ height: Int, unicode: Bool = true) -> String {
    TourView.render(state, width: width, height: height, capabilities: Capabilities(unicode: unicode)).text
  }

  /// Braille cells of the chart with any dot set.
  func dots(_ text: String) -> Int {
    text.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }.count
  }

  @Test("the step opens on its last epoch; p plays from epoch 1, each frame moves 3 of 300")
  func play() throws {
    var state = try atRepeat()
    #expect(state.lesson.shownEpoch == 300)
    #expect(state.lesson.playedEpochs.count == 300)
    #expect(!state.playing)
    state.handle(.character("p"))
    #expect(state.playing)
    #expect(state.lesson.shownEpoch == 1)
    state.tick()
    // 300 epochs in 100 frames (5 s at 20 a second): 3 a frame.
    #expect(state.lesson.shownEpoch == 4)
    for _ in 0..<200 { state.tick() }
    #expect(state.lesson.shownEpoch == 300)
    #expect(!state.playing)  // it stops at the last epoch
  }

  @Test("any key pauses and does nothing else: → stays on the step, ? opens no help, q does not quit")
  func anyKeyPauses() throws {
    var state = try atRepeat()
    let step = state.lesson.step
    for key in [Key.right, .character("?"), .character("q"), .character("]"), .escape] {
      state.handle(.character("p"))
      state.tick()
      let epoch = state.lesson.shownEpoch
      #expect(state.handle(key) == nil)
      #expect(!state.playing)
      #expect(state.mode == .lesson)
      #expect(state.lesson.step == step)
      #expect(state.lesson.shownEpoch == epoch)
      state.tick()
      #expect(state.lesson.shownEpoch == epoch)  // paused stays paused
    }
    // Paused mid-way, p resumes from the epoch shown.
    let epoch = try #require(state.lesson.shownEpoch)
    state.handle(.character("p"))
    state.tick()
    #expect(state.lesson.shownEpoch == epoch + 3)
  }

  @Test("] and [ step one epoch, within 1…300; leaving the step stops the play")
  func stepping() throws {
    var state = try atRepeat()
    state.handle(.character("]"))
    #expect(state.lesson.shownEpoch == 300)
    state.handle(.character("["))
    state.handle(.character("["))
    #expect(state.lesson.shownEpoch == 298)
    let snapshot = try #require(state.lesson.shownSnapshot)
    #expect(snapshot.epoch == 298)
    #expect(snapshot.loss == state.lesson.record?.losses?[297])
    state.handle(.character("p"))
    state.lesson.playing = true
    state.lesson.go(to: state.lesson.step - 1)
    #expect(!state.playing)
    #expect(state.lesson.shownEpoch == nil)
    // On a step that does not train, p and ] say what they are for.
    state.handle(.character("p"))
    #expect(state.lesson.message?.contains("p plays the epochs of a training step") == true)
    #expect(!state.playing)
    state.handle(.character("]"))
    #expect(state.lesson.message?.contains("step through the epochs") == true)
  }

  @Test("the screen at 160×48: the chart grows with the epoch, the panes show that epoch's W, ∂W, update")
  func wide() throws {
    var state = try atRepeat()
    let end = render(state, 160, 48)
    #expect(end.contains("epoch 300 of 300 · loss "))
    #expect(end.contains("the last epoch — p plays from epoch 1"))
    #expect(end.contains("p play · ] [ epoch"))
    state.handle(.character("p"))
    for _ in 0..<10 { state.tick() }  // epoch 31
    let playing = render(state, 160, 48)
    let loss = try #require(state.lesson.record?.losses?[30])
    let shown = NumberFormat.readable(loss, places: 4)
    #expect(playing.contains("epoch 31 of 300 · loss \(shown) · playing — any key pauses"))
    #expect(playing.contains("epoch 31 W1  (2, 2)"))
    #expect(playing.contains("epoch 31 ∂ dW1  (2, 2)"))
    #expect(playing.contains("epoch 31 W1_new  (2, 2)"))
    // The chart so far: fewer dots than the whole, on the same axes (1 … 300).
    #expect(dots(playing) > 0)
    #expect(dots(playing) < dots(end))
    #expect(playing.contains("300\n") || playing.contains("300 "))
    // The hint line is the status while it plays.
    let lines = playing.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[47].contains("playing — any key pauses"))
  }

  @Test("the screen at 80×24, and in ASCII: the status, the chart and the keys")
  func narrowAndAscii() throws {
    var state = try atRepeat()
    state.handle(.character("p"))
    state.tick()
    let narrow = render(state, 80, 24)
    #expect(narrow.contains("epoch 4 of 300 · loss "))
    #expect(narrow.contains("0.2475 ┤"))
    state.handle(.character("x"))
    let ascii = render(state, 80, 24, unicode: false)
    #expect(ascii.contains("epoch 4 of 300 | loss "))
    #expect(ascii.contains("paused - p plays, [ ] step"))
    #expect(ascii.contains("0.2475 +"))
    #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
  }

  @Test("help lists p and ] [")
  func help() throws {
    var state = try atRepeat()
    state.handle(.character("?"))
    let text = render(state, 160, 48)
    #expect(text.contains("on a training step (repeat): play the epochs"))
    #expect(text.contains("on a training step: the next / previous epoch"))
  }
}
