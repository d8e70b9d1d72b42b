import ConvTourLessons

/// The terms pane of the element level: the element's headline, then every term with its full
/// value, wrapped onto more lines rather than cut, and the running total at the pane's right
/// edge, so the terms can be followed to the element's value by hand.
struct TermsPane {
  /// A line of the pane: its text and, on a term's last line, the running total.
  struct Line: Equatable {
    var text: String
    var total: String?
    var isHeadline = false
    var isDetail = false
  }

  var element: ElementTrace
  var number: NumberStyle

  /// The most rows measured for the width the pane would like.
  static let measuredRows = 200

  /// The width the pane would like: its longest line with its total (of the first rows).
  var wantedWidth: Int {
    let text = ElementText(number: number)
    let rows = text.rows(element, limit: Self.measuredRows).rows
    let totals = rows.compactMap(\.total).map(\.count).max() ?? 0
    let longest = rows.map { $0.text.count + ($0.isDetail ? 2 : 0) }.max() ?? 0
    return max(text.headline(element).count, longest + (totals > 0 ? totals + 3 : 0)) + 2
  }

  /// The lines at `width` columns: each row wrapped, its total right-aligned on its last line;
  /// at least `needed` lines (those a frame shows), then one that counts the terms not formatted.
  func lines(width: Int, needed: Int = Int.max) -> [Line] {
    let text = ElementText(number: number)
    let (rows, termsLeft) = text.rows(element, limit: needed)
    let totalWidth = rows.compactMap(\.total).map(\.count).max() ?? 0
    var lines = WordWrap.lines(text.headline(element), width: width, hanging: 4).map {
      Line(text: $0, isHeadline: true)
    }
    for row in rows {
      let indent = row.isDetail ? "  " : ""
      let room = width - indent.count - (row.total == nil ? 0 : totalWidth + 2)
      var wrapped = WordWrap.lines(row.text, width: max(12, room), hanging: 4).map {
        Line(text: indent + $0, isDetail: row.isDetail)
      }
      wrapped[wrapped.count - 1].total = row.total
      lines += wrapped
    }
    if termsLeft > 0 {
      lines.append(Line(text: "… \(termsLeft) more terms (j scrolls on)", isDetail: true))
    }
    return lines
  }

  /// Draws the lines from `first` into rows top..<bottom, columns column..<column + width.
  static func draw(
    _ lines: [Line], first: Int, focused: Bool, on screen: inout Screen, column: Int, top: Int, bottom: Int,
    width: Int
  ) {
    for row in top..<bottom {
      screen.put(screen.capabilities.unicode ? "│" : "|", row: row, column: column - 1, style: .dim)
    }
    let title = focused ? "terms (focused: j/k scroll)" : "terms (Tab focuses)"
    screen.put(title, row: top, column: column + 1, style: focused ? .title : .heading)
    let rows = bottom - top - 1
    let below = lines.count - first > rows
    // The last row says how much more there is, rather than hiding a line under the marker.
    let height = below ? rows - 1 : rows
    let end = column + 1 + width
    for (k, line) in lines.dropFirst(first).prefix(height).enumerated() {
      let row = top + 1 + k
      screen.put(
        line.text, row: row, column: column + 1,
        style: line.isHeadline ? .heading : line.isDetail ? .dim : .plain,
        limit: end)
      if let total = line.total {
        screen.put(total, row: row, column: end - total.count, style: .dim, limit: end)
      }
    }
    if first > 0 {
      let more = "↑ \(first) more"
      screen.put(more, row: top, column: end - more.count, style: .dim)
    }
    if below {
      let more = "↓ \(lines.count - first - height) more lines (Tab, then j)"
      screen.put(more, row: bottom - 1, column: end - more.count, style: .dim)
    }
  }
}
