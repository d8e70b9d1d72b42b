import ConvTourEngine
import ConvTourLessons

/// A lesson step: the title bar, the step's title and formula, the tensors it reads and writes
/// (one channel at a time), at element level the terms of one output element beside them, and
/// the notes (errata, then prose) below, growing into the rows the panes leave unused.
enum LessonView {
  static func draw(_ state: TourState, on screen: inout Screen) {
    guard let run = state.lesson.run else { return }
    let record = state.lesson.record
    let width = screen.width
    var right = stepCount(state.lesson) + Chrome.separator
    right +=
      state.lesson.currentElement != nil
      ? "element \(state.lesson.element + 1)/\(state.lesson.elementCount)" : "op level"
    TourView.titleBar(run.lesson.title, right, on: &screen)

    // The step's title and its formula, wrapped.
    var title = record.map { "\($0.step.title)  [\($0.step.action.name)]" } ?? "The tensors the lesson gives"
    if let fold = state.lesson.fold(containing: state.lesson.step) {
      title =
        "\(fold.summary): steps \(fold.steps.lowerBound)–\(fold.steps.upperBound) folded into one (f unfolds); the last: "
        + title
    }
    var header = WordWrap.lines(title, width: width - 2, hanging: 2).map { ($0, Style.heading) }
    let formula = record?.step.formula ?? "From \(state.documentTitle(run.lesson))"
    header += WordWrap.lines(formula, width: width - 2, hanging: 4).filter { !$0.isEmpty }.prefix(4).map {
      ($0, Style.plain)
    }
    for (k, line) in header.enumerated() { screen.put(line.0, row: 1 + k, column: 1, style: line.1) }
    let bodyTop = 2 + header.count
    screen.rule(row: bodyTop - 1)

    // One number format for the whole screen.
    let number = state.lesson.numberStyle
    let allTensors = TensorPane(
      state, record: record, run: run, number: number, unicode: screen.capabilities.unicode)
    let terms = state.lesson.currentElement.map { TermsPane(element: $0, number: number) }
    var termsWidth = 0
    if let terms {
      let tensorsWanted = allTensors.wantedWidth + 3
      // The terms come first (their lines are what a student adds up); the tensors keep at least
      // 40 columns, or what they need when that is less, and scroll sideways beyond it.
      termsWidth = max(width / 3, min(terms.wantedWidth, width - min(tensorsWanted, max(30, width / 3)) - 1))
    }
    let tensorsWidth = width - termsWidth - (termsWidth > 0 ? 1 : 0)
    var tensors = allTensors.wrapped(width: tensorsWidth)
    // The terms a frame can show: the scroll and a screenful below it.
    let termLines =
      terms?.lines(width: termsWidth - 2, needed: state.lesson.termsScroll + screen.height) ?? []

    // Rows: the panes take what they need while the notes keep at least 4 (or all they have).
    let notes = self.notes(state, record: record, width: width - 2)
    let available = screen.height - 1 - bodyTop - 1
    func rows(_ tensors: TensorPane) -> Int {
      max(3, min(max(tensors.lines.count, termLines.count + 1, 3), available - min(notes.count, 4)))
    }
    var bodyRows = rows(tensors)
    // At element level, a pane too short for the whole tensors shows their highlighted rows.
    if state.lesson.currentElement != nil, state.lesson.followsHighlights, tensors.lines.count > bodyRows {
      tensors = allTensors.condensed().wrapped(width: tensorsWidth)
      bodyRows = rows(tensors)
    }
    let bodyBottom = bodyTop + bodyRows
    tensors.draw(state: state, on: &screen, top: bodyTop, bottom: bodyBottom, width: tensorsWidth)
    if !termLines.isEmpty {
      let first = min(state.lesson.termsScroll, max(0, termLines.count - (bodyRows - 1)))
      TermsPane.draw(
        termLines, first: first, focused: state.lesson.focus == .terms, on: &screen, column: tensorsWidth + 1,
        top: bodyTop, bottom: bodyBottom, width: termsWidth - 2)
    }

    screen.rule(row: bodyBottom)
    let noteRows = screen.height - 2 - bodyBottom
    let firstNote = min(state.lesson.notesScroll, max(0, notes.count - noteRows))
    for (k, note) in notes.dropFirst(firstNote).prefix(noteRows).enumerated() {
      screen.put(note.text, row: bodyBottom + 1 + k, column: 1, style: note.style, limit: width - 1)
    }
    if notes.count - firstNote > noteRows {
      let more = " ↓ \(notes.count - firstNote - noteRows) more lines (Tab to the notes, then j) "
      screen.put(more, row: bodyBottom, column: max(1, width - more.count - 2), style: .dim)
    } else if firstNote > 0 {
      screen.put(" ↑ \(firstNote) more lines ", row: bodyBottom, column: 2, style: .dim)
    }

    if let typed = state.lesson.goTo {
      screen.put(
        "go to step (0–\(state.lesson.shownStepCount)): \(typed)▏", row: screen.height - 1, column: 1,
        style: .heading)
    } else if let message = state.message {
      screen.put(message, row: screen.height - 1, column: 1, style: .erratum)
    } else if state.lesson.playing, let status = state.lesson.epochStatus {
      screen.put(status, row: screen.height - 1, column: 1, style: .heading, limit: width - 1)
    } else {
      var hints = KeyTable.hints(for: state)
      if run.lesson.folds.isEmpty == false {
        hints = hints.replacingOccurrences(
          of: "m menu",
          with: (state.lesson.folded ? "f unfold detail" : "f fold detail") + "\(Chrome.separator)m menu")
      }
      if state.lesson.step == state.lesson.stepCount, state.lesson.detail == .op {
        hints =
          (state.nextLesson.map { "→ next lesson: \($0.title)" } ?? "the last lesson") + Chrome.separator
          + hints
      }
      TourView.hints(KeyTable.fit(hints, width: width - 2), on: &screen)
    }
  }

