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
    /// A grid line's row in its tensor's plane, from 0.
    var row: Int? = nil
    /// A header's short form for a condensed pane: the name and the plane shown, on one line.
    var short: [Segment]? = nil
    /// Cut at the pane's edge rather than wrapped (a condensed pane's headers).
    var clipped = false
    var isGrid: Bool { cells > 0 }
  }

  var lines: [Line] = []
  /// Only the highlighted rows (`condensed()`): grids cut at the edge are not announced on a
  /// line of their own (their ◀ ▶ marks remain).
  var isCondensed = false

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
      lines += Self.lossPlot(
        losses, shown: epoch, status: state.lesson.epochStatus, logScale: state.lesson.logLoss,
        unicode: unicode)
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
        return cut && !previousIsGrid && !isCondensed
          ? [Line(segments: [], isCutMarker: true), line] : [line]
      }
      let text = line.segments.map(\.text).joined()
      guard !line.isPicture, !line.clipped, text.count > width - 2 else { return [line] }
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
    var lines = [Line(segments: header, short: [("\(label) ", .dim), header[1]])]
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
      let short = outer.count == 1 ? "channel \(plane + 1)/\(planes)" : "[\(IndexText.oneBased(index)), :, :]"
      lines[0].short?.append((" \(short)", .plain))
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
      lines.append(Line(segments: segments, cells: window.columnRange.count, cellWidth: width + 1, row: r))
    }
    return lines
  }
}

extension Style {
  /// The element being computed, what made it, or a max-pool winner.
  var isHighlight: Bool { self == .output || self == .source || self == .winner }
}
