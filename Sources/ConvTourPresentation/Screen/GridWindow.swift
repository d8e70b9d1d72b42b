/// The part of one channel's grid the tensors pane formats: all of it up to `mostRows` ×
/// `mostColumns` cells, else that many around the highlighted element (or from the top left),
/// so that a frame's work does not grow with the tensor (a 50,000,000-value vector is one grid
/// line of 50,000,000 cells). More than a pane shows: the pane still scrolls within the window.
struct GridWindow: Equatable {
  static let mostRows = 100
  static let mostColumns = 100

  let rows: Int
  let columns: Int
  let rowRange: Range<Int>
  let columnRange: Range<Int>

  /// `around`: the offset within the plane (row × columns + column) to keep in the window.
  init(rows: Int, columns: Int, around offset: Int) {
    self.rows = rows
    self.columns = columns
    let (row, column) = columns > 0 ? (offset / columns, offset % columns) : (0, 0)
    rowRange = Self.range(count: rows, most: Self.mostRows, around: row)
    columnRange = Self.range(count: columns, most: Self.mostColumns, around: column)
  }

  /// At most `most` of 0..<count, with `index` about a quarter of the way in.
  static func range(count: Int, most: Int, around index: Int) -> Range<Int> {
    guard count > most else { return 0..<max(0, count) }
    let start = max(0, min(count - most, index - most / 4))
    return start..<(start + most)
  }

  /// What a cut window says above its grid (nil when the whole plane is shown).
  var cutText: String? {
    guard rowRange.count < rows || columnRange.count < columns else { return nil }
    var spans: [String] = []
    if rowRange.count < rows {
      spans.append("rows \(rowRange.lowerBound + 1)–\(rowRange.upperBound) of \(rows)")
    }
    if columnRange.count < columns {
      spans.append("columns \(columnRange.lowerBound + 1)–\(columnRange.upperBound) of \(columns)")
    }
    return "showing " + spans.joined(separator: ", ") + " (convtour trace shows every value)"
  }
}
