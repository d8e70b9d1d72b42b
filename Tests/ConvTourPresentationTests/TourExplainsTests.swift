import ConvTourEngine
import ConvTourLessons
import Foundation
import Testing

@testable import ConvTourPresentation

/// The tour shows every number whole and says what each is: the terms pane's full values and
/// running sums, backward substitutions, cut tensors, the menu filter, ASCII spellings, pacing.
@Suite("The tour shows every number and explains it")
struct TourExplainsTests {
  var lessons: [Lesson] { TourViewTests.lessons }

  func render(_ state: TourState, _ width: Int = 120, _ height: Int = 40, unicode: Bool = true) -> Screen {
    TourView.render(
      state, width: width, height: height, capabilities: Capabilities(color: unicode, unicode: unicode))
  }

  func opened(_ id: String) throws -> TourState {
    var state = TourState(lessons: lessons)
    let opened = state.open(id: id)
    #expect(opened)
    return state
  }

  /// Steps forward until the step's action is `name` (or the lesson ends).
  func go(_ state: inout TourState, to name: String) {
    while state.lesson.record?.step.action.name != name, state.lesson.step < state.lesson.stepCount {
      state.handle(.character("n"))
    }
  }

  /// Every line of the terms pane (right of the │), scrolling it to the end.
  func termLines(_ state: TourState, _ width: Int, _ height: Int) -> [String] {
    var state = state
    state.lesson.focus = .terms
    var seen: [String] = []
    for _ in 0..<40 {
      let screen = render(state, width, height)
      let lines = (0..<height).compactMap { row -> String? in
        let text = screen.text(row: row)
        guard let bar = text.firstIndex(of: "│") else { return nil }
        return String(text[text.index(after: bar)...])
      }
      seen.append(contentsOf: lines)
      state.lesson.termsScroll += 5
    }
    return seen
  }

  @Test(
    "z(1,1,1): 27 products and the bias with full values, and a running sum that ends at z",
    arguments: [
      (80, 24), (120, 40), (200, 50),
    ])
  func convolutionTerms(size: (Int, Int)) throws {
    var state = try opened("vgg-first-conv")
    state.handle(.character("n"))
    state.handle(.character("s"))
    let z = state.lesson.currentElement!
    #expect(z.terms.count == 28)
    let text = termLines(state, size.0, size.1).joined(separator: "\n")
    let number = state.lesson.numberStyle
    // Every term's value and the running sum after it appear whole.
    var running = 0.0
    for term in z.terms {
      running += term.value
      #expect(text.contains("= \(number.text(term.value))"), "term \(term.value) at \(size)")
      #expect(text.contains("Σ = \(number.text(running))"), "sum \(running) at \(size)")
    }
    #expect(number.text(running) == number.text(z.value))
    #expect(number.text(z.value) == "0.4581")
    #expect(text.contains("x[1, 1, 1] · W[1, 1, 1, 1]"))
  }

  @Test("a backward term names its local derivative and substitutes it: ∂z/∂W = X, highlighted")
  func backwardSubstitution() throws {
    var state = try opened("convolution-backward")
    while state.lesson.record?.writes.contains(where: { $0.name == "dW" }) != true,
      state.lesson.step < state.lesson.stepCount
    {
      state.handle(.character("n"))
    }
    state.handle(.character("s"))
    // The elements of dX come first; the first of dW follows them.
    while state.lesson.currentElement?.tensor != "dW", state.lesson.detail == .element {
      state.handle(.character("n"))
    }
    let e = try #require(state.lesson.currentElement)
    #expect(e.tensor == "dW")
    let screen = render(state, 200, 50)
    let local = e.terms[0].factors[1]
    let source = local.local!.factors[0]
    #expect(source.tensor == "X")
    let name = "∂conv2d[\(IndexText.oneBased(local.derivative!.outputIndex))]/∂W[1, 1, 1, 1]"
    let line =
      "\(name) = X[\(IndexText.oneBased(source.index))] = \(state.lesson.numberStyle.text(source.value))"
    #expect(screen.text.contains(line))
    // X's window is highlighted: one source cell per path (4 outputs read W[1,1,1,1]).
    let xHeader = (0..<50).first { screen.text(row: $0).contains("reads X") }!
    let highlighted = (xHeader..<(xHeader + 10)).flatMap { r in
      (0..<200).filter { screen[r, $0].style == .source && ($0 == 0 || screen[r, $0 - 1].style != .source) }
    }
    #expect(highlighted.count == 4)
  }

