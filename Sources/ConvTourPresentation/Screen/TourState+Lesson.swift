import ConvTourLessons

/// The lesson screen's keys: steps and elements, focus and scrolling, folds, pacing.
extension TourState {
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
