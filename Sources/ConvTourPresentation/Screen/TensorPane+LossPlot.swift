extension TensorPane {
  /// A repeat's loss per epoch as a line chart (LossPlot) up to epoch `shown`, one pane line per
  /// row of cells, under a line saying which epoch is shown and whether it plays; the chart keeps
  /// its width (it is a picture: never wrapped).
  /// `logScale`: the y axis logarithmic (L toggles it), when every loss is positive.
  static func lossPlot(
    _ losses: [Double], shown: Int? = nil, status: String? = nil, logScale: Bool = false, unicode: Bool
  ) -> [Line] {
    let (width, height) = (64, 12)
    var plot = Screen(width: width, height: height, capabilities: Capabilities(unicode: unicode))
    let logarithmic = logScale && LossPlot.canBeLogarithmic(losses)
    LossPlot.draw(
      losses, into: &plot, row: 0, column: 0, width: width, height: height, shown: shown,
      logScale: logarithmic)
    let scale = logarithmic ? "  log scale (L: linear)" : "  L: log scale"
    var lines = [
      Line(segments: [("loss per epoch", .heading), ("  \(losses.count) epochs", .dim), (scale, .dim)])
    ]
    if let status { lines.append(Line(segments: [(status, .plain)])) }
    for r in 0..<height {
      // Runs of cells in one style become one segment each.
      var segments: [Segment] = []
      for c in 0..<width {
        let cell = plot[r, c]
        if let last = segments.last, last.style == cell.style {
          segments[segments.count - 1].text.append(cell.character)
        } else {
          segments.append((String(cell.character), cell.style))
        }
      }
      lines.append(Line(segments: segments, isPicture: true))
    }
    return lines + [Line(segments: [])]
  }
}
