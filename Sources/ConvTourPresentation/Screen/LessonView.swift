import ConvTourEngine
import ConvTourLessons

/// A lesson step: the title bar, the formula, the tensors the step reads and writes (one channel
/// at a time), at element level the terms of one output element, and the prose with any errata.
enum LessonView {
  /// A run of text in one style.
  typealias Segment = (text: String, style: Style)

  static func draw(_ state: TourState, on screen: inout Screen) {
    guard let run = state.run else { return }
    let record = state.record
    let total = state.stepCount
    var right = "step \(state.step)/\(total) · "
    if state.currentElement != nil {
      right += "element \(state.element + 1)/\(state.elements.count)"
    } else {
      right += "op level"
    }
    TourView.titleBar("\(run.lesson.id): \(run.lesson.title)", right, on: &screen)
    let title = record.map { "\($0.step.title)  [\($0.step.action.name)]" } ?? "The tensors the lesson gives"
    screen.put(title, row: 1, column: 1, style: .heading)
    screen.put(
      record?.step.formula ?? run.lesson.source, row: 2, column: 1, style: record == nil ? .dim : .plain)
    screen.rule(row: 3)

    let bodyTop = 4
    let bodyBottom = screen.height - 6  // exclusive
    let termsWidth = state.currentElement == nil ? 0 : min(56, screen.width / 2)
    let tensorsWidth = screen.width - termsWidth - (termsWidth > 0 ? 1 : 0)
    let lines = tensorLines(state, record: record, run: run, unicode: screen.capabilities.unicode)
    let first = min(state.scrollRow, max(0, lines.count - (bodyBottom - bodyTop)))
    for (k, line) in lines.dropFirst(first).prefix(bodyBottom - bodyTop).enumerated() {
      var column = 1 - (line.scrolls ? state.scrollColumn : 0)
      for segment in line.segments {
        let start = column
        column = screen.put(
          segment.text, row: bodyTop + k, column: max(1, start), style: segment.style, limit: tensorsWidth)
        if start < 1 {
          // Scrolled off the left edge: drop what lies left of column 1.
          let dropped = String(segment.text.dropFirst(1 - start))
          column = screen.put(dropped, row: bodyTop + k, column: 1, style: segment.style, limit: tensorsWidth)
        }
      }
    }
    if lines.count > bodyBottom - bodyTop {
      let more = "↓ \(lines.count - first - (bodyBottom - bodyTop)) more lines (j/k)"
      screen.put(more, row: bodyBottom - 1, column: max(1, tensorsWidth - more.count - 1), style: .dim)
    }
    if let element = state.currentElement {
      drawTerms(
        element, state: state, on: &screen, column: tensorsWidth + 1, top: bodyTop, bottom: bodyBottom)
    }

    screen.rule(row: bodyBottom)
    var notes: [Segment] = errata(state, record: record).map { ($0, Style.erratum) }
    notes += TourView.wrap(record?.step.prose ?? "", width: screen.width - 2).filter { !$0.isEmpty }.map {
      ($0, Style.plain)
    }
    for (k, note) in notes.prefix(4).enumerated() {
      screen.put(note.text, row: bodyBottom + 1 + k, column: 1, style: note.style, limit: screen.width - 1)
    }
    if let typed = state.goTo {
      screen.put("go to step (0–\(total)): \(typed)▏", row: screen.height - 1, column: 1, style: .heading)
    } else if let message = state.message {
      screen.put(message, row: screen.height - 1, column: 1, style: .erratum)
    } else {
      let inOut = state.detail == .element ? "o op level" : "s element level"
      TourView.hints(
        "→ next · ← back · \(inOut) · c channel · Tab focus · +/− places · m menu · ? help · q quit",
        on: &screen)
    }
  }

  /// One line of the tensors pane; `scrolls` when it moves with h/l (grids do, headers don't).
  struct Line {
    var segments: [Segment]
    var scrolls = false
  }

