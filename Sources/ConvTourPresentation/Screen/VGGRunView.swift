import ConvTourEngine
import ConvTourLessons
import Foundation

/// The VGG-16 run: a row per layer with its progress, times and ‖∂J/∂W‖; beside it the selected
/// layer's feature map and (after a backward pass) its gradient, on colour scales with legends;
/// after a run a cursor on them (s) and the element's explanation; for softmax the top-5 classes,
/// the loss, and the input beside its saliency map.
enum VGGRunView {
  static func draw(_ state: TourState, on screen: inout Screen) {
    if let data = state.vgg.dataset, state.vgg.showsTraining {
      DatasetTrainView.page(state, data, on: &screen)
      return
    }
    let architecture = state.vgg.network
    let run = state.vgg.run
    // The algorithm that computed what is shown; after `a`, the next run's beside it.
    let next = state.vgg.algorithm.rawValue
    let algorithm =
      run.algorithm.map {
        $0 == state.vgg.algorithm ? "\(next) (a)" : "\($0.rawValue)\(Chrome.separator)next run \(next) (a)"
      }
      ?? "\(next) (a)"
    TourView.titleBar(
      "\(architecture.title)\(Chrome.separator)\(algorithm)",
      state.vgg.showsTraining ? VGGTrainView.status(state.vgg.training) : status(run), on: &screen)
    // What it runs on, under the title (a narrow terminal would cut it there).
    let trained = state.vgg.training.totalSteps
    screen.put(
      state.vgg.source.description
        + (trained > 0 ? "\(Chrome.separator)trained \(trained) SGD step\(trained == 1 ? "" : "s") (T)" : "")
        + (state.vgg.dataset.map { DatasetTrainView.trained($0) } ?? ""),
      row: 1, column: 1, style: .dim, limit: screen.width - 1)
    let explorer = state.vgg.explorer
    if let record = run.record, explorer.lines != nil {
      // The explanation, and beside it (when there is room) the map it reads with its window.
      let pictureWidth = screen.width >= 120 ? min(40, screen.width - 100) : 0
      let textWidth = screen.width - 2 - (pictureWidth > 0 ? pictureWidth + 2 : 0)
      VGGExplorerView.explanation(
        explorer, on: &screen, top: 2, left: 1, rows: screen.height - 3, columns: textWidth)
      if pictureWidth > 0 {
        VGGWindowView.draw(
          explorer, record, on: &screen, top: 2, left: textWidth + 3, rows: min(24, screen.height - 4),
          columns: pictureWidth)
      }
      if let message = state.message { screen.put(message, row: 1, column: 1, style: .erratum) }
      return
    }
    // Below 120 columns the table leaves out the times, so the pictures keep some width.
    let compact = screen.width < 120
    let tableWidth = compact ? 47 : 67
    table(state, architecture, on: &screen, width: tableWidth, times: !compact)
    let left = tableWidth + 2
    let width = screen.width - left - 1
    let rows = screen.height - 3
    if state.vgg.showsTraining {
      VGGTrainView.draw(state, on: &screen, top: 2, left: left, rows: rows, columns: width)
    } else if let record = run.record {
      if architecture.layers[state.vgg.selected].kind == .softmax {
        VGGExplorerView.summary(
          record, classNames: state.vgg.classNames, on: &screen, top: 2, left: left, rows: rows,
          columns: width)
      } else if state.vgg.grid, !explorer.active, let output = record.recorder.outputs[state.vgg.selected],
        output.shape.count == 4
      {
        let channels = output.shape[1]
        VGGChannelGrid.draw(
          output, name: architecture.layers[state.vgg.selected].name,
          selected: ((state.vgg.channel % channels) + channels) % channels, gradient: false,
          on: &screen,
          top: 2, left: left, rows: rows - 1, columns: width)
      } else {
        var shown = explorer
        if !shown.active {
          // c/C count on past the last channel; the view wraps around.
          let channels =
            record.recorder.outputs[state.vgg.selected].map { $0.shape.count == 4 ? $0.shape[1] : 1 } ?? 1
          (shown.layer, shown.channel) = (
            state.vgg.selected, ((state.vgg.channel % channels) + channels) % channels
          )
        }
        let half = record.backward ? rows / 2 : rows
        let used = VGGExplorerView.map(
          shown, record, gradient: false, on: &screen, top: 2, left: left, rows: half, columns: width)
        if record.backward {
          VGGExplorerView.map(
            shown, record, gradient: true, on: &screen, top: 2 + max(used, half), left: left,
            rows: rows - max(used, half), columns: width)
        }
      }
    } else if let output = run.outputs[state.vgg.selected] {
      let layer = architecture.layers[state.vgg.selected]
      let channels = output.shape.count == 4 ? output.shape[1] : 1
      screen.put(
        "\(layer.postName) \(layer.name) output, channel \(state.vgg.channel % channels + 1) of \(channels)",
        row: 2, column: left, style: .heading, limit: screen.width - 1)
      let map = MapPicture(output.values, shape: output.shape, channel: state.vgg.channel % channels)
      MapDrawing.draw(map, .sequential, on: &screen, top: 3, left: left, rows: rows - 2, columns: width)
    } else {
      var lines = ["The feature maps appear as the network runs: r runs it forward, b forward and backward."]
      if state.vgg.source.seeded {
        lines.append(
          "It runs on " + (state.vgg.source.images.isEmpty ? "a seeded input" : "your image")
            + (state.vgg.source.weights == nil ? " with seeded weights" : "")
            + ". Give your own: convtour --image PHOTO.jpg --weights vgg16.safetensors --labels K "
            + "(README: torchvision's weights in one line of Python).")
      }
      var row = 2
      for line in lines {
        for piece in screen.wrapped(line, width: width) {
          screen.put(piece, row: row, column: left, style: .dim, limit: screen.width - 1)
          row += 1
        }
        row += 1
      }
    }
    if let message = state.message ?? explorer.message { TourView.message(message, on: &screen) }
    // The keys of what is shown, from the key table, as many as fit; ? lists them all.
    let keys: KeyTable.Screen =
      explorer.active ? .vggCursor : state.vgg.showsTraining ? .vggTraining : .vggRun
    let hint =
      state.vgg.training.running
      ? "any key stops the training after the step under way"
      : KeyTable.fit(KeyTable.hints(for: keys), width: screen.width - 2)
    TourView.hints(hint, on: &screen)
  }