  typealias Note = (text: String, style: Style)

  /// "step 5/40", or with the detail folded, the place among the steps shown and how many
  /// steps the folds hold: "step 5/34 (+6 folded)", on a fold "steps 5–11/34 folded".
  static func stepCount(_ lesson: LessonScreenState) -> String {
    let shown = "step \(lesson.shownNumber(of: lesson.step))/\(lesson.shownStepCount)"
    let hidden = lesson.hiddenSteps(before: lesson.stepCount + 1)
    return hidden == 0 ? shown : shown + " (+\(hidden) folded)"
  }

  /// The lesson's warnings (`TourState.lessonWarnings`), errata, then the claims this step decides (after the listings they read), then the step's
  /// prose, wrapped to `width`.
  static func notes(_ state: TourState, record: StepRecord?, width: Int) -> [Note] {
    var notes: [Note] = []
    for warning in state.lesson.run.map({ state.lessonWarnings[$0.lesson.id] ?? [] }) ?? [] {
      notes += WordWrap.lines("! " + warning, width: width, hanging: 2).map { ($0, Style.erratum) }
    }
    for erratum in errata(state, record: record) {
      notes += WordWrap.lines(erratum, width: width, hanging: 2).map { ($0, Style.erratum) }
    }
    let claims = claims(state, record: record)
    for listing in listings(read: claims, in: state) {
      let head = "listing \(listing.name) — \(listing.citation)"
      notes += WordWrap.lines(head, width: width, hanging: 2).map { ($0, Style.heading) }
      notes += listing.lines.map { ("    " + $0, Style.plain) }
    }
    for claim in claims {
      notes += WordWrap.lines(ClaimText.headline(claim), width: width, hanging: 2).map { ($0, Style.heading) }
      let style = claim.status == .pass ? Style.plain : Style.erratum
      notes += WordWrap.lines("  " + ClaimText.verdict(claim), width: width, hanging: 4).map { ($0, style) }
    }
    let prose =
      record?.step.prose ?? "→ or n steps through the lesson; s at a step shows one element at a time."
    notes += WordWrap.lines(prose, width: width).filter { !$0.isEmpty }.map { ($0, Style.plain) }
    return notes
  }

  /// "erratum: document says …" for the expectations on the tensors this step writes.
  static func errata(_ state: TourState, record: StepRecord?) -> [String] {
    let names = Set((record?.writes ?? state.lesson.run?.declared ?? []).map(\.name))
    return state.lesson.checks.filter {
      $0.status == .erratum && !$0.expectation.isClaim && names.contains($0.expectation.reference.name)
    }.map {
      "erratum \($0.expectation.reference): the document says \($0.documented.text), the computation gives \($0.computed.text) — \($0.message)"
    }
  }
}

extension LessonView {
  /// The claims of the document that this step decides (`LessonRun.stepDeciding`; a folded run
  /// of steps shows all of its own), with their verdicts: each is shown once.
  static func claims(_ state: TourState, record: StepRecord?) -> [CheckResult] {
    guard let run = state.lesson.run else { return [] }
    let step = record?.number ?? 0
    let steps = state.lesson.fold(containing: step)?.steps ?? step...step
    return state.lesson.checks.filter {
      $0.expectation.isClaim && steps.contains(run.stepDeciding($0.expectation))
    }
  }

  /// The listings the claims read, each once, in the lesson's order.
  static func listings(read claims: [CheckResult], in state: TourState) -> [Listing] {
    let names = Set(
      claims.compactMap(\.expectation.impliedPredicate).flatMap(\.measures).compactMap(\.listing))
    return (state.lesson.run?.lesson.listings ?? []).filter { names.contains($0.name) }
  }
}