  static func tensorLines(_ state: TourState, record: StepRecord?, run: LessonRun, unicode: Bool) -> [Line] {
    let highlights = self.highlights(state)
    let gradientStep: Bool
    switch record?.step.action {
    case .backward, .gradient, .numericGradient: gradientStep = true
    default: gradientStep = false
    }
    var lines: [Line] = []
    if let losses = record?.losses { lines += lossPlot(losses, unicode: unicode) }
    // A repeat's first write is its loss history, which the plot shows.
    let groups: [(String, [NamedTensor], Bool)] =
      record.map {
        [
          ("reads", $0.reads, false),
          ("writes", $0.losses == nil ? $0.writes : Array($0.writes.dropFirst()), gradientStep),
        ]
      } ?? [("given", run.declared, false)]
    for (label, tensors, gradients) in groups where !tensors.isEmpty {
      for t in tensors {
        lines += block(
          t, label: label, gradient: gradients, state: state, marks: highlights[t.name] ?? [:],
          unicode: unicode)
        lines.append(Line(segments: []))
      }
    }
    return lines
  }

  /// A repeat's loss per epoch as a line chart (LossPlot), one pane line per row of cells.
  static func lossPlot(_ losses: [Double], unicode: Bool) -> [Line] {
    let (width, height) = (64, 12)
    var plot = Screen(width: width, height: height, capabilities: Capabilities(unicode: unicode))
    LossPlot.draw(losses, into: &plot, row: 0, column: 0, width: width, height: height)
    var lines = [Line(segments: [("loss per epoch", .heading), ("  \(losses.count) epochs", .dim)])]
    for r in 0..<height {
      // Runs of cells in one style become one segment each.
      var segments: [Segment] = []
      for c in 0..<width {
        let cell = plot[r, c]
        if let last = segments.last, last.style == cell.style {
          segments[segments.count - 1].text.append(cell.character)
        } else {
          segments.append((String(cell.character), cell.style))
        }
      }
      lines.append(Line(segments: segments))
    }
    return lines + [Line(segments: [])]
  }

  /// The lines of one tensor: a header, then one channel as a grid.
  static func block(
    _ t: NamedTensor, label: String, gradient: Bool, state: TourState, marks: [Int: Style], unicode: Bool
  ) -> [Line] {
    var header: [Segment] = [
      ("\(label) ", .dim), ((gradient ? "∂ " : "") + t.name, .heading),
      ("  \(IndexText.shape(t.shape))", .dim),
    ]
    guard let value = t.value else {
      header.append(("  shape only: \(ShapeTable.grouped(Shape.count(t.shape))) elements, no values", .dim))
      return [Line(segments: header)]
    }
    let texts = TensorText(places: state.places).cells(value, tangent: t.tangent)
    let width = texts.map(\.count).max() ?? 1
    let (rows, columns) =
      value.rank >= 2 ? (value.shape[value.rank - 2], value.shape[value.rank - 1]) : (1, max(1, value.count))
    let planeSize = max(1, rows * columns)
    let planes = max(1, value.count / planeSize)
    var plane = 0
    if planes > 1 {
      let auto = marks.keys.sorted().first { marks[$0] == .output } ?? marks.keys.min() ?? 0
      plane = ((auto / planeSize + state.channelOffset) % planes + planes) % planes
      let outer = Array(value.shape.dropLast(2))
      let index = Shape.index(ofOffset: plane, in: outer)
      let name =
        outer.count == 1
        ? "channel \(plane + 1) of \(planes)"
        : "[\(IndexText.oneBased(index)), :, :] (\(plane + 1) of \(planes))"
      header.append(("  \(name)", .plain))
    }
    var lines = [Line(segments: header)]
    if value.count == 0 { return lines }
    for r in 0..<rows {
      var segments: [Segment] = [("  ", .plain)]
      for c in 0..<columns {
        let offset = plane * planeSize + r * columns + c
        guard offset < texts.count else { break }
        let text = String(repeating: " ", count: width - texts[offset].count) + texts[offset]
        var style = marks[offset] ?? .plain
        if style == .plain, gradient, value.values[offset] != 0 {
          style = value.values[offset] > 0 ? .positive : .negative
        }
        segments.append((text, style))
        segments.append((" ", .plain))
      }
      lines.append(Line(segments: segments, scrolls: true))
    }
    return lines
  }