  static func status(_ run: VGGRunState) -> String {
    switch run.status {
    case .idle: return "r: run forward\(Chrome.separator)b: forward and backward"
    case .preparing(let what): return what
    case .running(let backward):
      return (backward ? "forward + backward" : "forward")
        + String(format: " %.1f s\(Chrome.separator)Esc cancels", run.elapsed)
    case .done(let backward):
      return (backward ? "forward + backward" : "forward") + " done"
        + (run.loss.map { "\(Chrome.separator)loss J = " + NumberFormat.significant(Double($0)) } ?? "")
    case .cancelled: return "cancelled"
    case .failed(let why): return "failed: \(why)"
    }
  }

  /// One row per layer: name, output shape, times, progress, and ‖∂J/∂W‖ as a bar with its number.
  static func table(
    _ state: TourState, _ architecture: VGG16Architecture, on screen: inout Screen, width: Int, times: Bool
  ) {
    let run = state.vgg.run
    let layers = architecture.layers
    // The name column fits the longest name and a space (tiny-vgg's "max_pool_1" ran into its shape).
    let nameWidth = max(10, (layers.map(\.name.count).max() ?? 0) + 1)
    let shift = nameWidth - 10
    screen.put(
      "layer".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        + (times ? "output         fwd ms  bwd ms  progress  ‖∂J/∂W‖₂" : "output      progress  ‖∂J/∂W‖₂"),
      row: 2, column: 1, style: .heading)
    let rows = screen.height - 5
    let first = max(0, min(state.vgg.selected - rows + 1, layers.count - rows))
    let largestNorm = run.gradientNorms.values.max() ?? 1
    for (k, layer) in layers.enumerated().dropFirst(first).prefix(rows) {
      let row = 3 + k - first
      let selected = k == state.vgg.selected
      if selected { screen.fill(row: row, from: 1, to: width, style: .title) }
      let style: Style = selected ? .title : .plain
      let output = layer.output.map(String.init).joined(separator: "×")
      var line = layer.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
      line += output.padding(toLength: times ? 14 : 12, withPad: " ", startingAt: 0)
      if times {
        line += (run.forwardSeconds[k].map { String(format: "%7.1f", $0 * 1000) } ?? "      —") + " "
        line += (run.backwardSeconds[k].map { String(format: "%7.1f", $0 * 1000) } ?? "      —") + "  "
      }
      // A softmax fused with its loss has no backward of its own: done with the layer below's.
      let backwardDone =
        run.backwardSeconds[k] != nil
        || (layer.kind == .softmax && k > 0 && run.backwardSeconds[k - 1] != nil)
      let done = (run.forwardSeconds[k] != nil ? 4 : 0) + (backwardDone ? 4 : 0)
      let current = run.running && run.layer == k
      // A slot to come is a dot: "." in ASCII, where "·" would spell as a product's "*".
      let toCome: Character = current ? "▒" : screen.capabilities.unicode ? "·" : "."
      line += String(repeating: "█", count: done) + String(repeating: toCome, count: 8 - done)
      screen.put(line, row: row, column: 1, style: style, limit: width)
      if let norm = run.gradientNorms[k] {
        let length = largestNorm > 0 ? Int((norm / largestNorm * 4).rounded()) : 0
        let bar =
          String(repeating: "█", count: max(1, length)) + String(repeating: " ", count: 4 - max(1, length))
        // Three significant digits: at most 9 characters ("1.23e-05"), never cut.
        screen.put(
          bar + " " + MapDrawing.short(norm), row: row, column: (times ? 53 : 33) + shift,
          style: selected ? .title : .positive, limit: width)
      }
    }
  }
}
