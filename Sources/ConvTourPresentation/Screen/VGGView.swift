import ConvTourEngine

/// The network's layer-shape table, scrollable.
enum VGGView {
  static func draw(_ state: TourState, on screen: inout Screen) {
    let architecture = state.vgg.network
    TourView.titleBar(
      "\(architecture.title): the layer-shape table", "m menu\(Chrome.separator)q quit", on: &screen)
    let table = ShapeTable(architecture: architecture, batch: 1)
    let text = table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let height = screen.height - 3
    let first = min(state.vgg.scroll, max(0, text.count - height))
    for (k, line) in text.dropFirst(first).prefix(height).enumerated() {
      let shown = String(line.dropFirst(state.vgg.column))
      screen.put(
        shown, row: 2 + k, column: 1, style: k + first == 0 ? .heading : .plain, limit: screen.width - 1)
    }
    if let message = state.message { TourView.message(message, on: &screen) }
    TourView.hints(KeyTable.hints(for: .vgg), on: &screen)
  }
}

extension NetworkArchitecture {
  /// "VGG-16", "tiny-vgg", a file's network's name: what the menu's `v` opens.
  var shortTitle: String { name == "vgg16" ? "VGG-16" : name }

  /// "VGG-16 at 224×224", "tiny-vgg at 64×64×3": the network screen's title.
  var title: String {
    name == "vgg16"
      ? "\(shortTitle) at \(input[1])×\(input[2])" : "\(name) at \(input[1])×\(input[2])×\(input[0])"
  }
}
