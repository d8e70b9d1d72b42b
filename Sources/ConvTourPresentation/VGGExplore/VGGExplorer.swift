import ConvTourEngine

/// Stepping into a finished VGG-16 run: a cursor on the selected layer's output (channel, row,
/// column, storage order, 0-based) and, on `s`, the element's explanation by the reference ops —
/// its terms, their running total, the ReLU, and after a backward pass where its δ came from.
public struct VGGExplorer: Sendable, Equatable {
  public var layer: Int
  public var channel = 0
  public var row = 0
  public var column = 0
  /// Arrow keys move the cursor (rather than choose the layer).
  public var active = false
  /// The open explanation, one string a line, and how far it is scrolled.
  public var lines: [String]? = nil
  public var scroll = 0
  public var order: ElementReport.Order? = nil
  /// The group (input channel, or filter of the layer above for δ) whose products are listed;
  /// in the weight view (`w`), the weight's input channel.
  public var expand: Int? = nil
  /// The open explanation is a weight's ∂J/∂W (`w`), not the element's: x/X then choose the
  /// weight's input channel, and its terms have one order (by size), so `o` is not offered.
  public var showsWeight = false
  /// What x/X choose in the weight view, in the report's index names: a convolution's input
  /// channel c of W[k, c, l, m], a fully connected layer's input unit j of W[i, j].
  public var weightInput = WeightInput.channel
  public enum WeightInput: Sendable, Equatable { case channel, unit }
  /// Why the last `s` explained nothing, for the status line.
  public var message: String? = nil
  /// The classes' names, shown beside an element of the last layers.
  public var classNames: [String] = []

  public init(layer: Int = 0) { self.layer = layer }

  /// The element under the cursor, 0-based, storage order, example 1: [0, c, i, j] or [0, j].
  public func index(in shape: [Int]) -> [Int] {
    shape.count == 4 ? [0, channel, row, column] : [0, column]
  }

  /// Keeps the cursor inside the layer's output of this shape ([1, C, H, W] or [1, n]).
  public mutating func clamp(to shape: [Int]) {
    if shape.count == 4 {
      channel = min(max(0, channel), shape[1] - 1)
      row = min(max(0, row), shape[2] - 1)
      column = min(max(0, column), shape[3] - 1)
    } else {
      (channel, row) = (0, 0)
      column = min(max(0, column), (shape.last ?? 1) - 1)
    }
  }

  /// The cursor's and the explanation's keys; false when `key` is not one of them (the screen
  /// handles it). Only while `active`.
  public mutating func handle(_ key: Key, record: VGGRunRecord?) -> Bool {
    guard active, let record, let shape = record.recorder.outputs[layer]?.shape else { return false }
    if lines != nil {
      switch key {
      case .down, .character("j"): scroll += 1
      case .up, .character("k"): scroll = max(0, scroll - 1)
      case .pageDown, .character(" "): scroll += 10
      case .pageUp: scroll = max(0, scroll - 10)
      case .home, .character("g"): scroll = 0
      case .end, .character("G"): scroll = lines?.count ?? 0  // the view stops at the last screenful
      case .character("o"):
        guard !showsWeight else { break }
        order = (order ?? .index) == .index ? .magnitude : .index
        explain(record)
      case .character("x"), .character("X"):
        let step = key == .character("x") ? 1 : -1
        // Nothing expanded: x expands channel 1; the weight view is already on channel 1.
        expand = max(0, (expand ?? (showsWeight ? 0 : -step)) + step)
        if showsWeight { explainWeight(record) } else { explain(record) }
      case .escape, .character("s"): lines = nil
      case .character("w"): explainWeight(record)
      // The cursor stays where the explanation is of; other keys of the screen (sideways
      // scrolling of the hidden table among them) do nothing while it is open.
      case .left, .right, .character("h"), .character("l"): break
      default: return false
      }
      return true
    }
    let vector = shape.count != 4
    switch key {
    case .left: column -= 1
    case .right: column += 1
    case .up: if vector { column -= 64 } else { row -= 1 }
    case .down: if vector { column += 64 } else { row += 1 }
    case .pageUp: if vector { column -= 512 } else { row -= 8 }
    case .pageDown: if vector { column += 512 } else { row += 8 }
    case .character("c"): channel += 1
    case .character("C"): channel -= 1
    case .character("s"), .enter:
      scroll = 0
      explain(record)
    case .escape: active = false
    case .character("w"): explainWeight(record)
    default: return false
    }
    clamp(to: shape)
    return true
  }

  /// `w`: ∂J/∂W of the layer's weight that joins the cursor's channel (or unit) to input channel
  /// `expand` (1 by default), at the filter's centre: the sum over positions of s·δz.
  public mutating func explainWeight(_ record: VGGRunRecord) {
    let layer = record.parameters.architecture.layers[layer]
    guard record.backward, let shape = layer.weightShape else {
      message = record.backward ? "\(layer.name) has no weights" : "∂J/∂W needs a backward run (b)"
      return
    }
    let input = min(expand ?? 0, shape[1] - 1)
    if expand != nil { expand = input }  // x past the last channel stays on it
    let index = shape.count == 4 ? [channel, input, shape[2] / 2, shape[3] / 2] : [column, input]
    do {
      // The fast path's Float32 ∂J/∂W beside the Double sum, as `explain --weight` prints it.
      let w = try VGG16Explain.weightGradient(
        record.parameters, layer: self.layer, input: record.x, recorder: record.recorder, at: index,
        fastValue: record.fastWeightGradient(layer: self.layer, at: index))
      var text = WeightReport(architecture: record.parameters.architecture, weight: w).render()
        .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if w.fastValue == nil {
        text.insert(
          "the fast path's ∂J/∂W is kept on screen for inputs 1…\(VGGRunRecord.keptInputs) only; "
            + "`explain \(layer.name) --weight` compares it", at: max(0, text.count - 1))
      }
      lines = text
      scroll = 0
      showsWeight = true
      weightInput = shape.count == 4 ? .channel : .unit
      message = nil
    } catch {
      message = "\(error)"
    }
  }

  /// Explains the element under the cursor (and its δ after a backward pass) into `lines`.
  public mutating func explain(_ record: VGGRunRecord) {
    let layers = record.parameters.architecture.layers
    guard let output = record.recorder.outputs[layer], let input = record.input(of: layer) else {
      message = "run the network first (r or b)"
      return
    }
    let at = index(in: output.shape)
    do {
      let forward = try VGG16Explain.forward(
        record.parameters, layer: layer, input: input, output: output, at: at)
      let delta =
        record.backward && layers[layer].kind != .softmax
        ? try VGG16Explain.backward(
          record.parameters, layer: layer, recorder: record.recorder, labels: record.labels, at: at) : nil
      let report = ElementReport(
        architecture: record.parameters.architecture, forward: forward, delta: delta, order: order,
        expand: expand, classNames: classNames)
      lines = report.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      showsWeight = false
      message = nil
    } catch {
      message = "\(error)"
    }
  }
}
