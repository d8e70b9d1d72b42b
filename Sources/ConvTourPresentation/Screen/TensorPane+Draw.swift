/// Drawing the tensors pane: where it is scrolled (following the highlights until the student
/// scrolls), and the markers where it is cut.
extension TensorPane {
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

  /// The sideways scroll in columns of each line: the student's, or while following, for each
  /// grid (a run of grid lines) what shows its highlighted cells, so the window of an input and
  /// the element it makes both show however far apart their columns are.
  func firstColumns(state: TourState, width: Int) -> [Int] {
    guard state.lesson.followsHighlights else {
      return Array(repeating: state.lesson.scrollColumn, count: lines.count)
    }
    var shifts = Array(repeating: 0, count: lines.count)
    var start = 0
    while start < lines.count {
      guard lines[start].isGrid else {
        start += 1
        continue
      }
      var end = start
      while end < lines.count, lines[end].isGrid { end += 1 }
      let shift = Self.following(lines[start..<end], width: width)
      for k in start..<end { shifts[k] = shift }
      start = end
    }
    return shifts
  }

  /// The scroll that shows the highlighted cells of these grid lines (0 when none or they fit).
  static func following(_ grid: ArraySlice<Line>, width: Int) -> Int {
    var lo = Int.max
    var hi = 0
    for line in grid {
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
    let shifts = firstColumns(state: state, width: width)
    let unicode = screen.capabilities.unicode
    for (k, line) in lines.dropFirst(first).prefix(shown).enumerated() {
      let row = top + k
      if line.isCutMarker, first + k + 1 < lines.count {
        let (left, right) = hidden(lines[first + k + 1], shift: shifts[first + k + 1], width: width)
        var say: [String] = []
        if left > 0 { say.append("\(unicode ? "◀" : "<") \(left) more column\(left == 1 ? "" : "s") (h)") }
        if right > 0 { say.append("\(right) more column\(right == 1 ? "" : "s") (l) \(unicode ? "▶" : ">")") }
        screen.put(
          "  " + say.joined(separator: Chrome.separator), row: row, column: 1, style: .erratum, limit: width)
        continue
      }
      if !line.isGrid {
        var column = 1
        for segment in line.segments {
          column = screen.put(segment.text, row: row, column: column, style: segment.style, limit: width)
        }
        continue
      }
      let shift = shifts[first + k]
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
