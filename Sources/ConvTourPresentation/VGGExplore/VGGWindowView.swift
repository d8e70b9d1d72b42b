import ConvTourEngine
import ConvTourLessons

/// Beside an open explanation: the map the element reads, with what it reads marked — the f×f
/// window of one input channel for a convolution (the expanded channel, else channel 1), the
/// window of a max-pool or average pool.
enum VGGWindowView {
  static func draw(
    _ explorer: VGGExplorer, _ record: VGGRunRecord, on screen: inout Screen, top: Int, left: Int, rows: Int,
    columns: Int
  ) {
    let layers = record.parameters.architecture.layers
    let layer = layers[explorer.layer]
    guard rows >= 6, columns >= 10, let input = record.input(of: explorer.layer), input.shape.count == 4,
      let output = record.recorder.outputs[explorer.layer]
    else { return }
    var explorer = explorer
    explorer.clamp(to: output.shape)
    let (i, j) = (explorer.row, explorer.column)
    // The input channel drawn, and the window's rows and columns in it.
    let channel: Int
    let window: (rows: ClosedRange<Int>, columns: ClosedRange<Int>)
    // The window at (i·s − p, j·s − p), f×f, clipped to the map (the zero border is not drawn).
    let (f, st, p) = (layer.kernel, layer.stride, layer.padding)
    func span(_ k: Int, _ size: Int) -> ClosedRange<Int>? {
      let first = max(0, k * st - p)
      let last = min(size - 1, k * st - p + f - 1)
      return first <= last ? first...last : nil
    }
    switch layer.kind {
    case .convolution:
      channel = min(explorer.expand ?? 0, input.shape[1] - 1)
    case .maxPool, .averagePool:
      channel = explorer.channel
    default: return
    }
    guard let rowSpan = span(i, input.shape[2]), let columnSpan = span(j, input.shape[3]) else { return }
    window = (rowSpan, columnSpan)
    let below = explorer.layer == 0 ? "x" : layers[explorer.layer - 1].name
    // Short lines, so a narrow pane cuts nothing.
    screen.put("it reads \(below)", row: top, column: left, style: .heading, limit: left + columns)
    screen.put(
      "channel \(channel + 1) of \(input.shape[1])", row: top + 1, column: left, style: .heading,
      limit: left + columns)
    let map = MapPicture(input.values, shape: input.shape, channel: channel)
    let drawn = MapDrawing.draw(
      map, .sequential, on: &screen, top: top + 2, left: left, rows: rows - 5, columns: columns)
    var marked = Set<[Int]>()
    for r in window.rows {
      for c in window.columns {
        let cell = drawn.cell(row: r, column: c)
        guard marked.insert([cell.row, cell.column]).inserted else { continue }
        screen[cell.row, cell.column] = Cell(screen.capabilities.unicode ? "▪" : "#", .source)
      }
    }
    let notes = [
      "rows \(window.rows.lowerBound + 1)–\(window.rows.upperBound + 1)",
      "columns \(window.columns.lowerBound + 1)–\(window.columns.upperBound + 1)",
      layer.kind == .convolution ? "x/X: another channel" : "",
    ]
    for (k, note) in notes.enumerated() {
      screen.put(
        note, row: top + 2 + drawn.rows + k, column: left, style: k < 2 ? .source : .dim,
        limit: left + columns)
    }
  }
}
