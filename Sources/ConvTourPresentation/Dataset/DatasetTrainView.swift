import ConvTourEngine
import Foundation

/// The network screen's training panel on a dataset, the full width under the title:
///
///   Training tiny-vgg on digits: 1437 training · 360 test images            (heading)
///   η = 0.01 (+/−) · μ = 0.9 ( ( ) ) · batch 32 ([ ]) · 10 epochs (< >)     (settings)
///   epoch 1 of 10 · 352 of 1437 images · loss … · batch accuracy …        (status)
///   loss per batch          │ this batch: predicted / true   (training)
///   (chart)                 │ (thumbnails)                    — or, paused or done —
///   accuracy per batch (%)  │ test images, misclassified first (thumbnails, ↑↓ choose)
///   (chart)                 │ conv_1_1's filters (pictures)
enum DatasetTrainView {
  /// The whole screen while the panel shows: title, weights, panel, message and keys.
  static func page(_ state: TourState, _ data: DatasetTrainState, on screen: inout Screen) {
    let network = state.vgg.network
    TourView.titleBar(
      "\(network.title)\(Chrome.separator)training on \(data.dataset) (T)", title(data), on: &screen)
    let weights = state.vgg.source.weights.map {
      "weights " + ($0.split(separator: "/").last.map(String.init) ?? $0)
    }
    screen.put(
      (weights ?? "seeded weights") + trained(data), row: 1, column: 1, style: .dim, limit: screen.width - 1)
    draw(
      data, network: network, on: &screen, top: 2, left: 1, rows: screen.height - 4, columns: screen.width - 2
    )
    if let message = state.message {
      screen.put(message, row: screen.height - 2, column: 1, style: .erratum, limit: screen.width - 1)
    }
    let hint =
      data.running
      ? "any key pauses after the batch under way\(Chrome.separator)+/− ( ) [ ] < > change the settings"
      : KeyTable.fit(KeyTable.hints(for: .datasetTraining), width: screen.width - 2)
    TourView.hints(hint, on: &screen)
  }

  /// " · trained 58 batches on digits (T)", or nothing before the first batch.
  static func trained(_ data: DatasetTrainState) -> String {
    data.batches == 0
      ? ""
      : "\(Chrome.separator)trained \(data.batches) batch\(data.batches == 1 ? "" : "es") on \(data.dataset) (T)"
  }

  /// The title bar's status.
  static func title(_ data: DatasetTrainState) -> String {
    switch data.status {
    case .idle: "T: train"
    case .preparing: "preparing…"
    case .training: "epoch \(data.epoch)\(Chrome.separator)any key pauses"
    case .pausing: "pausing…"
    case .paused: "paused\(Chrome.separator)T goes on"
    case .done: "done"
    case .failed: "training stopped"
    }
  }

  static func draw(
    _ data: DatasetTrainState, network: NetworkArchitecture, on screen: inout Screen, top: Int,
    left: Int, rows: Int, columns: Int
  ) {
    var row = top
    let end = top + rows
    // Each heading line wraps at words, whole at 80 columns (the status line is the longest).
    func line(_ text: String, _ style: Style) {
      for part in WordWrap.lines(text, width: columns, hanging: 1) {
        guard row < end else { return }
        screen.put(part, row: row, column: left, style: style, limit: left + columns)
        row += 1
      }
    }
    line(
      "Training \(network.name) on \(data.dataset): \(data.trainCount) training\(Chrome.separator)\(data.testCount) test images, "
        + "SGD with momentum", .heading)
    let s = data.settings
    line(
      "η = \(NumberFormat.significant(s.learningRate)) (+/−)\(Chrome.separator)μ = \(NumberFormat.significant(s.momentum)) "
        + "(( ))\(Chrome.separator)batch \(s.batchSize) ([ ])\(Chrome.separator)\(s.epochs) epoch\(s.epochs == 1 ? "" : "s") (< >)",
      .dim)
    line(statusLine(data), data.status.isFailure ? .erratum : .plain)
    row += 1
    let chartWidth = min(64, (columns - 2) / 2)
    let right = left + chartWidth + 2
    let rightWidth = left + columns - right
    charts(data, on: &screen, top: row, left: left, rows: end - row, columns: chartWidth)
    if data.status == .paused || data.status == .done || (data.status == .idle && !data.results.isEmpty) {
      let used = tests(data, on: &screen, top: row, left: right, rows: end - row, columns: rightWidth)
      filters(
        data, on: &screen, top: row + used + 1, left: right, rows: end - row - used - 1, columns: rightWidth)
    } else {
      batch(data, on: &screen, top: row, left: right, rows: end - row, columns: rightWidth)
    }
  }

