import ConvTourEngine

/// VGG-16's layer-shape table, scrollable.
enum VGGView {
  static func draw(_ state: TourState, on screen: inout Screen) {
    let architecture = try? VGG16Architecture()
    TourView.titleBar("VGG-16 at 224×224: the layer-shape table", "m menu · q quit", on: &screen)
    guard let architecture else { return }
    let table = ShapeTable(architecture: architecture, batch: 1)
    let text = table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let height = screen.height - 3
    let first = min(state.vgg.scroll, max(0, text.count - height))
    for (k, line) in text.dropFirst(first).prefix(height).enumerated() {
      let shown = String(line.dropFirst(state.vgg.column))
      screen.put(
        shown, row: 2 + k, column: 1, style: k + first == 0 ? .heading : .plain, limit: screen.width - 1)
    }
    TourView.hints(KeyTable.hints(for: .vgg), on: &screen)
  }
}
