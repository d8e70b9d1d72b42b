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

  public enum Focus: Equatable, Sendable {
    case tensors, terms
  }

  public var lessons: [Lesson]
  /// Lessons that did not load or run, shown in the menu.
  public var problems: [String]
  public var mode: Mode = .menu
  /// The mode to return to when help closes.
  public var helpReturn: Mode = .menu
  public var quit = false

  // Menu.
  public var selected = 0
  public var filter = ""
  public var filtering = false

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
  public var places = 4
  /// The digits typed after `g` (go to step), while it is being typed.
  public var goTo: String?
  public var message: String?

  // VGG-16.
  public var vggScroll = 0
  public var vggColumn = 0
  /// The run view (t toggles it with the table).
  public var vggShowsRun = false
  public var vggRun = VGGRunState()
  /// A run asked for (r: forward, b: forward and backward), for the terminal layer to start.
  public var vggRequest: Bool?
  /// Esc during a run: the terminal layer cancels it.
  public var vggCancel = false
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

  /// The lessons the menu lists under the current filter (id, title or source contains it).
  public var visibleLessons: [Lesson] {
    guard !filter.isEmpty else { return lessons }
    let needle = filter.lowercased()
    return lessons.filter {
      $0.id.lowercased().contains(needle) || $0.title.lowercased().contains(needle)
        || $0.source.lowercased().contains(needle)
    }
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
      step = 0
      detail = .op
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
  }

  // MARK: keys

  public mutating func handle(_ key: Key) {
    message = nil
    if key == .character("?") || key == .character("h") && mode == .menu {
      if mode != .help {
        helpReturn = mode
        mode = .help
      } else {
        mode = helpReturn
      }
      return
    }
    switch mode {
    case .help:
      if key == .escape || key == .character("q") || key == .enter { mode = helpReturn }
    case .menu: handleMenu(key)
    case .lesson: handleLesson(key)
    case .vgg: handleVGG(key)
    }
  }

  mutating func handleMenu(_ key: Key) {
    if filtering {
      switch key {
      case .enter, .escape, .down, .up: filtering = false
      case .backspace: if !filter.isEmpty { filter.removeLast() }
      case .character(let c): filter.append(c)
      default: break
      }
      selected = min(selected, max(0, visibleLessons.count - 1))
      if key != .enter { return }
    }
    let count = visibleLessons.count
    switch key {
    case .character("q"): quit = true
    case .character("/"):
      filtering = true
      filter = ""
      selected = 0
    case .escape: filter = ""
    case .down, .character("j"): selected = min(selected + 1, max(0, count - 1))
    case .up, .character("k"): selected = max(selected - 1, 0)
    case .home: selected = 0
    case .end: selected = max(0, count - 1)
    case .enter, .right, .character("l"):
      if selected < count { open(visibleLessons[selected]) }
    case .character("v"): mode = .vgg
    default: break
    }
  }

  mutating func handleLesson(_ key: Key) {
    if let typed = goTo {
      switch key {
      case .character(let c) where c.isNumber: goTo = typed + String(c)
      case .backspace: goTo = String(typed.dropLast())
      case .enter:
        if let n = Int(typed) { go(to: n) }
        goTo = nil
      case .escape: goTo = nil
      default: break
      }
      return
    }
    switch key {
    case .character("q"): quit = true
    case .character("m"), .escape: mode = .menu
    case .character("v"): mode = .vgg
    case .right, .character("n"), .character(" "): next()
    case .left, .character("p"): previous()
    case .character("s"): stepIn()
    case .character("o"):
      detail = .op
      resetView()
    case .home: go(to: 0)
    case .end: go(to: stepCount)
    case .character("g"): goTo = ""
    case .character("c"): channelOffset += 1
    case .character("C"): channelOffset -= 1
    case .tab, .backTab: focus = focus == .tensors && detail == .element ? .terms : .tensors
    case .down, .character("j"): scroll(rows: 1)
    case .up, .character("k"): scroll(rows: -1)
    case .pageDown: scroll(rows: 10)
    case .pageUp: scroll(rows: -10)
    case .character("h"): scrollColumn = max(0, scrollColumn - 8)
    case .character("l"): scrollColumn += 8
    case .character("+"), .character("="): places = min(places + 1, 8)
    case .character("-"): places = max(places - 1, 0)
    default: break
    }
  }

  mutating func scroll(rows: Int) {
    if focus == .terms {
      termsScroll = max(0, termsScroll + rows)
    } else {
      scrollRow = max(0, scrollRow + rows)
    }
  }

  mutating func handleVGG(_ key: Key) {
    if vggRun.running, key == .escape {
      vggCancel = true
      return
    }
    if handleVGGExplore(key) { return }
    switch key {
    case .character("q"): quit = true
    case .character("m"), .escape: mode = .menu
    case .character("t"): vggShowsRun.toggle()
    case .character("r"), .character("b"):
      guard !vggRun.running else { return }
      vggRequest = key == .character("b")
      vggShowsRun = true
      vggExplorer = VGGExplorer(layer: vggSelected)
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
  }

  /// Element level: one output element at a time, when the step has elements.
  mutating func stepIn() {
    guard let record, record.hasElements(jacobians: true) else {
      message = "this step has no element level"
      return
    }
    do {
      elements = try record.elements()
      detail = .element
      element = 0
      focus = .tensors
      termsScroll = 0
      if elements.isEmpty { detail = .op }
    } catch {
      message = "\(error)"
    }
  }

  mutating func next() {
    if detail == .element, element + 1 < elements.count {
      element += 1
      termsScroll = 0
      return
    }
    guard step < stepCount else { return }
    let wasElement = detail == .element
    go(to: step + 1)
    if wasElement, record?.hasElements(jacobians: true) == true { stepIn() }
  }

  mutating func previous() {
    if detail == .element, element > 0 {
      element -= 1
      termsScroll = 0
      return
    }
    guard step > 0 else { return }
    let wasElement = detail == .element
    go(to: step - 1)
    if wasElement, record?.hasElements(jacobians: true) == true {
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
