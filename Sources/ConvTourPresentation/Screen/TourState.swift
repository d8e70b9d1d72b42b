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
  public internal(set) var run: LessonRun?
  public internal(set) var checks: [CheckResult] = []
  /// 0: the tensors the lesson gives; 1…n: the steps.
  public var step = 0
  public var detail: Detail = .op
  public internal(set) var elements: [ElementTrace] = []
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

}
