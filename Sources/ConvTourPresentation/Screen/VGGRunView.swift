import ConvTourEngine
import Foundation

/// The VGG-16 run: a row per layer with its progress and times, the selected layer's feature
/// map and (after a backward pass) its gradient as pictures, the gradient norms as bars.
enum VGGRunView {
  static func draw(_ state: TourState, on screen: inout Screen) {
    guard let architecture = try? VGG16Architecture() else { return }
    let run = state.vggRun
    var status: String
    switch run.status {
    case .idle: status = "r: run forward · b: forward and backward"
    case .running(let backward):
      status =
        (backward ? "forward + backward" : "forward") + String(format: " %.1f s · Esc cancels", run.elapsed)
    case .done(let backward):
      status =
        (backward ? "forward + backward" : "forward") + " done"
        + (run.loss.map { String(format: " · loss J = %.4f", $0) } ?? "")
    case .cancelled: status = "cancelled"
    case .failed(let why): status = "failed: \(why)"
    }
    TourView.titleBar("VGG-16 at 224×224, batch 1, seeded weights", status, on: &screen)
    let layers = architecture.layers
    let tableWidth = 62
    screen.put(
      "layer     output          fwd ms  bwd ms  progress  ‖∂J/∂W‖", row: 2, column: 1, style: .heading)
    let rows = screen.height - 5
    let first = max(0, min(state.vggSelected - rows + 1, layers.count - rows))
    let largestNorm = run.gradientNorms.values.max() ?? 1
    for (k, layer) in layers.enumerated().dropFirst(first).prefix(rows) {
      let row = 3 + k - first
      let selected = k == state.vggSelected
      if selected { screen.fill(row: row, from: 1, to: tableWidth, style: .title) }
      let style: Style = selected ? .title : .plain
      let output = layer.output.map(String.init).joined(separator: "×")
      var line = layer.name.padding(toLength: 10, withPad: " ", startingAt: 0)
      line += output.padding(toLength: 14, withPad: " ", startingAt: 0)
      line += (run.forwardSeconds[k].map { String(format: "%7.1f", $0 * 1000) } ?? "      —") + " "
      line += (run.backwardSeconds[k].map { String(format: "%7.1f", $0 * 1000) } ?? "      —") + "  "
      let done = (run.forwardSeconds[k] != nil ? 4 : 0) + (run.backwardSeconds[k] != nil ? 4 : 0)
      let current = run.running && run.layer == k
      let bar = String(repeating: "█", count: done) + String(repeating: current ? "▒" : "·", count: 8 - done)
      line += bar + "  "
      screen.put(line, row: row, column: 1, style: style, limit: tableWidth)
      if let norm = run.gradientNorms[k] {
        let length = largestNorm > 0 ? Int((norm / largestNorm * 8).rounded()) : 0
        screen.put(
          String(repeating: "█", count: max(1, length)), row: row, column: tableWidth - 9,
          style: selected ? .title : .positive)
      }
    }
    // The selected layer's pictures.
    let left = tableWidth + 2
    let width = screen.width - left - 1
    let layer = layers[min(state.vggSelected, layers.count - 1)]
    let half = (screen.height - 6) / 2
    if let output = run.outputs[state.vggSelected] {
      let channels = output.shape.count == 4 ? output.shape[1] : 1
      screen.put(
        "\(layer.postName) \(layer.name) output, channel \(state.vggChannel % channels + 1) of \(channels) (c/C)",
        row: 2, column: left, style: .heading, limit: screen.width - 1)
      Heatmap.draw(
        output, channel: state.vggChannel, on: &screen, top: 3, left: left, rows: half - 1, columns: width)
    } else {
      screen.put(
        "its feature map appears after a run (r or b)", row: 2, column: left, style: .dim,
        limit: screen.width - 1)
    }
    if let gradient = run.outputGradients[state.vggSelected] {
      screen.put(
        "∂J/∂ \(layer.name) output", row: 3 + half, column: left, style: .heading, limit: screen.width - 1)
      Heatmap.draw(
        gradient, channel: state.vggChannel, on: &screen, top: 4 + half, left: left, rows: half - 2,
        columns: width)
    }
    TourView.hints(
      "r forward · b forward+backward · Esc cancel · ↑↓ layer · c/C channel · t table · m menu · q quit",
      on: &screen)
  }
}
