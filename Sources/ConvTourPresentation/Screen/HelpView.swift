/// Every key, from the key table, and what the highlights mean.
enum HelpView {
  static func draw(_ state: TourState, on screen: inout Screen) {
    TourView.titleBar("ConvTour — keys", "? or Esc closes", on: &screen)
    // The highlights of a lesson, in their own styles, on one line.
    var column = screen.put("In a lesson: ", row: 1, column: 3, style: .heading)
    column = screen.put("the element computed", row: 1, column: column, style: .output)
    column = screen.put("  ", row: 1, column: column)
    column = screen.put("what made it", row: 1, column: column, style: .source)
    column = screen.put("  ", row: 1, column: column)
    screen.put("a max-pool winner", row: 1, column: column, style: .winner)
    for (k, entry) in KeyTable.all.enumerated() {
      screen.put(entry.keys, row: 2 + k, column: 3, style: .heading)
      screen.put(entry.what, row: 2 + k, column: 24, limit: screen.width - 1)
    }
  }
}
