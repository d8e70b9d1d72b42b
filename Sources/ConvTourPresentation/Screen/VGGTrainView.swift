import ConvTourEngine
import Foundation

/// The training panel of the VGG-16 run view (T): the learning rate and steps, the step under
/// way, each step's loss as a chart (LossPlot, x axis to the steps planned), and the last steps'
/// loss, gradient norm and time.
enum VGGTrainView {
  static func draw(_ state: TourState, on screen: inout Screen, top: Int, left: Int, rows: Int, columns: Int)
  {
    let training = state.vgg.training
    var row = top
    // A number and its unit are joined by a no-break space, so a narrow panel never wraps
    // between them; it is drawn as a space.
    func line(_ text: String, _ style: Style = .plain) {
      guard row < top + rows else { return }
      // Spelled (in ASCII) around the no-break spaces, then wrapped.
      let unicode = screen.capabilities.unicode
      let spelled = text.components(separatedBy: Self.noBreak).map { unicode ? $0 : AsciiSpelling.text($0) }
        .joined(separator: Self.noBreak)
      for piece in WordWrap.lines(spelled, width: columns, hanging: 2) where row < top + rows {
        let piece = piece.replacingOccurrences(of: Self.noBreak, with: " ")
        screen.put(piece, row: row, column: left, style: style, limit: left + columns)
        row += 1
      }
    }
    let examples = state.vgg.source.images.isEmpty ? 1 : state.vgg.source.images.count
    line("Training: SGD on \(examples) example\(examples == 1 ? "" : "s"), W ← W − η·∂J/∂W", .heading)
    line(
      "η = \(NumberFormat.significant(training.learningRate)) (+/−)\(Chrome.separator)\(training.steps)\(Self.noBreak)"
        + "step\(training.steps == 1 ? "" : "s") (</>)\(Chrome.separator)"
        + (training.running ? "any key stops after this step" : "T trains"), .dim)
    let done = training.losses.count
    switch training.status {
    case .idle:
      line(
        "T takes \(training.steps) steps on the input and labels above; the runs (r, b) then use the trained weights."
      )
    case .preparing(let what): line(what)
    case .training, .stopping:
      let layer =
        state.vgg.network.layers[min(training.layer, state.vgg.network.layers.count - 1)].name
      line(
        "step \(done + 1) of \(training.steps): \(layer) \(training.backwardPhase ? "backward" : "forward")"
          + (training.status == .stopping ? "\(Chrome.separator)stopping after this step" : ""), .heading)
    case .done(let what): line(what + "\(Chrome.separator)r or b runs the trained weights", .heading)
    case .failed(let why): line(why, .erratum)
    }
    if let loss = training.losses.last {
      line(
        "step \(done): loss J = \(NumberFormat.significant(loss))\(Chrome.separator)‖∂J/∂θ‖ = "
          + "\(NumberFormat.significant(training.gradientNorms[done - 1]))\(Chrome.separator)"
          + String(format: "%.2f", training.seconds[done - 1]) + Self.noBreak + "s/step")
    }
    row += 1
    // The chart: needs two losses to draw a line, and room for axes.
    let chartRows = min(12, top + rows - row - 1)
    if done >= 1, chartRows >= 4 {
      screen.put("loss per step", row: row, column: left, style: .heading)
      LossPlot.draw(
        training.losses, label: "step", into: &screen, row: row + 1, column: left, width: min(64, columns),
        height: chartRows, axisEnd: training.steps)
      row += chartRows + 2
    }
    // The last steps, newest last.
    let listed = max(0, min(done, top + rows - row - 1))
    if listed > 0 {
      // Table rows keep their spacing (not word-wrapped).
      func tableRow(_ text: String, _ style: Style = .plain) {
        guard row < top + rows else { return }
        screen.put(text, row: row, column: left, style: style, limit: left + columns)
        row += 1
      }
      tableRow("step  loss J        ‖∂J/∂θ‖      seconds", .dim)
      for k in (done - listed + 1)...done where row < top + rows {
        tableRow(
          String(format: "%4d  ", k)
            + NumberFormat.significant(training.losses[k - 1]).padding(
              toLength: 12, withPad: " ", startingAt: 0) + "  "
            + NumberFormat.significant(training.gradientNorms[k - 1]).padding(
              toLength: 11, withPad: " ", startingAt: 0) + String(format: "  %6.2f", training.seconds[k - 1]))
      }
    }
  }

  static let noBreak = "\u{00A0}"

  /// The title bar's status while training shows.
  static func status(_ training: VGGTrainState) -> String {
    switch training.status {
    case .idle: return "T: train"
    case .preparing(let what): return what
    case .training:
      return "training step \(training.losses.count + 1) of \(training.steps)\(Chrome.separator)any key stops"
    case .stopping: return "stopping after step \(training.losses.count + 1)"
    case .done(let what): return what
    case .failed: return "training stopped"
    }
  }
}
