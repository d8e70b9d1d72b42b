import ConvTourEngine
import ConvTourLessons

/// Everything the tour's screen shows, and how keys change it. The screen is a pure function of
/// this state and the terminal's size (`TourView.render`).
public struct TourState: Sendable {
  public enum Mode: Equatable, Sendable {
    case menu, lesson, help, vgg
  }

  public enum Detail: Equatable, Sendable {
    case op, element
  }

  /// The pane that j/k, h/l and PgUp/PgDn scroll; Tab moves it.
  public enum Focus: Equatable, Sendable {
    case tensors, terms, notes
  }

  public var lessons: [Lesson]
  /// Lessons that did not load or run, shown in the menu.
  public var problems: [String]
  public var mode: Mode = .menu
  public var helpScroll = 0
  /// The mode to return to when help closes.
  public var helpReturn: Mode = .menu

  public var menu = MenuState()
  /// Where each lesson was left (its step), to reopen it there.
  public var positions: [String: Int] = [:]

  // Lesson.
  public private(set) var run: LessonRun?
  public private(set) var checks: [CheckResult] = []
  /// 0: the tensors the lesson gives; 1…n: the steps.
  public var step = 0
  public var detail: Detail = .op
  public private(set) var elements: [ElementTrace] = []
  public var element = 0
  public var channelOffset = 0
  public var focus: Focus = .tensors
  public var scrollRow = 0
  public var scrollColumn = 0
  public var termsScroll = 0
  public var notesScroll = 0
  /// The tensors pane brings the highlighted elements into view until the student scrolls it.
  public var followsHighlights = true
  public var places = 4
  /// Whether the steps the lesson marks as arithmetic detail (`fold:`) show as one step each.
  public var folded = false
  /// The digits typed after `g` (go to step), while it is being typed.
  public var goTo: String?
  public var message: String?

  // VGG-16.
  public var vggScroll = 0
  public var vggColumn = 0
  /// The run view (t toggles it with the table).
  public var vggShowsRun = false
  public var vggRun = VGGRunState()
  public var vggSelected = 0
  public var vggChannel = 0
  /// How the next run computes its convolutions (a switches between direct and Winograd).
  public var vggAlgorithm = ConvolutionAlgorithm.direct
  /// The run view shows a grid of the selected layer's channels rather than one enlarged (g).
  public var vggGrid = false
  /// The cursor on a finished run's maps and the open explanation of an element.
  public var vggExplorer = VGGExplorer()
  /// The 1000 ImageNet class names, for the top-5 of a run.
  public var classNames: [String] = []
  /// The weights, images and labels the tour was started with (seeded ones when empty).
  public var vggSource = VGGRunRecord.Source()

  public init(lessons: [Lesson], problems: [String] = []) {
    self.lessons = lessons
    self.problems = problems
  }

  /// The lessons the menu lists under the current filter.
  public var visibleLessons: [Lesson] { menu.visible(lessons) }

  /// The tensors of the open lesson marked `hidden:` (helpers the tour does not show).
  public var hidden: Set<String> {
    Set(run?.lesson.tensors.filter(\.hidden).map(\.name) ?? [])
  }

  /// The lesson's documents by title: "Convolutional Networks - VGG16 (000_ce8e….txt), …".
  public func documentTitle(_ lesson: Lesson) -> String { lesson.titledSource }

  /// The one number format of the lesson screen: fixed, unless a value shown (a tensor's or a
  /// term's) needs scientific notation, and then scientific for every pane.
  public var numberStyle: NumberStyle {
    var values: [Double] = []
    let shown = record.map { $0.reads + $0.writes } ?? run?.declared ?? []
    for t in shown where !hidden.contains(t.name) {
      values += t.value?.values ?? []
      values += t.tangent?.values ?? []
    }
    if let e = currentElement {
      values += e.terms.flatMap { [$0.value] + $0.factors.map(\.value) }
    }
    return NumberStyle(places: places, values: values)
  }

  public var stepCount: Int { run?.records.count ?? 0 }

  /// The record of the current step (nil for step 0, the declarations).
  public var record: StepRecord? {
    guard let run, step >= 1, step <= run.records.count else { return nil }
    return run.records[step - 1]
  }

  public var currentElement: ElementTrace? {
    detail == .element && element < elements.count ? elements[element] : nil
  }

