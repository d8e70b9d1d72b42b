import ConvTourEngine
import ConvTourLessons
import Foundation

/// The tensors pane of a lesson step: each tensor the step reads and writes (or the lesson
/// gives), with its shape, its declaration note and one channel as a grid. Highlights mark the
/// element being computed and what made it. A grid wider than the pane says how many columns
/// are hidden on each side; the pane follows the highlights until the student scrolls.
struct TensorPane {
  typealias Segment = (text: String, style: Style)

  /// One line of the pane. Grid lines scroll sideways (`cells` cells of `cellWidth` columns
  /// after a 2-column indent); headers do not.
  struct Line {
    var segments: [Segment]
    var cells = 0
    var cellWidth = 0
    /// The line above a grid too wide for the pane: it says how many columns are hidden.
    var isCutMarker = false
    /// A line of a picture (the loss chart): drawn as it is, never wrapped.
    var isPicture = false
    var isGrid: Bool { cells > 0 }
  }

  var lines: [Line] = []

  /// The most tensors a group (reads, writes, given) shows; the rest are counted.
  static let mostTensors = 200

  init(_ state: TourState, record: StepRecord?, run: LessonRun, number: NumberStyle, unicode: Bool) {
    let highlights = Self.highlights(state)
    let gradientStep: Bool
    switch record?.step.action {
    case .backward, .gradient, .numericGradient: gradientStep = true
    default: gradientStep = false
    }
    let notes = state.lesson.notes
    var groups: [(String, [NamedTensor], Bool)] =
      record.map {
        [
          ("reads", $0.reads, false),
          ("writes", $0.losses == nil ? $0.writes : Array($0.writes.dropFirst()), gradientStep),
        ]
      } ?? [("given", run.declared, false)]
    if let losses = record?.losses {
      // A training step: its loss chart up to the epoch shown, then that epoch's parameters,
      // gradients and updates, one parameter at a time (its last epoch's when none were kept).
      let epoch = state.lesson.shownEpoch ?? losses.count
      lines += Self.lossPlot(losses, shown: epoch, status: state.lesson.epochStatus, unicode: unicode)
      if let snapshot = state.lesson.shownSnapshot {
        let label = "epoch \(snapshot.epoch)"
        groups = snapshot.parameters.indices.flatMap {
          [
            (label, [snapshot.parameters[$0]], false), (label, [snapshot.gradients[$0]], true),
            (label, [snapshot.updated[$0]], false),
          ]
        }
      } else if record?.epochs.isEmpty == true {
        lines.append(
          Line(segments: [
            ("  (each epoch's weights were too many to keep: the last epoch's are shown)", .dim)
          ]))
      }
    }
    for (label, tensors, gradients) in groups {
      let shown = tensors.lazy.filter { !state.lesson.hidden.contains($0.name) }
      for t in shown.prefix(Self.mostTensors) {
        lines += Self.block(
          t, label: label, note: notes[t.name] ?? nil, gradient: gradients, state: state, number: number,
          marks: highlights[t.name] ?? [:])
        lines.append(Line(segments: []))
      }
      let more = shown.dropFirst(Self.mostTensors).count
      if more > 0 {
        lines.append(
          Line(segments: [("  … and \(more) more tensors (convtour trace \(run.lesson.id) lists them)", .dim)]
          ))
      }
    }
  }

  /// The width the pane would like: its widest grid, or its headers' names and shapes.
  var wantedWidth: Int {
    lines.map {
      $0.isGrid ? 2 + $0.cells * $0.cellWidth : $0.segments.prefix(3).reduce(0) { $0 + $1.text.count }
    }
    .max() ?? 0
  }

  /// The pane at `width` columns: text lines (headers, notes) wrapped, grids kept whole (they
  /// scroll sideways with their cut marked).
  func wrapped(width: Int) -> TensorPane {
    var result = self
    var previousIsGrid = false
    result.lines = lines.flatMap { line -> [Line] in
      defer { previousIsGrid = line.isGrid }
      if line.isGrid {
        let cut = 2 + line.cells * line.cellWidth > width - 1
        return cut && !previousIsGrid ? [Line(segments: [], isCutMarker: true), line] : [line]
      }
      let text = line.segments.map(\.text).joined()
      guard !line.isPicture, text.count > width - 2 else { return [line] }
      // A header keeps its styled name on the first line; the rest wraps dim.
      var first: [Segment] = []
      var used = 0
      var rest = ""
      for segment in line.segments {
        if rest.isEmpty, used + segment.text.count <= width - 2 {
          first.append(segment)
          used += segment.text.count
        } else {
          rest += segment.text
        }
      }
      let more = WordWrap.lines(rest.trimmingCharacters(in: .whitespaces), width: width - 6).map {
        Line(segments: [("    " + $0, Style.dim)])
      }
      return first.isEmpty ? more : [Line(segments: first)] + more
    }
    return result
  }