  /// What the training is doing, one line.
  static func statusLine(_ data: DatasetTrainState) -> String {
    let accuracy =
      data.testAccuracies.last.map {
        "\(Chrome.separator)test accuracy " + percent($0) + " after epoch \(data.testAccuracies.count)"
      } ?? ""
    let last =
      data.losses.last.map {
        "\(Chrome.separator)loss \(NumberFormat.significant(($0 * 1e4).rounded() / 1e4))\(Chrome.separator)batch accuracy "
          + percent(data.accuracies.last ?? 0)
      } ?? ""
    let place = "epoch \(data.epoch)\(Chrome.separator)\(data.examplesDone) of \(data.trainCount) images"
    switch data.status {
    case .idle: return "T trains on the training images; any key pauses. r / b run a test image." + accuracy
    case .preparing(let what): return what
    case .training: return place + last + "\(Chrome.separator)any key pauses"
    case .pausing: return place + last + "\(Chrome.separator)pausing after this batch"
    case .paused:
      let wrong =
        data.results.isEmpty
        ? "" : "\(Chrome.separator)\(data.misclassified) of \(data.evaluated) test images wrong"
      return "paused: " + place + wrong + "\(Chrome.separator)T goes on" + accuracy
    case .done: return "done: \(data.batches) batches" + last + accuracy + "\(Chrome.separator)T trains more"
    case .failed(let why): return why
    }
  }

  static func percent(_ fraction: Double) -> String { String(format: "%.1f %%", 100 * fraction) }

  /// The loss and the batch accuracy per batch, one chart above the other.
  static func charts(
    _ data: DatasetTrainState, on screen: inout Screen, top: Int, left: Int, rows: Int, columns: Int
  ) {
    guard rows >= 10 else { return }
    let height = (rows - 2) / 2
    screen.put("loss per batch", row: top, column: left, style: .heading, limit: left + columns)
    screen.put(
      "accuracy per batch (%)", row: top + height + 1, column: left, style: .heading, limit: left + columns)
    guard !data.losses.isEmpty else {
      screen.put(
        "(the curves grow as T trains)", row: top + 1, column: left, style: .dim, limit: left + columns)
      return
    }
    LossPlot.draw(
      data.losses, label: "batch", into: &screen, row: top + 1, column: left, width: columns,
      height: height - 1)
    LossPlot.draw(
      data.accuracies.map { 100 * $0 }, label: "batch", into: &screen, row: top + height + 2, column: left,
      width: columns, height: height - 1)
  }

  /// The thumbnails of `examples` in a grid, each with "predicted / true" under it; the one at
  /// `highlight` in reverse. Returns the rows used.
  @discardableResult
  static func grid(
    _ examples: [DatasetTrainState.Example], _ data: DatasetTrainState, highlight: Int?,
    on screen: inout Screen,
    top: Int, left: Int, rows: Int, columns: Int
  ) -> Int {
    let (cellWidth, pictureRows) = (8, 4)
    let perRow = max(1, (columns + 1) / (cellWidth + 1))
    let lines = min((examples.count + perRow - 1) / perRow, rows / (pictureRows + 1))
    for k in 0..<min(examples.count, lines * perRow) {
      let example = examples[k]
      let (r, c) = (top + (k / perRow) * (pictureRows + 1), left + (k % perRow) * (cellWidth + 1))
      VGGExplorerView.rgb(
        example.picture, size: example.side, on: &screen, top: r, left: c, rows: pictureRows,
        columns: cellWidth)
      let caption = "\(data.caption(example.predicted))/\(data.caption(example.label))"
      let style: Style = k == highlight ? .title : example.right ? .positive : .erratum
      screen.put(
        (example.right ? " " : "✗") + caption, row: r + pictureRows, column: c, style: style,
        limit: c + cellWidth)
    }
    return lines * (pictureRows + 1)
  }

  static func batch(
    _ data: DatasetTrainState, on screen: inout Screen, top: Int, left: Int, rows: Int, columns: Int
  ) {
    guard rows >= 6, columns >= 8 else { return }
    screen.put("this batch: predicted / true", row: top, column: left, style: .heading, limit: left + columns)
    if data.batch.isEmpty {
      screen.put(
        "(the batch's images appear here)", row: top + 1, column: left, style: .dim, limit: left + columns)
    }
    grid(
      data.batch, data, highlight: nil, on: &screen, top: top + 1, left: left, rows: rows - 1,
      columns: columns)
  }

