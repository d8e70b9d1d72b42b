import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// Keys on the network screen act on what is shown (issue 22 §3): the hidden table does not
/// scroll, the weight view offers only what it does, and the first `s` shows its cursor.
@Suite("VGG-16 screen: keys act on what is visible")
struct VGGVisibleKeysTests {
  /// The run view of a finished forward and backward run (the shrunk network), conv1_2 selected.
  static func state() throws -> TourState {
    var state = TourState(lessons: [])
    state.mode = .vgg
    state.vgg.showsRun = true
    var run = VGGRunState()
    run.record = try VGGExplorerTests.record()
    run.status = .done(backward: true)
    run.gradientNorms = run.record!.gradientNorms
    state.vgg.run = run
    state.vgg.selected = 1
    return state
  }

  static func screen(_ state: TourState) -> Screen {
    TourView.render(state, width: 80, height: 24, capabilities: Capabilities())
  }

  @Test("arrows in an explanation leave the hidden table where it was: s s → → → Esc Esc t shows it whole")
  func arrowsInExplanation() throws {
    var state = try Self.state()
    let table = Self.screen(
      {
        var s = state
        s.handle(.character("t"))
        return s
      }())
    // s until the explanation is open (the first s shows the cursor), then the arrows in it.
    state.handle(.character("s"))
    if state.vgg.explorer.lines == nil { state.handle(.character("s")) }
    #expect(state.vgg.explorer.lines != nil)
    for key in [Key.right, .right, .right, .escape, .escape] { state.handle(key) }
    #expect(state.vgg.explorer.lines == nil && !state.vgg.explorer.active)
    // In the run view, where no table shows, sideways keys scroll nothing either.
    state.handle(.character("l"))
    state.handle(.character("t"))
    #expect(!state.vgg.showsRun)
    #expect(state.vgg.column == 0)
    #expect(Self.screen(state).text == table.text)
  }

  @Test("the w view offers x/X (the weight's input channel), which work, and not o")
  func weightViewKeys() throws {
    var state = try Self.state()
    for key in [Key.character("s"), .character("s"), .character("w")] { state.handle(key) }
    let first = try #require(state.vgg.explorer.lines?.first)
    #expect(first.hasPrefix("∂J/∂W[1, 1, 2, 2] of conv1_2"))
    let footer = Self.screen(state).text(row: 22)
    #expect(footer.contains("x/X"))
    #expect(!footer.contains("o order"))
    // o leaves the weight view as it was (it used to replace it by the element's explanation).
    state.handle(.character("o"))
    #expect(state.vgg.explorer.lines?.first == first)
    // x: the weight from input channel 2; X back to 1; X again stays on 1.
    state.handle(.character("x"))
    #expect(state.vgg.explorer.lines?.first?.hasPrefix("∂J/∂W[1, 2, 2, 2] of conv1_2") == true)
    state.handle(.character("X"))
    state.handle(.character("X"))
    #expect(state.vgg.explorer.lines?.first == first)
    // The element's explanation still offers o, and o still orders it.
    state.handle(.escape)
    state.handle(.character("s"))
    #expect(Self.screen(state).text(row: 22).contains("o order"))
  }

  @Test("the first s shows the cursor on the map and says s explains it; the second explains that element")
  func firstStepShowsCursor() throws {
    var state = try Self.state()
    state.handle(.right)  // the cursor's column 2, once the cursor is there
    state.handle(.character("s"))
    #expect(state.vgg.explorer.active && state.vgg.explorer.lines == nil)
    let screen = Self.screen(state)
    #expect(screen.cells.contains { $0.character == "◆" && $0.style == .output })
    #expect(screen.text.contains("the cursor is on [1, 1, 1]: s explains it"))
    state.handle(.right)
    state.handle(.character("s"))
    let text = try #require(state.vgg.explorer.lines).joined(separator: "\n")
    #expect(text.contains("conv1_2 (a⁽²⁾), example 1, element [1, 1, 2]"))
  }

  @Test("at 80×24 softmax keeps its saliency label whole, the g grid names its layer and scale")
  func narrowLabels() throws {
    var state = try Self.state()
    state.vgg.selected = state.vgg.layerCount - 1  // softmax: top-5, loss, input and saliency
    let softmax = Self.screen(state)
    let rows = (0..<24).map { softmax.text(row: $0) }
    let labelled = rows.contains { $0.contains("saliency max_c |∂J/∂x|") }
    let split = zip(rows, rows.dropFirst()).contains {
      $0.hasSuffix("saliency max_c") && $1.hasSuffix("|∂J/∂x|")
    }
    #expect(labelled || split, "\(softmax.text)")
    state.vgg.selected = 1
    state.handle(.character("g"))
    let grid = Self.screen(state).text
    #expect(grid.contains("conv1_2 output: each channel"))
    #expect(grid.contains("from its own min to max"))
  }

  @Test("after a, the header names the algorithm that computed the maps shown, and the next run's")
  func algorithmShown() throws {
    var state = try Self.state()
    state.vgg.run.algorithm = .direct  // the run shown was computed directly
    #expect(Self.screen(state).text(row: 0).hasPrefix(" VGG-16 at 224×224 · direct (a)"))
    state.handle(.character("a"))
    #expect(Self.screen(state).text(row: 0).contains("· direct · next run winograd (a)"))
    // A run started now is a Winograd run, and says so.
    state.vgg.showsRun = true
    _ = state.vgg.handle(.character("r"))
    #expect(state.vgg.run.algorithm == .winograd)
    #expect(Self.screen(state).text(row: 0).hasPrefix(" VGG-16 at 224×224 · winograd (a)"))
  }
}