  /// The lines of one tensor: a header, its note, then one channel as a grid.
  static func block(
    _ t: NamedTensor, label: String, note: String?, gradient: Bool, state: TourState, number: NumberStyle,
    marks: [Int: Style]
  ) -> [Line] {
    let header: [Segment] = [
      ("\(label) ", .dim), ((gradient ? "∂ " : "") + t.name, .heading),
      ("  \(IndexText.shape(t.shape))", .dim),
    ]
    var lines = [Line(segments: header)]
    if let note, !note.isEmpty { lines.append(Line(segments: [("  " + note, .dim)])) }
    let order = IndexText.order(t.shape)
    if !order.isEmpty { lines.append(Line(segments: [("  index \(order)", .dim)])) }
    guard let value = t.value else {
      lines.append(
        Line(segments: [
          ("  shape only: \(ShapeTable.grouped(Shape.count(t.shape))) elements, no values", .dim)
        ]))
      return lines
    }
    let (rows, columns) =
      value.rank >= 2 ? (value.shape[value.rank - 2], value.shape[value.rank - 1]) : (1, max(1, value.count))
    let planeSize = max(1, rows * columns)
    let planes = max(1, value.count / planeSize)
    var plane = 0
    let auto = marks.keys.sorted().first { marks[$0] == .output } ?? marks.keys.min() ?? 0
    if planes > 1 {
      plane = ((auto / planeSize + state.lesson.channelOffset) % planes + planes) % planes
      let outer = Array(value.shape.dropLast(2))
      let index = Shape.index(ofOffset: plane, in: outer)
      let name =
        outer.count == 1
        ? "channel \(plane + 1) of \(planes) (c/C)"
        : "[\(IndexText.oneBased(index)), :, :] (\(plane + 1) of \(planes), c/C)"
      lines[0].segments.append(("  \(name)", .plain))
    }
    if value.count == 0 { return lines }
    // A window of the plane, around its highlighted element: a frame formats at most
    // mostRows × mostColumns values, however large the tensor.
    let window = GridWindow(rows: rows, columns: columns, around: auto % planeSize)
    if let cut = window.cutText { lines.append(Line(segments: [("  " + cut, .dim)])) }
    let offsets = window.rowRange.flatMap { r in
      window.columnRange.map { c in plane * planeSize + r * columns + c }
    }
    .filter { $0 < value.count }
    let shownValues = Tensor(vector: offsets.map { value.values[$0] })
    let shownTangent = t.tangent.map { tangent in Tensor(vector: offsets.map { tangent.values[$0] }) }
    let cellTexts = TensorText(places: state.lesson.places).cells(
      shownValues, tangent: shownTangent, number: number)
    let texts = Dictionary(uniqueKeysWithValues: zip(offsets, cellTexts))
    let width = cellTexts.map(\.count).max() ?? 1
    for r in window.rowRange {
      var segments: [Segment] = [("  ", .plain)]
      for c in window.columnRange {
        let offset = plane * planeSize + r * columns + c
        guard let cell = texts[offset] else { break }
        let text = String(repeating: " ", count: width - cell.count) + cell
        var style = marks[offset] ?? .plain
        if style == .plain, gradient, value.values[offset] != 0 {
          style = value.values[offset] > 0 ? .positive : .negative
        }
        segments.append((text, style))
        segments.append((" ", .plain))
      }
      lines.append(Line(segments: segments, cells: window.columnRange.count, cellWidth: width + 1))
    }
    return lines
  }