  /// Opens a lesson by id at its first step.
  public mutating func open(id: String) -> Bool {
    guard let lesson = lessons.first(where: { $0.id == id }) else { return false }
    open(lesson)
    return run != nil
  }

  mutating func open(_ lesson: Lesson) {
    do {
      let run = try LessonRun(lesson)
      self.run = run
      checks = Checker.check(run)
      mode = .lesson
      step = min(positions[lesson.id] ?? 0, run.records.count)
      detail = .op
      focus = .tensors
      resetView()
    } catch {
      message = "\(error)"
    }
  }

  mutating func resetView() {
    elements = []
    element = 0
    channelOffset = 0
    scrollRow = 0
    scrollColumn = 0
    termsScroll = 0
    notesScroll = 0
    followsHighlights = true
  }

  // MARK: keys

  /// Changes the state for a key; returns what the terminal layer must do beyond that (quit,
  /// start or cancel a VGG-16 run), if anything.
  @discardableResult
  public mutating func handle(_ key: Key) -> TourEffect? {
    message = nil
    if mode == .help {
      switch key {
      case .escape, .enter, .character("q"), .character("?"): mode = helpReturn
      case .down, .character("j"): helpScroll += 1
      case .up, .character("k"): helpScroll = max(0, helpScroll - 1)
      default: break
      }
      return nil
    }
    if key == .character("?"), mode != .menu || !menu.filtering {
      helpReturn = mode
      mode = .help
      return nil
    }
    switch mode {
    case .help: return nil
    case .menu:
      switch menu.handle(key, lessons: lessons) {
      case .open(let id): _ = open(id: id)
      case .vgg: mode = .vgg
      case .help:
        helpReturn = mode
        mode = .help
      case .quit: return .quit
      case nil: break
      }
      return nil
    case .lesson: return handleLesson(key)
    case .vgg: return handleVGG(key)
    }
  }

  mutating func handleLesson(_ key: Key) -> TourEffect? {
    if let typed = goTo {
      switch key {
      case .character(let c) where c.isNumber: goTo = typed + String(c)
      case .backspace: goTo = String(typed.dropLast())
      case .enter:
        goTo = nil
        if let n = Int(typed) {
          if n > stepCount { message = "step \(n) is past the end: this lesson has steps 0–\(stepCount)" }
          go(to: n)
        }
      case .escape: goTo = nil
      default: break
      }
      return nil
    }
    switch key {
    case .character("q"): return .quit
    case .character("m"), .escape: leaveLesson(to: .menu)
    case .character("v"): leaveLesson(to: .vgg)
    case .right, .character("n"), .character(" "): next()
    case .left, .character("p"): previous()
    case .character("s"): stepIn()
    case .character("o"):
      detail = .op
      resetView()
    case .home: go(to: 0)
    case .end: go(to: stepCount)
    case .character("g"): goTo = ""
    case .character("f"):
      guard let lesson = run?.lesson, !lesson.folds.isEmpty else {
        message = "this lesson marks no steps as arithmetic detail"
        return nil
      }
      folded.toggle()
      if folded, let fold = fold(containing: step) { go(to: fold.steps.upperBound) }
    case .character("c"): channelOffset += 1
    case .character("C"): channelOffset -= 1
    case .tab: focus = focusOrder[(focusOrder.firstIndex(of: focus)! + 1) % focusOrder.count]
    case .backTab:
      focus = focusOrder[(focusOrder.firstIndex(of: focus)! + focusOrder.count - 1) % focusOrder.count]
    case .down, .character("j"): scroll(rows: 1)
    case .up, .character("k"): scroll(rows: -1)
    case .pageDown: scroll(rows: 10)
    case .pageUp: scroll(rows: -10)
    case .character("h"): scroll(columns: -8)
    case .character("l"): scroll(columns: 8)
    case .character("+"), .character("="): places = min(places + 1, 8)
    case .character("-"): places = max(places - 1, 0)
    default: break
    }
    return nil
  }

  /// The lesson's fold holding step n (any step of it), when folding is on.
  public func fold(containing n: Int) -> (steps: ClosedRange<Int>, summary: String)? {
    guard folded else { return nil }
    return run?.lesson.folds.first { $0.steps.contains(n) }
  }

  /// The panes Tab visits: the terms only at element level.
  var focusOrder: [Focus] { detail == .element ? [.tensors, .terms, .notes] : [.tensors, .notes] }

