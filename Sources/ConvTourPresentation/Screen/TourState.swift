import ConvTourEngine
import ConvTourLessons

/// Everything the tour's screen shows, and how keys change it. The screen is a pure function of
/// this state and the terminal's size (`TourView.render`). Each screen has its own state and
/// keys (`MenuState`, `LessonScreenState`, `VGGScreenState`); this holds what they share and
/// sends each key to the screen in front.
public struct TourState: Sendable {
  public enum Mode: Equatable, Sendable {
    case menu, lesson, help, vgg
  }

  public var lessons: [Lesson]
  /// Lessons that did not load or run, shown in the menu.
  public var problems: [String]
  /// What the student should know about a lesson that loaded, by id (a dataset taken instead of
  /// the one asked): the first of its notes on every step.
  public var lessonWarnings: [String: [String]] = [:]
  public var mode: Mode = .menu
  public var helpScroll = 0
  /// The mode to return to when help closes.
  public var helpReturn: Mode = .menu

  public var menu = MenuState()
  public var lesson = LessonScreenState()
  public var vgg = VGGScreenState()
  /// Where each lesson was left (its step), to reopen it there.
  public var positions: [String: Int] = [:]
  /// The tour's own line for the student: a lesson that did not open, the end of the last lesson.
  public var notice: String?

  public init(lessons: [Lesson], problems: [String] = []) {
    self.lessons = lessons
    self.problems = problems
  }

  /// The line the screen in front shows under its panes (cleared by the next key).
  public var message: String? {
    switch mode {
    case .lesson: notice ?? lesson.message
    case .vgg: notice ?? vgg.message
    case .menu, .help: notice
    }
  }

  /// The lessons the menu lists under the current filter.
  public var visibleLessons: [Lesson] { menu.visible(lessons) }

  /// The lesson's documents by title: "Convolutional Networks - VGG16 (000_ce8e….txt), …".
  public func documentTitle(_ lesson: Lesson) -> String { lesson.titledSource }

  /// The lesson after the open one in the menu's order, if any.
  public var nextLesson: Lesson? {
    guard let id = lesson.run?.lesson.id, let k = lessons.firstIndex(where: { $0.id == id }),
      k + 1 < lessons.count
    else { return nil }
    return lessons[k + 1]
  }

  /// Opens a lesson by id where it was left (its first step the first time).
  public mutating func open(id: String) -> Bool {
    guard let lesson = lessons.first(where: { $0.id == id }) else { return false }
    open(lesson)
    return self.lesson.run != nil
  }

  mutating func open(_ lesson: Lesson) {
    do {
      let run = try LessonRun(lesson)
      self.lesson.open(run, at: positions[lesson.id] ?? 0)
      mode = .lesson
    } catch {
      notice = "\(error)"
    }
  }

  /// Leaves the lesson, remembering where it was left.
  mutating func leaveLesson(to next: Mode) {
    if let id = lesson.run?.lesson.id { positions[id] = lesson.step }
    mode = next
  }

  /// Whether a lesson's epochs are playing: the terminal layer then calls `tick()` every
  /// 1/`LessonScreenState.playFramesPerSecond` second.
  public var playing: Bool { mode == .lesson && lesson.playing }

  /// One frame of play.
  public mutating func tick() {
    if playing { lesson.advancePlay() }
  }

  // MARK: keys

  /// Changes the state for a key; returns what the terminal layer must do beyond that (quit,
  /// start or cancel a VGG-16 run), if anything.
  @discardableResult
  public mutating func handle(_ key: Key) -> TourEffect? {
    notice = nil
    lesson.message = nil
    vgg.message = nil
    if mode == .help {
      switch key {
      case .escape, .enter, .character("q"), .character("?"): mode = helpReturn
      case .down, .character("j"): helpScroll += 1
      case .up, .character("k"): helpScroll = max(0, helpScroll - 1)
      default: break
      }
      return nil
    }
    // While a lesson's epochs play, any key (? too) only pauses them.
    if playing { return carryOut(lesson.handle(key)) }
    // While VGG-16 trains, any key (? too) stops it after the step under way (pauses training
    // on a dataset).
    if mode == .vgg, vgg.training.running || vgg.dataset?.running == true { return carryOut(vgg.handle(key)) }
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
    case .lesson: return carryOut(lesson.handle(key))
    case .vgg: return carryOut(vgg.handle(key))
    }
  }

  /// Does what a screen's key asked of the tour; passes on what the terminal layer must do.
  mutating func carryOut(_ effect: ScreenEffect?) -> TourEffect? {
    switch effect {
    case .tour(let effect): return effect
    case .show(let next):
      if mode == .lesson { leaveLesson(to: next) } else { mode = next }
    case .nextLesson:
      if let next = nextLesson {
        leaveLesson(to: .lesson)
        open(next)
      } else {
        notice = "the last step of the last lesson; m for the menu"
      }
    case nil: break
    }
    return nil
  }
}
