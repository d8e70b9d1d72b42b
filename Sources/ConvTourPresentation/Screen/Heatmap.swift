import ConvTourEngine

/// One channel of a feature map (or of its gradient) as a picture: with Unicode and 256 colours,
/// each cell is two pixels (▀ with the upper pixel as foreground and the lower as background,
/// on a 24-step grey ramp); with Unicode alone, a shade ░▒▓█ per cell; in ASCII, " .:-=+*#%@".
enum Heatmap {
  /// Draws channel `channel` of `t` ([1, C, H, W], [C, H, W] or a vector) into the box.
  static func draw(
    _ t: Tensor32, channel: Int, on screen: inout Screen, top: Int, left: Int, rows: Int, columns: Int
  ) {
    let shape = t.shape.count == 4 ? Array(t.shape.dropFirst()) : t.shape
    let (c, h, w) = shape.count == 3 ? (shape[0], shape[1], shape[2]) : (1, 1, max(1, t.count))
    guard rows > 0, columns > 0, h > 0, w > 0 else { return }
    let plane = ((channel % c) + c) % c
    let base = plane * h * w
    let values = t.values[base..<(base + h * w)]
    let low = values.min() ?? 0
    let high = values.max() ?? 0
    let span = high > low ? high - low : 1
    let caps = screen.capabilities
    let pixelRows = caps.unicode && caps.colors256 ? 2 * rows : rows
    // One scale for both axes, so the picture keeps its shape.
    let scale = max(Double(h) / Double(pixelRows), Double(w) / Double(columns), 1e-9)
    let shownRows = min(pixelRows, Int((Double(h) / scale).rounded(.up)))
    let shownColumns = min(columns, Int((Double(w) / scale).rounded(.up)))
    func level(_ py: Int, _ px: Int, _ levels: Int) -> Int {
      let i = min(h - 1, Int(Double(py) * scale))
      let j = min(w - 1, Int(Double(px) * scale))
      let v = (values[base + i * w + j] - low) / span
      return min(levels - 1, max(0, Int(v * Float(levels))))
    }
    for r in 0..<(caps.unicode && caps.colors256 ? (shownRows + 1) / 2 : shownRows) {
      for x in 0..<shownColumns {
        if caps.unicode && caps.colors256 {
          let upper = level(2 * r, x, 24)
          let lower = 2 * r + 1 < shownRows ? level(2 * r + 1, x, 24) : 0
          screen[top + r, left + x] = Cell("▀", Style(foreground: .grey(upper), background: .grey(lower)))
        } else {
          let ramp: [Character] = caps.unicode ? [" ", "░", "▒", "▓", "█"] : Array(" .:-=+*#%@")
          screen[top + r, left + x] = Cell(ramp[level(r, x, ramp.count)], .plain)
        }
      }
    }
  }
}
