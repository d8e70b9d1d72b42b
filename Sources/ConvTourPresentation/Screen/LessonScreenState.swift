import ConvTourEngine
import ConvTourLessons

/// The lesson screen: the open lesson's run, the step and element shown, the focused pane and its
/// scrolling, folds and pacing. Its keys change only this state; quitting, leaving and the next
/// lesson are returned as effects.
public struct LessonScreenState: Sendable {
  public enum Detail: Equatable, Sendable {
    case op, element
  }

  /// The pane that j/k, h/l and PgUp/PgDn scroll; Tab moves it.
  public enum Focus: Equatable, Sendable {
    case tensors, terms, notes
  }

  public internal(set) var run: LessonRun?
  public internal(set) var checks: [CheckResult] = []
  /// 0: the tensors the lesson gives; 1…n: the steps.
  public var step = 0
  public var detail: Detail = .op
  /// The element level's elements near the one shown: `elementWindow` of the step's
  /// `elementCount`, computed a window at a time (a step over a test set has millions).
  public internal(set) var elements: [ElementTrace] = []
  public internal(set) var elementWindow = 0..<0
  public internal(set) var elementCount = 0
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
  /// A training step's loss chart on a logarithmic scale (L), for losses that fall by decades.
  public var logLoss = false
  /// The digits typed after `g` (go to step), while it is being typed.
  public var goTo: String?
  /// The line a key left for the student (cleared by the next key).
  public var message: String?
  /// On a training step (a repeat): the position in `playedEpochs` shown (nil: the last epoch),
  /// and whether the epochs play (the terminal layer calls `advancePlay` every frame).
  public var epochPosition: Int?
  public var playing = false

  public init() {}

  /// The tensors of the open lesson marked `hidden:` (helpers the tour does not show), and every
  /// declared tensor's note: found once when the lesson opens, not per tensor per frame (a lesson
  /// of 100,000 tensors made each frame take minutes).
  public private(set) var hidden: Set<String> = []
  private(set) var notes: [String: String?] = [:]

  /// The one number format of the lesson screen: fixed decimals where they show a value,
  /// scientific for a value they would hide (1e−7, 2e+06) alone. It reads no tensor, so a frame
  /// costs the same whatever the lesson holds.
  public var numberStyle: NumberStyle { .perValue(places: places) }

  public var stepCount: Int { run?.records.count ?? 0 }

  /// The record of the current step (nil for step 0, the declarations).
  public var record: StepRecord? {
    guard let run, step >= 1, step <= run.records.count else { return nil }
    return run.records[step - 1]
  }

  public var currentElement: ElementTrace? {
    detail == .element && elementWindow.contains(element) ? elements[element - elementWindow.lowerBound] : nil
  }

  /// Shows a lesson's run at a step (where it was left), at op level; places and folding stay.
  mutating func open(_ run: LessonRun, at position: Int) {
    self.run = run
    hidden = Set(run.lesson.tensors.filter(\.hidden).map(\.name))
    notes = Dictionary(run.lesson.tensors.map { ($0.name, $0.note) }, uniquingKeysWith: { a, _ in a })
    checks = Checker.check(run)
    step = min(position, run.records.count)
    detail = .op
    focus = .tensors
    resetView()
  }

  mutating func resetView() {
    elements = []
    (elementWindow, elementCount) = (0..<0, 0)
    element = 0
    channelOffset = 0
    scrollRow = 0
    scrollColumn = 0
    termsScroll = 0
    notesScroll = 0
    followsHighlights = true
    epochPosition = nil
    playing = false
  }

  // MARK: keys

  /// Changes the state for a key; returns quitting, leaving or the next lesson, if asked.
  @discardableResult
  public mutating func handle(_ key: Key) -> ScreenEffect? {
    // While the epochs play, any key pauses them and does nothing else.
    if playing {
      playing = false
      return nil
    }
    if let typed = goTo {
      switch key {
      case .character(let c) where c.isNumber: goTo = typed + String(c)
      case .backspace: goTo = String(typed.dropLast())
      case .enter:
        goTo = nil
        // N is the step the screen calls N (with the detail folded, not the file's step N).
        if let n = Int(typed) {
          if let step = step(numbered: n) {
            go(to: step)
          } else {
            message = "step \(n) is past the end: this lesson has steps 0–\(shownStepCount)"
            go(to: stepCount)
          }
        }
      case .escape: goTo = nil
      default: break
      }
      return nil
    }
    switch key {
    case .character("q"): return .tour(.quit)
    case .character("m"), .escape: return .show(.menu)
    case .character("v"): return .show(.vgg)
    case .right, .character("n"), .character(" "): return next()
    case .left: previous()
    case .character("p"): play()
    case .character("L") where showsEpochs: logLoss.toggle()
    case .character("]"): moveEpoch(by: 1)
    case .character("["): moveEpoch(by: -1)
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
      elementCount = run.elementCount(record)
      elementWindow = 0..<0
      element = 0
      try loadElements()
      detail = .element
      focus = .tensors
      termsScroll = 0
      followsHighlights = true
      if elements.isEmpty { detail = .op }
    } catch {
      message = "\(error)"
    }
  }

  /// The elements a window computes at once: the window holding `element`.
  static let elementWindowSize = 256

  /// Computes the window of elements that holds `element`, unless it is the one held.
  mutating func loadElements() throws {
    guard !elementWindow.contains(element), let record, let run else { return }
    let size = Self.elementWindowSize
    let start = element / size * size
    elements = try run.elements(record, from: start, limit: size)
    elementWindow = start..<(start + elements.count)
    // (A count the step's own listing does not reach ends where the listing ends.)
    if elements.count < size { elementCount = min(elementCount, elementWindow.upperBound) }
  }

  /// Moves to element `k` of the step, computing its window when needed.
  mutating func show(element k: Int) {
    element = max(0, min(k, elementCount - 1))
    do { try loadElements() } catch { message = "\(error)" }
  }

  /// The next element, step or (past the last step) lesson.
  mutating func next() -> ScreenEffect? {
    if detail == .element, element + 1 < elementCount {
      show(element: element + 1)
      termsScroll = 0
      followsHighlights = true
      return nil
    }
    // Past the last step: the next lesson, offered on the last step's hint line.
    guard step < stepCount else { return .nextLesson }
    let wasElement = detail == .element
    // A folded run of arithmetic steps is passed in one: shown as its last step.
    go(to: fold(containing: step + 1).map(\.steps.upperBound) ?? step + 1)
    if wasElement, recordHasElements { stepIn() }
    return nil
  }

  mutating func previous() {
    if detail == .element, element > 0 {
      show(element: element - 1)
      termsScroll = 0
      followsHighlights = true
      return
    }
    guard step > 0 else { return }
    let wasElement = detail == .element
    go(to: fold(containing: step).map { $0.steps.lowerBound - 1 } ?? step - 1)
    if wasElement, recordHasElements {
      stepIn()
      show(element: elementCount - 1)
    }
  }

  public mutating func go(to n: Int) {
    step = min(max(0, n), stepCount)
    detail = .op
    focus = .tensors
    resetView()
  }
}
