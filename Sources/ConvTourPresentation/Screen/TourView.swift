/// The tour's screen: a pure function of the state and the terminal's size.
public enum TourView {
  public static let minimumWidth = 80
  public static let minimumHeight = 24

  public static func render(_ state: TourState, width: Int, height: Int, capabilities: Capabilities) -> Screen
  {
    var screen = Screen(width: width, height: height, capabilities: capabilities)
    guard width >= minimumWidth, height >= minimumHeight else {
      tooSmall(&screen)
      return screen
    }
    switch state.mode {
    case .menu: MenuView.draw(state, on: &screen)
    case .lesson: LessonView.draw(state, on: &screen)
    case .help: HelpView.draw(state, on: &screen)
    case .vgg:
      if state.vgg.showsRun { VGGRunView.draw(state, on: &screen) } else { VGGView.draw(state, on: &screen) }
    }
    return screen
  }

  /// Below 80×24: say so, centred as far as it fits; the tour comes back when the window grows.
  static func tooSmall(_ screen: inout Screen) {
    let lines = [
      "ConvTour needs a terminal of at least \(minimumWidth)×\(minimumHeight).",
      "This one is \(screen.width)×\(screen.height): please enlarge it.",
      "q quits.",
    ]
    let top = max(0, (screen.height - lines.count) / 2)
    for (k, line) in lines.enumerated() {
      let column = max(0, (screen.width - line.count) / 2)
      screen.put(line, row: top + k, column: column, style: k == 0 ? .heading : .plain)
    }
  }

  /// The bar at the top of every screen.
  static func titleBar(_ left: String, _ right: String, on screen: inout Screen) {
    screen.fill(row: 0, style: .title)
    let shown = clipped(left, to: screen.width - right.count - 3, unicode: screen.capabilities.unicode)
    screen.put(" " + shown, row: 0, column: 0, style: .title, limit: screen.width - right.count - 2)
    screen.put(right + " ", row: 0, column: max(0, screen.width - right.count - 1), style: .title)
  }

  /// Text that fits `width` columns, or as much as fits and "…" to say it goes on ("..." in
  /// ASCII, measured after spelling, so that the mark is not cut to a lone ".").
  static func clipped(_ text: String, to width: Int, unicode: Bool = true) -> String {
    let spelled = unicode ? text : AsciiSpelling.text(text)
    let mark = unicode ? "…" : "..."
    return spelled.count <= width ? spelled : String(spelled.prefix(max(0, width - mark.count))) + mark
  }

  /// A message above the key hints, word-wrapped on as many rows as it takes (up to `maxRows`,
  /// the first ones kept): the rows it takes are cleared first, so that nothing shows through.
  static func message(_ text: String, on screen: inout Screen, maxRows: Int = 3) {
    let lines = screen.wrapped(text, width: screen.width - 2, hanging: 2).prefix(maxRows)
    let top = screen.height - 1 - lines.count
    for (k, line) in lines.enumerated() {
      screen.put(String(repeating: " ", count: screen.width), row: top + k, column: 0)
      screen.put(line, row: top + k, column: 1, style: .erratum, limit: screen.width - 1)
    }
  }

  /// The key hints at the bottom.
  static func hints(_ text: String, on screen: inout Screen) {
    screen.put(KeyTable.fit(text, width: screen.width - 2), row: screen.height - 1, column: 1, style: .dim)
  }
}