  /// Offsets to highlight, by tensor: the element being computed and what made it.
  static func highlights(_ state: TourState) -> [String: [Int: Style]] {
    guard let e = state.currentElement, let record = state.record else { return [:] }
    var marks: [String: [Int: Style]] = [:]
    func mark(_ name: String, _ index: [Int], _ style: Style) {
      guard let shape = (record.reads + record.writes).first(where: { $0.name == name })?.shape,
        Shape.contains(index, in: shape)
      else { return }
      marks[name, default: [:]][Shape.offset(index, in: shape)] = style
    }
    if case .jacobian = record.step.action, let J = record.writes.first?.value, J.rank == 2 {
      // The row (output element) and column (input element) of the entry.
      for c in 0..<J.shape[1] where c != e.index[1] { mark(e.tensor, [e.index[0], c], .source) }
      for r in 0..<J.shape[0] where r != e.index[0] { mark(e.tensor, [r, e.index[1]], .source) }
    }
    mark(e.tensor, e.index, .output)
    for (k, term) in e.terms.enumerated() {
      for factor in term.factors where !factor.isPadding {
        if let name = factor.tensor {
          var style = Style.source
          if case .maximum(let winner) = e.combination, winner == k { style = .winner }
          mark(name, factor.index, style)
        } else if let d = factor.derivative {
          mark(d.input, d.inputIndex, .source)  // the input element whose gradient this is
        }
      }
    }
    return marks
  }

  static func drawTerms(
    _ e: ElementTrace, state: TourState, on screen: inout Screen, column: Int, top: Int, bottom: Int
  ) {
    for row in top..<bottom {
      screen.put(screen.capabilities.unicode ? "│" : "|", row: row, column: column - 1, style: .dim)
    }
    let lines = TextTrace(detail: .element, places: state.places).element(e)
      .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : $0 }
    let focused = state.focus == .terms
    screen.put(
      focused ? "terms (focused)" : "terms", row: top, column: column + 1, style: focused ? .title : .heading)
    let height = bottom - top - 1
    let first = min(state.termsScroll, max(0, lines.count - height))
    for (k, line) in lines.dropFirst(first).prefix(height).enumerated() {
      screen.put(line, row: top + 1 + k, column: column + 1, style: k + first == 0 ? .heading : .plain)
    }
    if lines.count - first > height {
      screen.put(
        "↓ \(lines.count - first - height) more (Tab, j)", row: bottom - 1, column: column + 1, style: .dim)
    }
  }

  /// "erratum: document says …" for the expectations on the tensors this step writes.
  static func errata(_ state: TourState, record: StepRecord?) -> [String] {
    let names = Set((record?.writes ?? state.run?.declared ?? []).map(\.name))
    return state.checks.filter { $0.status == .erratum && names.contains($0.expectation.reference.name) }.map
    {
      "erratum \($0.expectation.reference): the document says \($0.documented), the computation gives \($0.computed) — \($0.message)"
    }
  }
}

/// VGG-16's layer-shape table, scrollable.
enum VGGView {
  static func draw(_ state: TourState, on screen: inout Screen) {
    let architecture = try? VGG16Architecture()
    TourView.titleBar("VGG-16 at 224×224: the layer-shape table", "m menu · q quit", on: &screen)
    guard let architecture else { return }
    let table = ShapeTable(architecture: architecture, batch: 1)
    let text = table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let height = screen.height - 3
    let first = min(state.vggScroll, max(0, text.count - height))
    for (k, line) in text.dropFirst(first).prefix(height).enumerated() {
      let shown = String(line.dropFirst(state.vggColumn))
      screen.put(
        shown, row: 2 + k, column: 1, style: k + first == 0 ? .heading : .plain, limit: screen.width - 1)
    }
    TourView.hints(
      "↑↓ j k scroll · ← → h l columns · r run forward · b forward+backward · t run view · m menu · q quit",
      on: &screen)
  }
}
