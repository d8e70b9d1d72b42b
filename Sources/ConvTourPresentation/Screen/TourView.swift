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
      if state.vggShowsRun { VGGRunView.draw(state, on: &screen) } else { VGGView.draw(state, on: &screen) }
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
    screen.put(" " + left, row: 0, column: 0, style: .title, limit: screen.width - right.count - 2)
    screen.put(right + " ", row: 0, column: max(0, screen.width - right.count - 1), style: .title)
  }

  /// The key hints at the bottom.
  static func hints(_ text: String, on screen: inout Screen) {
    screen.put(text, row: screen.height - 1, column: 1, style: .dim)
  }

  /// Words wrapped to `width` columns.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      for word in paragraph.split(separator: " ") {
        if !line.isEmpty, line.count + 1 + word.count > width {
          lines.append(line)
          line = ""
        }
        line += line.isEmpty ? String(word) : " " + word
      }
      lines.append(line)
    }
    return lines
  }
}

/// The list of lessons.
enum MenuView {
  static func draw(_ state: TourState, on screen: inout Screen) {
    TourView.titleBar(
      "ConvTour — forward and backward propagation, step by step", "\(state.lessons.count) lessons",
      on: &screen)
    let visible = state.visibleLessons
    let top = 2
    let rows = screen.height - 4
    let perLesson = 2
    let first = max(0, state.selected - rows / perLesson + 1)
    for (k, lesson) in visible.enumerated().dropFirst(first).prefix(rows / perLesson) {
      let row = top + (k - first) * perLesson
      let chosen = k == state.selected
      let style: Style = chosen ? .title : .plain
      if chosen { screen.fill(row: row, from: 1, to: screen.width - 1, style: .title) }
      let steps = "\(lesson.steps.count) steps"
      screen.put(" \(lesson.title)", row: row, column: 1, style: style, limit: screen.width - steps.count - 3)
      screen.put(steps, row: row, column: screen.width - steps.count - 2, style: style)
      screen.put(
        "   \(lesson.id) · \(lesson.source)", row: row + 1, column: 1, style: .dim, limit: screen.width - 1)
    }
    if visible.isEmpty { screen.put("No lesson matches “\(state.filter)”.", row: top, column: 2) }
    if let problem = state.problems.first {
      screen.put("! \(problem)", row: screen.height - 2, column: 1, style: .erratum)
    }
    if state.filtering || !state.filter.isEmpty {
      screen.put(
        "/\(state.filter)\(state.filtering ? "▏" : "")", row: screen.height - 1, column: 1, style: .heading)
    } else {
      TourView.hints("↑↓ choose · Enter open · / filter · v VGG-16 · ? help · q quit", on: &screen)
    }
    if let message = state.message { screen.put(message, row: screen.height - 2, column: 1, style: .erratum) }
  }
}

/// Every key.
enum HelpView {
  static let keys: [(String, String)] = [
    ("→  n  Space", "next step (or element)"), ("←  p", "previous step (or element)"),
    ("s", "step into element level: one output element at a time"), ("o", "step out to op level"),
    ("Home / End", "first / last step"), ("g", "go to step: type its number, then Enter"),
    ("c / C", "next / previous channel of the tensors shown"),
    ("Tab", "move focus between tensors and terms"),
    ("↑ ↓  j k", "scroll the focused pane"), ("h l", "scroll tensors left / right"),
    ("+ / −", "more / fewer decimal places"), ("v", "VGG-16: the layer-shape table"),
    ("r / b", "VGG-16: run forward / forward and backward (Esc cancels)"), ("t", "VGG-16: table or run view"),
    ("a / g", "VGG-16: direct or Winograd convolutions / a grid of channels"),
    ("s / w", "VGG-16, after a run: explain an element / a filter weight's ∂J/∂W"),
    ("x X / o", "VGG-16 explanation: a channel's 9 products / terms by size"),
    ("m", "the menu of lessons"),
    ("/", "filter the menu"), ("?", "this help"), ("q", "quit"),
  ]

  static func draw(_ state: TourState, on screen: inout Screen) {
    TourView.titleBar("ConvTour — keys", "? or Esc closes", on: &screen)
    for (k, (key, what)) in keys.enumerated() {
      screen.put(key, row: 2 + k, column: 3, style: .heading)
      screen.put(what, row: 2 + k, column: 18)
    }
    let legend = 3 + keys.count
    screen.put("In a lesson:", row: legend, column: 3, style: .heading)
    screen.put("the element being computed", row: legend + 1, column: 8, style: .output)
    screen.put("what it is computed from", row: legend + 2, column: 8, style: .source)
    screen.put("the winner of a max-pool window", row: legend + 3, column: 8, style: .winner)
  }
}