  @Test("max-pool backward says which element wins; softmax's Jacobian entry is −a_j·a_i")
  func poolingAndSoftmaxDerivatives() throws {
    var state = try opened("max-pool")
    go(&state, to: "maxpool backward")
    state.handle(.character("s"))
    let lines = termLines(state, 200, 50).joined(separator: "\n")
    #expect(lines.contains("= 1: it wins the window") || lines.contains("= 0: the window's max is"))

    var softmax = try opened("softmax")
    go(&softmax, to: "softmax Jacobian")
    softmax.handle(.character("s"))
    softmax.handle(.character("n"))  // J(1, 2)
    let e = softmax.lesson.currentElement!
    let text = render(softmax, 200, 50).text
    #expect(text.contains("∂softmax[1]/∂o[2] = −a[1]·a[2] = −"))
    #expect(text.contains(softmax.lesson.numberStyle.text(e.value)))
  }

  @Test("grad and numgrad steps have an element level: each gradient as its sum of paths, or its nudges")
  func gradientElements() throws {
    var state = try opened("delta-method")
    go(&state, to: "backpropagation")
    state.handle(.character("s"))
    #expect(state.lesson.detail == .element)
    let e = try #require(state.lesson.currentElement)
    // The paths add up to the gradient the step wrote, each a δ times a local derivative.
    #expect(abs(e.terms.reduce(0) { $0 + $1.value } - e.value) < 1e-12)
    #expect(e.terms.allSatisfy { $0.factors.count == 2 && $0.factors[1].local != nil })
    #expect(render(state, 200, 50).text.contains("· ∂"))
    var numeric = try opened("delta-method")
    go(&numeric, to: "central difference")
    numeric.handle(.character("s"))
    let n = try #require(numeric.lesson.currentElement)
    #expect(n.terms[0].factors.count == 4)
    #expect(render(numeric, 200, 50).text.contains("(L⁺ − L⁻) / 2h"))
  }

  @Test("softmax forward shows the sum of exponentials and the division")
  func softmaxForward() throws {
    var state = try opened("softmax")
    go(&state, to: "softmax")
    state.handle(.character("s"))
    let e = state.lesson.currentElement!
    let total = e.terms.reduce(0) { $0 + $1.value }
    let text = render(state, 200, 50).text
    let number = state.lesson.numberStyle
    #expect(text.contains("Σ = \(number.text(total))"))
    #expect(text.contains("/ \(number.text(total)) = \(number.text(e.value))"))
  }

  @Test("a tensor wider than its pane says how many columns are hidden and scrolls")
  func cutTensor() throws {
    var state = try opened("max-pool")
    go(&state, to: "maxpool")
    state.handle(.character("s"))
    #expect(render(state, 80, 100).text.contains("more column"))
    // At element level a short pane keeps the highlighted rows; the cut shows by its ◀ ▶ marks.
    let screen = render(state, 80, 24)
    #expect(screen.text.contains("▶") || screen.text.contains("◀"))
    // The highlighted window is on screen, its output too.
    #expect(screen.cells.contains { $0.style == .output })
    #expect(screen.cells.contains { $0.style == .winner })
  }

  @Test("menu filter: h is text, the header counts what is shown, Enter opens the chosen match")
  func menuFilter() {
    var state = TourState(lessons: lessons)
    for key in [Key.character("/")] + "graph".map(Key.character) { state.handle(key) }
    #expect(state.mode == .menu)
    #expect(state.menu.filter == "graph")
    let visible = state.visibleLessons
    #expect(!visible.isEmpty && visible.count < lessons.count)
    #expect(render(state).text(row: 0).contains("\(visible.count) of \(lessons.count) lessons"))
    #expect(render(state).text.contains("/graph"))
    var two = TourState(lessons: lessons)
    for key in [Key.character("/")] + "conv".map(Key.character) + [.down, .enter] { two.handle(key) }
    #expect(two.mode == .lesson)
    #expect(two.lesson.run?.lesson.id == two.menu.visible(lessons)[1].id)
  }

