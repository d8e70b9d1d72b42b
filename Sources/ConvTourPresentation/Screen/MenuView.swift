/// The list of lessons.
enum MenuView {
  static func draw(_ state: TourState, on screen: inout Screen) {
    let visible = state.visibleLessons
    let count =
      visible.count == state.lessons.count
      ? "\(state.lessons.count) lessons" : "\(visible.count) of \(state.lessons.count) lessons"
    TourView.titleBar("ConvTour — forward and backward propagation, step by step", count, on: &screen)
    let top = 2
    let rows = screen.height - 4
    let perLesson = 2
    let first = max(0, state.menu.selected - rows / perLesson + 1)
    for (k, lesson) in visible.enumerated().dropFirst(first).prefix(rows / perLesson) {
      let row = top + (k - first) * perLesson
      let chosen = k == state.menu.selected
      let style: Style = chosen ? .title : .plain
      if chosen { screen.fill(row: row, from: 1, to: screen.width - 1, style: .title) }
      let steps = "\(lesson.steps.count) steps"
      screen.put(
        TourView.clipped(
          " \(lesson.title)", to: screen.width - steps.count - 4, unicode: screen.capabilities.unicode),
        row: row, column: 1,
        style: style)
      screen.put(steps, row: row, column: screen.width - steps.count - 2, style: style)
      let place = state.positions[lesson.id].map { "\(Chrome.separator)left at step \($0)" } ?? ""
      screen.put(
        TourView.clipped(
          "   \(lesson.id)\(Chrome.separator)\(state.documentTitle(lesson))\(place)", to: screen.width - 2,
          unicode: screen.capabilities.unicode),
        row: row + 1,
        column: 1,
        style: .dim, limit: screen.width - 1)
    }
    if visible.isEmpty { screen.put("No lesson matches “\(state.menu.filter)”.", row: top, column: 2) }
    if let problem = state.problems.first {
      screen.put("! \(problem)", row: screen.height - 2, column: 1, style: .erratum)
    }
    if state.menu.filtering || !state.menu.filter.isEmpty {
      screen.put(
        "/\(state.menu.filter)\(state.menu.filtering ? "▏" : "")", row: screen.height - 1, column: 1,
        style: .heading)
    } else {
      TourView.hints(KeyTable.hints(for: state), on: &screen)
    }
    if let message = state.message { screen.put(message, row: screen.height - 2, column: 1, style: .erratum) }
  }
}