  /// Leaves the lesson, remembering where it was left.
  mutating func leaveLesson(to next: Mode) {
    if let id = run?.lesson.id { positions[id] = step }
    mode = next
  }

  /// The lesson after the open one in the menu's order, if any.
  public var nextLesson: Lesson? {
    guard let id = run?.lesson.id, let k = lessons.firstIndex(where: { $0.id == id }), k + 1 < lessons.count
    else { return nil }
    return lessons[k + 1]
  }

  mutating func scroll(columns: Int) {
    if focus == .tensors {
      // Start from where the pane shows now, which may have followed the highlights.
      followsHighlights = false
      scrollColumn = max(0, scrollColumn + columns)
    }
  }

  mutating func scroll(rows: Int) {
    switch focus {
    case .terms: termsScroll = max(0, termsScroll + rows)
    case .notes: notesScroll = max(0, notesScroll + rows)
    case .tensors:
      followsHighlights = false
      scrollRow = max(0, scrollRow + rows)
    }
  }

  mutating func handleVGG(_ key: Key) -> TourEffect? {
    if vggRun.running, key == .escape { return .cancelVGGRun }
    if handleVGGExplore(key) { return nil }
    switch key {
    case .character("q"): return .quit
    case .character("m"), .escape: mode = .menu
    case .character("t"): vggShowsRun.toggle()
    case .character("r"), .character("b"):
      guard !vggRun.running else { return nil }
      vggShowsRun = true
      vggExplorer = VGGExplorer(layer: vggSelected)
      vggRun = VGGRunState()
      return .startVGGRun(backward: key == .character("b"))
    case .character("g") where vggShowsRun: vggGrid.toggle()
    case .character("a") where !vggRun.running:
      vggAlgorithm = vggAlgorithm == .direct ? .winograd : .direct
      message = "next run: \(vggAlgorithm.rawValue) — \(vggAlgorithm.cost)"
    case .character("c"): vggChannel += 1
    case .character("C"): vggChannel = max(0, vggChannel - 1)
    case .down, .character("j"):
      if vggShowsRun { vggSelected = min(vggSelected + 1, 22) } else { vggScroll += 1 }
    case .up, .character("k"):
      if vggShowsRun { vggSelected = max(vggSelected - 1, 0) } else { vggScroll = max(0, vggScroll - 1) }
    case .right, .character("l"): vggColumn += 8
    case .left, .character("h"): vggColumn = max(0, vggColumn - 8)
    case .home: vggScroll = 0
    default: break
    }
    return nil
  }

  /// Whether the current step has an element level.
  var recordHasElements: Bool {
    guard let record, let run else { return false }
    return run.hasElements(record)
  }

  /// Element level: one output element at a time, when the step has elements.
  mutating func stepIn() {
    guard let record, let run, run.hasElements(record) else {
      message =
        record == nil
        ? "step 0 lists what the lesson gives; → goes to step 1" : "this step has no element level"
      return
    }
    do {
      elements = try run.elements(record)
      detail = .element
      element = 0
      focus = .tensors
      termsScroll = 0
      followsHighlights = true
      if elements.isEmpty { detail = .op }
    } catch {
      message = "\(error)"
    }
  }

  mutating func next() {
    if detail == .element, element + 1 < elements.count {
      element += 1
      termsScroll = 0
      followsHighlights = true
      return
    }
    guard step < stepCount else {
      // Past the last step: the next lesson, offered on the last step's hint line.
      if let lesson = nextLesson {
        leaveLesson(to: .lesson)
        open(lesson)
      } else {
        message = "the last step of the last lesson; m for the menu"
      }
      return
    }
    let wasElement = detail == .element
    // A folded run of arithmetic steps is passed in one: shown as its last step.
    go(to: fold(containing: step + 1).map(\.steps.upperBound) ?? step + 1)
    if wasElement, recordHasElements { stepIn() }
  }

  mutating func previous() {
    if detail == .element, element > 0 {
      element -= 1
      termsScroll = 0
      followsHighlights = true
      return
    }
    guard step > 0 else { return }
    let wasElement = detail == .element
    go(to: fold(containing: step).map { $0.steps.lowerBound - 1 } ?? step - 1)
    if wasElement, recordHasElements {
      stepIn()
      element = max(0, elements.count - 1)
    }
  }

  public mutating func go(to n: Int) {
    step = min(max(0, n), stepCount)
    detail = .op
    focus = .tensors
    resetView()
  }
}