  @Test("LC_ALL=C: every screen of every lesson in ASCII, superscripts and subscripts spelled, no ?")
  func asciiSpellings() throws {
    #expect(AsciiSpelling.text("w⁽²⁾₁,₁") == "w^(2)_1,1")
    #expect(AsciiSpelling.text("∂J/∂W⁽²⁾") == "dJ/dW^(2)")
    #expect(AsciiSpelling.text("θ → θ − η·∂J/∂θ") == "theta -> theta - eta*dJ/dtheta")
    // No spelling reads as something else: "·" is no decimal point, "Σ" no letter S, "…" no full stop.
    #expect(AsciiSpelling.text("z = Σ s·W + b, Σ_c Σᵢ a…") == "z = sum s*W + b, sum_c sum_i a...")
    #expect(AsciiSpelling.text("Σx·2") == "sum x*2")
    #expect(AsciiSpelling.text("δ̃ = x̃") == "d~ = x~")
    // Every character of every lesson file has a spelling of its own, none the "." of the unknown.
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Lessons")
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
    where name.hasSuffix(".lesson") {
      let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      let unspelled = Set(text.filter { !AsciiSpelling.spells($0) })
      #expect(unspelled.isEmpty, "\(name): \(unspelled.sorted())")
    }
    for lesson in lessons {
      var state = TourState(lessons: lessons)
      _ = state.open(id: lesson.id)
      for _ in 0...min(state.lesson.stepCount, 12) {
        let screen = render(state, 120, 40, unicode: false)
        #expect(screen.cells.allSatisfy { $0.character.isASCII })
        let text = screen.text.replacingOccurrences(of: "? help", with: "")
        // A "?" the lesson itself writes (a section title quoted in a citation) is no unspelled character.
        let lessonText =
          lesson.steps.map { $0.formula + $0.prose }.joined() + lesson.title + lesson.source
          + lesson.expectations.map { ($0.citation ?? "") + $0.text }.joined()
        if !lessonText.contains("?") {
          #expect(!text.contains("?"), "\(lesson.id) step \(state.lesson.step)")
        }
        state.handle(.character("n"))
      }
    }
  }

  @Test("a lesson reopens where it was left; the last step offers the next lesson; g past the end says so")
  func pacing() throws {
    var state = try opened("softmax")
    for _ in 0..<3 { state.handle(.character("n")) }
    state.handle(.character("m"))
    #expect(state.mode == .menu)
    let reopened = state.open(id: "softmax")
    #expect(reopened && state.lesson.step == 3)
    for key in [Key.character("g"), .character("9"), .character("9"), .enter] { state.handle(key) }
    #expect(state.lesson.step == state.lesson.stepCount)
    #expect(render(state).text.contains("past the end"))
    state.handle(.character("o"))
    let next = state.nextLesson!
    #expect(render(state).text.contains("→ next lesson: \(next.title)"))
    state.handle(.character("n"))
    #expect(state.lesson.run?.lesson.id == next.id)
  }

  @Test("f folds the steps a lesson marks as arithmetic detail into one, and unfolds them")
  func folding() throws {
    var state = try opened("max-pool")
    let fold = try #require(state.lesson.run?.lesson.folds.first)
    #expect(render(state).text.contains("f fold detail"))
    state.handle(.character("f"))
    state.handle(.character("n"))
    #expect(state.lesson.step == fold.steps.upperBound)
    #expect(render(state).text.contains("folded into one (f unfolds)"))
    state.handle(.character("n"))
    state.handle(.left)
    state.handle(.left)
    #expect(state.lesson.step == fold.steps.lowerBound - 1)
    state.handle(.character("f"))
    state.handle(.character("n"))
    #expect(state.lesson.step == fold.steps.lowerBound)
    var plain = try opened("softmax")
    plain.handle(.character("f"))
    #expect(render(plain).text.contains("marks no steps as arithmetic detail"))
  }

  @Test("hidden helpers stay out of the tensors pane; documents are named by title")
  func hiddenAndTitles() throws {
    let state = try opened("vgg-first-conv")
    #expect(state.lesson.hidden.contains("one"))
    let text = render(state, 200, 50).text
    #expect(!text.contains("given one"))
    #expect(text.contains("Convolutional Networks - VGG16"))
    #expect(render(TourState(lessons: lessons), 200, 50).text.contains("Convolutional Networks - VGG16"))
  }

  @Test("the word-wrapper loses nothing and keeps bracketed indices whole")
  func wordWrap() {
    let text = "x[1, 1, 1] · W[1, 1, 1, 1] = −0.1990 · −0.5561 = 0.1106 and a very-long-word-indeed"
    let lines = WordWrap.lines(text, width: 20, hanging: 2)
    #expect(lines.allSatisfy { $0.count <= 20 })
    #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " })
    // An operator starts its line, with its operand.
    #expect(lines.starts(with: ["x[1, 1, 1]", "  · W[1, 1, 1, 1]", "  = −0.1990"]))
  }
}
