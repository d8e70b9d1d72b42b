import ConvTourEngine

/// Many channels of a layer's output at once, small, filling the box: the page of channels that
/// holds the selected one, the selected one's label highlighted (c/C move, g enlarges it again).
enum VGGChannelGrid {
  /// `name`: the layer's, for the heading, which also says the colour scale.
  static func draw(
    _ t: Tensor32, name: String, selected: Int, gradient: Bool, on screen: inout Screen, top: Int, left: Int,
    rows: Int, columns: Int
  ) {
    guard t.shape.count == 4, rows >= 6, columns >= 8 else { return }
    // What the tiles are: the layer, and each tile's scale (its own minimum to maximum).
    let what = gradient ? "∂J/∂(\(name) output)" : "\(name) output"
    let scaleText =
      gradient
      ? "each channel scaled about 0" : "each channel from its own min to max"
    let heading = screen.wrapped("\(what): \(scaleText)", width: columns, hanging: 2).prefix(2)
    for (k, line) in heading.enumerated() {
      screen.put(line, row: top + k, column: left, style: k == 0 ? .heading : .dim, limit: left + columns)
    }
    let (top, rows) = (top + heading.count, rows - heading.count)
    let channels = t.shape[1]
    // Tiles of about 12 columns by 7 rows (a label and 6 rows of pixels), as many as fit.
    let across = max(1, columns / 12)
    let down = max(1, rows / 7)
    let (tileWidth, tileHeight) = (columns / across, rows / down)
    let perPage = across * down
    let first = (selected / perPage) * perPage
    let scale: ColourScale = gradient ? .diverging : .sequential
    for slot in 0..<perPage where first + slot < channels {
      let channel = first + slot
      let (r, c) = (top + (slot / across) * tileHeight, left + (slot % across) * tileWidth)
      screen.put(
        "c\(channel + 1)", row: r, column: c, style: channel == selected ? .output : .dim,
        limit: c + tileWidth - 1)
      MapDrawing.draw(
        MapPicture(t.values, shape: t.shape, channel: channel), scale, on: &screen, top: r + 1, left: c,
        rows: tileHeight - 1, columns: tileWidth - 1)
    }
    let last = min(channels, first + perPage)
    screen.put(
      "channels \(first + 1)–\(last) of \(channels)\(Chrome.separator)c/C move\(Chrome.separator)g enlarge",
      row: top + rows, column: left,
      style: .dim, limit: left + columns)
  }
}
