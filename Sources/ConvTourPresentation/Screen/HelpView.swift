/// Every key, from the key table, and what the highlights mean.
enum HelpView {
  /// What the VGG-16 screen does not show and a command does (issue 9).
  static let compare =
    "convtour vgg16 compare runs the network with direct and with Winograd convolutions on the same input "
    + "and weights and shows, layer by layer, how far they differ and how many ReLU and max-pool "
    + "decisions flip (a lesson in numerical error; a = the algorithm of the runs here)."

  static func draw(_ state: TourState, on screen: inout Screen) {
    TourView.titleBar("ConvTour — keys", "? or Esc closes", on: &screen)
    // The highlights of a lesson, in their own styles, on one line.
    var column = screen.put("In a lesson: ", row: 1, column: 3, style: .heading)
    column = screen.put("the element computed", row: 1, column: column, style: .output)
    column = screen.put("  ", row: 1, column: column)
    column = screen.put("what made it", row: 1, column: column, style: .source)
    column = screen.put("  ", row: 1, column: column)
    screen.put("a max-pool winner", row: 1, column: column, style: .winner)
    // One line per key, wrapped when long; the list scrolls (j/k) when the window is short.
    var lines: [(String, String)] = []
    for entry in KeyTable.all {
      for (k, piece) in screen.wrapped(entry.what, width: screen.width - 26).enumerated() {
        lines.append((k == 0 ? entry.keys : "", piece))
      }
    }
    lines.append(("", ""))
    for (k, piece) in screen.wrapped(Self.compare, width: screen.width - 26).enumerated() {
      lines.append((k == 0 ? "VGG-16, a shell" : "", piece))
    }
    let rows = screen.height - 3
    let first = min(state.helpScroll, max(0, lines.count - rows))
    let below = lines.count - first > rows
    for (k, line) in lines.dropFirst(first).prefix(below ? rows - 1 : rows).enumerated() {
      screen.put(line.0, row: 2 + k, column: 3, style: .heading)
      screen.put(line.1, row: 2 + k, column: 24, limit: screen.width - 1)
    }
    if below {
      screen.put(
        "↓ \(lines.count - first - rows + 1) more (j)", row: screen.height - 2, column: 3, style: .dim)
    }
  }
}