  /// Offsets to highlight, by tensor: the element being computed and what made it.
  static func highlights(_ state: TourState) -> [String: [Int: Style]] {
    guard let e = state.lesson.currentElement, let record = state.lesson.record else { return [:] }
    var marks: [String: [Int: Style]] = [:]
    // The shapes looked up once, not per term (a sum has 24,300).
    let shapes = Dictionary(
      (record.reads + record.writes).map { ($0.name, $0.shape) }, uniquingKeysWith: { a, _ in a })
    func mark(_ name: String, _ index: [Int], _ style: Style) {
      guard let shape = shapes[name],
        Shape.contains(index, in: shape)
      else { return }
      let offset = Shape.offset(index, in: shape)
      if marks[name]?[offset] == .output || marks[name]?[offset] == .winner { return }
      marks[name, default: [:]][offset] = style
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
          // What the local derivative equals: X's window for ∂W, the filter for ∂X, the winner.
          for f in factor.local?.factors ?? [] where !f.isPadding {
            if case .maximum = factor.local?.rule {
              mark(f.tensor ?? "", f.index, .winner)
            } else {
              mark(f.tensor ?? "", f.index, .source)
            }
          }
        }
      }
    }
    return marks
  }

  /// The first line to show in `height` rows: the student's scroll, or while following, the
  /// highlighted lines brought into view.
  func firstLine(state: TourState, height: Int) -> Int {
    let last = max(0, lines.count - height)
    guard state.lesson.followsHighlights else { return min(state.lesson.scrollRow, last) }
    // The element computed must show; then as many of its sources as fit above it.
    let marked = lines.indices.filter { k in lines[k].segments.contains { $0.style.isHighlight } }
    let output = lines.indices.last { k in lines[k].segments.contains { $0.style == .output } } ?? marked.last
    guard let hi = output, hi >= height else { return 0 }
    let lo = marked.first ?? hi
    return min(last, max(0, hi - height + 1, min(lo - 1, hi - height + 2)))
  }

  /// The sideways scroll in columns: the student's, or while following, what shows the
  /// highlighted cells.
  func firstColumn(state: TourState, width: Int) -> Int {
    guard state.lesson.followsHighlights else { return state.lesson.scrollColumn }
    var lo = Int.max
    var hi = 0
    for line in lines where line.isGrid {
      var column = 0
      for segment in line.segments {
        if segment.style.isHighlight {
          lo = min(lo, column)
          hi = max(hi, column + segment.text.count)
        }
        column += segment.text.count
      }
    }
    guard lo != Int.max, hi > width - 2 else { return 0 }
    return max(0, min(lo - 2, hi - (width - 2)))
  }

  /// Draws the pane into rows top..<bottom, columns 0..<width, with markers where it is cut: ◀ ▶
  /// at a grid's cut edges, the hidden columns counted above it, and the lines above (on the
  /// rule at top − 1) and below (on its own last row).
  func draw(state: TourState, on screen: inout Screen, top: Int, bottom: Int, width: Int) {
    let rows = bottom - top
    // One row fewer when the last row says how much more there is.
    let first = firstLine(state: state, height: lines.count > rows ? rows - 1 : rows)
    let below = lines.count - first > rows
    let shown = below ? rows - 1 : rows
    let shift = firstColumn(state: state, width: width)
    let unicode = screen.capabilities.unicode
    for (k, line) in lines.dropFirst(first).prefix(shown).enumerated() {
      let row = top + k
      if line.isCutMarker, first + k + 1 < lines.count {
        let (left, right) = hidden(lines[first + k + 1], shift: shift, width: width)
        var say: [String] = []
        if left > 0 { say.append("\(unicode ? "◀" : "<") \(left) more column\(left == 1 ? "" : "s") (h)") }
        if right > 0 { say.append("\(right) more column\(right == 1 ? "" : "s") (l) \(unicode ? "▶" : ">")") }
        screen.put("  " + say.joined(separator: " · "), row: row, column: 1, style: .erratum, limit: width)
        continue
      }
      if !line.isGrid {
        var column = 1
        for segment in line.segments {
          column = screen.put(segment.text, row: row, column: column, style: segment.style, limit: width)
        }
        continue
      }
      var column = 1 - shift
      for segment in line.segments {
        let start = column
        column += segment.text.count
        if start >= 1 {
          screen.put(segment.text, row: row, column: start, style: segment.style, limit: width - 1)
        } else if column > 1 {
          screen.put(
            String(segment.text.dropFirst(1 - start)), row: row, column: 1, style: segment.style,
            limit: width - 1)
        }
      }
      let (left, right) = hidden(line, shift: shift, width: width)
      if left > 0 { screen.put(unicode ? "◀" : "<", row: row, column: 0, style: .erratum) }
      if right > 0 { screen.put(unicode ? "▶" : ">", row: row, column: width - 1, style: .erratum) }
    }
    if first > 0 {
      let more = " ↑ \(first) more lines "
      screen.put(more, row: top - 1, column: max(1, width - more.count - 1), style: .dim, limit: width)
    }
    if below {
      let more = "↓ \(lines.count - first - shown) more lines (j/k)"
      screen.put(more, row: bottom - 1, column: max(1, width - more.count - 1), style: .dim, limit: width)
    }
  }

  /// The cells of a grid line hidden left and right. Cell c spans line columns
  /// 2 + c·w ..< 2 + (c + 1)·w − 1; columns shift ..< shift + width − 2 are on screen (the last
  /// screen column holds the ▶ marker).
  func hidden(_ line: Line, shift: Int, width: Int) -> (left: Int, right: Int) {
    let starts = (0..<line.cells).map { 2 + $0 * line.cellWidth }
    return (
      starts.filter { $0 < shift }.count, starts.filter { $0 + line.cellWidth - 1 > shift + width - 2 }.count
    )
  }
}

extension Style {
  /// The element being computed, what made it, or a max-pool winner.
  var isHighlight: Bool { self == .output || self == .source || self == .winner }
}