  /// The test images evaluated, misclassified first, from the page holding the selected one, and
  /// a line on the selected one. Returns the rows used.
  static func tests(
    _ data: DatasetTrainState, on screen: inout Screen, top: Int, left: Int, rows: Int, columns: Int
  )
    -> Int
  {
    guard rows >= 7, columns >= 8 else { return 0 }
    let evaluating = data.evaluated < data.testCount ? " (\(data.evaluated) of \(data.testCount))" : ""
    // The long heading where it fits, else a short one (80 columns leave the panel 39).
    let heading =
      ["test: misclassified first, predicted / true", "wrong first; predicted/true"].map { $0 + evaluating }
      .first { $0.count <= columns } ?? "wrong first; predicted/true"
    screen.put(heading, row: top, column: left, style: .heading, limit: left + columns)
    guard !data.results.isEmpty else {
      screen.put(
        data.testCount == 0 ? "(this dataset has no test images)" : "evaluating the test images…",
        row: top + 1, column: left, style: .dim, limit: left + columns)
      return 2
    }
    let perRow = max(1, (columns + 1) / 9)
    let gridRows = max(1, min(2, (rows - 6) / 5))
    let page = perRow * gridRows
    let first = (data.selected / page) * page
    let used = grid(
      Array(data.results[first..<min(data.results.count, first + page)]), data,
      highlight: data.selected - first,
      on: &screen, top: top + 1, left: left, rows: gridRows * 5, columns: columns)
    var below = 0
    if let e = data.selectedExample {
      let text =
        "test image \(e.index + 1): predicted \(data.name(e.predicted)), true \(data.name(e.label))\(Chrome.separator)"
        + "↑↓ choose\(Chrome.separator)r / b run it"
      for piece in screen.wrapped(text, width: columns, hanging: 2).prefix(2) {
        screen.put(
          piece, row: top + 1 + used + below, column: left, style: e.right ? .plain : .erratum,
          limit: left + columns)
        below += 1
      }
    }
    return used + 1 + below
  }

  /// The first convolution's filters as pictures: colour (its three input channels as RGB, 128
  /// for 0, every filter on the layer's largest |w|, so their strengths compare) when it reads
  /// three channels, else the mean over its channels on a diverging scale (white 0).
  static func filters(
    _ data: DatasetTrainState, on screen: inout Screen, top: Int, left: Int, rows: Int, columns: Int
  ) {
    guard let w = data.filters, w.shape.count == 4, rows >= 3 else { return }
    let (k, c, h, width) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    screen.put(
      "\(data.filterLayer)'s \(k) filters (\(c)×\(h)×\(width))", row: top, column: left, style: .heading,
      limit: left + columns)
    let side = min(6, rows - 1)
    let cell = side + 1
    let fit = max(1, columns / (cell + 1))
    let largest = max(w.values.map(abs).max() ?? 1, .leastNonzeroMagnitude)
    for f in 0..<min(k, fit) {
      let column = left + f * (cell + 1)
      let base = f * c * h * width
      if c == 3 {
        // Each weight mapped to 0…255 around 128 on the layer's own scale, enlarged by pixels.
        let scale = max(1, (2 * side) / max(h, width))
        let n = max(h, width) * scale
        var pixels = [UInt8](repeating: 128, count: n * n * 3)
        for y in 0..<(h * scale) {
          for x in 0..<(width * scale) {
            for ch in 0..<3 {
              let v = w.values[base + (ch * h + y / scale) * width + x / scale]
              pixels[(y * n + x) * 3 + ch] = UInt8(max(0, min(255, 128 + 127 * v / largest)))
            }
          }
        }
        VGGExplorerView.rgb(
          pixels, size: n, on: &screen, top: top + 1, left: column, rows: side, columns: cell)
      } else {
        var mean = [Float](repeating: 0, count: h * width)
        for ch in 0..<c {
          for p in 0..<(h * width) { mean[p] += w.values[base + ch * h * width + p] / Float(c) }
        }
        MapDrawing.draw(
          MapPicture(height: h, width: width, values: mean),
          .diverging, on: &screen, top: top + 1, left: column, rows: side, columns: cell)
      }
    }
  }
}

extension DatasetTrainState.Status {
  var isFailure: Bool {
    if case .failed = self { true } else { false }
  }
}
