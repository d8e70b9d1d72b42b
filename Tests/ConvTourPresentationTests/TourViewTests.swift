import ConvTourEngine
import ConvTourLessons
import Foundation
import Testing

@testable import ConvTourPresentation

/// The tour's screen as a grid of cells: panes, highlights, the small-terminal message and the
/// ASCII fallback, with no terminal at all.
@Suite("The tour's screens")
struct TourViewTests {
  static let lessons: [Lesson] = {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Lessons")
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
      $0.hasSuffix(".lesson")
    }.sorted()
    return files.compactMap { name in
      guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else {
        return nil
      }
      return try? LessonParser.parse(text, file: name)
    }.filter { lesson in
      // Lessons that read a dataset or a network's weights (`image(…)`, `init(…)`) run only
      // through the convtour command, which loads them (ProgramsTests covers them).
      !lesson.tensors.contains { if case .external = $0.values { true } else { false } }
    }
  }()

  func render(
    _ state: TourState, _ width: Int = 120, _ height: Int = 40, _ caps: Capabilities = Capabilities()
  )
    -> Screen
  {
    TourView.render(state, width: width, height: height, capabilities: caps)
  }

  /// The (row, column) of every cell drawn in `style`.
  func cells(_ screen: Screen, _ style: Style) -> [(Int, Int)] {
    var found: [(Int, Int)] = []
    for r in 0..<screen.height {
      for c in 0..<screen.width where screen[r, c].style == style { found.append((r, c)) }
    }
    return found
  }

  /// Maximal horizontal runs of cells in `style`: one per highlighted value.
  func runs(_ screen: Screen, _ style: Style) -> [(row: Int, column: Int)] {
    cells(screen, style).filter { r, c in c == 0 || screen[r, c - 1].style != style }.map {
      (row: $0.0, column: $0.1)
    }
  }

  func state(lesson id: String) throws -> TourState {
    var state = TourState(lessons: Self.lessons)
    let opened = state.open(id: id)
    #expect(opened)
    return state
  }

  @Test("the menu lists every lesson with its steps; / filters")
  func menu() {
    var state = TourState(lessons: Self.lessons)
    let screen = render(state)
    #expect(screen.text(row: 0).contains("ConvTour"))
    for lesson in Self.lessons.prefix(8) { #expect(screen.text.contains(lesson.title)) }
    #expect(screen.text.contains("\(Self.lessons[0].steps.count) steps"))
    // "max-p": other lessons cite the post's "Max Pooling" sections, so "pool" alone matches them too.
    for key in [
      Key.character("/"), .character("m"), .character("a"), .character("x"), .character("-"), .character("p"),
    ] {
      state.handle(key)
    }
    #expect(state.visibleLessons.map(\.id) == ["max-pool"])
    state.handle(.enter)
    state.handle(.enter)
    #expect(state.mode == .lesson)
    #expect(state.lesson.run?.lesson.id == "max-pool")
  }

  @Test("conv element level: z[1, 1, 1] highlighted, its 3×3 window of x as sources, 27 terms and the bias")
  func convolutionWindow() throws {
    var state = try state(lesson: "vgg-first-conv")
    state.handle(.character("n"))
    state.handle(.character("s"))
    #expect(state.lesson.detail == .element)
    let screen = render(state, 200, 50)
    #expect(screen.text(row: 0).contains("element 1/54"))
    // The output element, once.
    #expect(runs(screen, .output).count == 1)
    // 27 products: x's window (9 values of channel 1 shown) and W's filter (9 of channel 1) are sources.
    #expect(runs(screen, .source).count == 9 + 9 + 1)  // + the bias b[1]
    #expect(screen.text.contains("z[1, 1, 1] = z(1,1,1) = Σ of 28 terms"))
    let termLines = screen.text.split(separator: "\n").filter { $0.contains(" · W[1, ") }
    #expect(termLines.count == 27)
    // The window's cells: rows 1–3, columns 1–3 of x's grid, under its header, its note and its
    // index order.
    let xHeader = (0..<screen.height).first { screen.text(row: $0).contains("reads x") }!
    #expect(screen.text(row: xHeader + 1).contains("the shrunk input x"))
    #expect(
      screen.text(row: xHeader + 2).contains(
        "index [k, i, j] = documents' (i, j, k), k channel"))
    let sources = runs(screen, .source).filter { $0.row > xHeader && $0.row <= xHeader + 7 }
    #expect(Set(sources.map(\.row)) == [xHeader + 3, xHeader + 4, xHeader + 5])
    #expect(sources.count == 9)
  }

  @Test("max-pool: the winner of the window is marked")
  func maxPoolWinner() throws {
    var state = try state(lesson: "max-pool")
    // The first max-pool step.
    while state.lesson.record?.step.action.name != "maxpool", state.lesson.step < state.lesson.stepCount {
      state.handle(.character("n"))
    }
    state.handle(.character("s"))
    let screen = render(state)
    #expect(runs(screen, .winner).count == 1)
    #expect(runs(screen, .source).count == 3)  // the window's other three elements
    #expect(screen.text.contains("max of 4"))
  }

  @Test("softmax Jacobian: the entry, its row and its column, and the input it differentiates by")
  func softmaxJacobian() throws {
    var state = try state(lesson: "softmax")
    while state.lesson.record?.step.action.name != "softmax Jacobian",
      state.lesson.step < state.lesson.stepCount
    {
      state.handle(.character("n"))
    }
    state.handle(.character("s"))
    state.handle(.character("n"))  // entry (1, 2): ∂a(1)/∂z(2)
    let screen = render(state)
    #expect(screen.text.contains("∂softmax[1]/∂"))
    #expect(runs(screen, .output).count == 1)
    // Row 1 holds two other entries, column 2 two others, and z[2] is the input: 5 sources.
    #expect(runs(screen, .source).count == 5)
  }

  @Test("backward steps: gradients marked ∂, with the upstream gradient and the local derivative per term")
  func backward() throws {
    var state = try state(lesson: "computational-graph")
    while state.lesson.record.map({ if case .backward = $0.step.action { false } else { true } }) ?? true,
      state.lesson.step < state.lesson.stepCount
    {
      state.handle(.character("n"))
    }
    state.handle(.character("s"))
    let screen = render(state)
    #expect(screen.text.contains("writes ∂ "))
    #expect(screen.text.contains("·  ∂") || screen.text.contains(" · ∂"))
  }

  @Test("the delta-method lesson shows a + bΔ on the nodes")
  func deltaMethod() throws {
    var state = try state(lesson: "delta-method")
    for _ in 0..<3 { state.handle(.character("n")) }
    #expect(render(state).text.contains("2 + 1Δ"))
  }

  @Test("errata appear inline")
  func errata() throws {
    var state = try state(lesson: "vgg-first-conv")
    state.handle(.character("n"))
    #expect(render(state).text.contains("erratum z: the document says shape [3, 3, 3]"))
  }

  @Test("below 80×24 the screen says so, and recovers at 80×24")
  func tooSmall() throws {
    let state = try state(lesson: "softmax")
    let small = render(state, 60, 15)
    #expect(small.text.contains("needs a terminal of at least 80×24"))
    #expect(small.text.contains("This one is 60×15"))
    let enough = render(state, 80, 24)
    #expect(!enough.text.contains("needs a terminal"))
    #expect(enough.text(row: 0).lowercased().contains("softmax"))
  }

  @Test("without Unicode: ASCII lines and symbols; without colour the highlights still differ")
  func asciiFallback() throws {
    var state = try state(lesson: "vgg-first-conv")
    state.handle(.character("n"))
    state.handle(.character("s"))
    let screen = render(state, 120, 40, Capabilities(color: false, unicode: false))
    #expect(screen.cells.allSatisfy { $0.character.isASCII })
    #expect(screen.text.contains("-----"))
    #expect(screen.text.contains("sum of 28 terms"))
    #expect(!screen.text.contains("S of 28 terms"))
    // The menu at 80 columns clips long lines with "..." (a lone "." read as a full stop).
    let menu = render(TourState(lessons: Self.lessons), 80, 24, Capabilities(color: false, unicode: false))
    let unicodeMenu = render(TourState(lessons: Self.lessons), 80, 24)
    let clippedRows = (0..<24).filter { unicodeMenu.text(row: $0).contains("…") }
    #expect(!clippedRows.isEmpty)
    for row in clippedRows {
      let line = menu.text(row: row)
      #expect(line.hasSuffix("...") || line.contains("... "), "\(line)")
    }
    // Highlights are told apart by reverse / bold+underline, not by colour alone.
    #expect(Style.output.reverse && !Style.source.reverse && Style.source.underline && Style.winner.reverse)
  }

  @Test("keys: help lists every key; channel, places, go to step, home and end")
  func keys() throws {
    var state = try state(lesson: "vgg-first-conv")
    state.handle(.character("?"))
    #expect(state.mode == .help)
    let help = render(state).text
    for key in [
      "→  n  Space", "←", "p", "] / [", "T", "s", "o", "Home / End", "g", "c / C", "Tab", "+ / −", "v", "m",
      "?", "q",
    ] {
      #expect(help.contains(key))
    }
    state.handle(.escape)
    #expect(state.mode == .lesson)
    state.handle(.end)
    #expect(state.lesson.step == state.lesson.stepCount)
    state.handle(.home)
    #expect(state.lesson.step == 0)
    for key in [Key.character("g"), .character("1"), .character("2"), .enter] { state.handle(key) }
    #expect(state.lesson.step == 12)
    state.handle(.character("+"))
    #expect(state.lesson.places == 5)
    state.handle(.character("c"))
    #expect(state.lesson.channelOffset == 1)
    state.handle(.character("v"))
    #expect(render(state).text.contains("conv1_1"))
    #expect(state.handle(.character("q")) == .quit)
  }

  @Test(
    "VGG-16 run view: progress per layer, feature maps as half-block pictures on a colour scale, ASCII without colours"
  )
  func vggRunView() throws {
    var state = TourState(lessons: Self.lessons)
    state.handle(.character("v"))
    #expect(render(state).text.contains("conv1_1"))
    #expect(state.handle(.character("b")) == .startVGGRun(backward: true))
    #expect(state.vgg.showsRun)
    var run = VGGRunState()
    run.status = .running(backward: true)
    run.layer = 2
    run.forwardSeconds = [0: 0.012, 1: 0.034]
    var random = SeededRandom(seed: 3)
    run.outputs[0] = Tensor32(Tensor.random([1, 64, 16, 16], using: &random))
    run.outputGradients[0] = Tensor32(Tensor.random([1, 64, 16, 16], using: &random))
    state.vgg.run = run
    let screen = render(state)
    #expect(screen.text.contains("Esc cancels"))
    #expect(screen.text.contains("12.0"))
    #expect(screen.text.contains("conv1_1 output, channel 1 of 64"))
    #expect(
      screen.cells.contains { $0.character == "▀" && (16...231).contains($0.style.foreground.rawValue) })
    #expect(state.handle(.escape) == .cancelVGGRun)
    let ascii = render(state, 120, 40, Capabilities(color: false, unicode: false, colors256: false))
    #expect(ascii.cells.allSatisfy { $0.character.isASCII })
    #expect(ascii.text.contains("@") || ascii.text.contains("#"))
  }
}
