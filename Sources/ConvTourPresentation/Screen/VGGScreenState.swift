import ConvTourEngine

/// The VGG-16 screen: the layer-shape table, the run view (t toggles them) and the explorer of a
/// finished run. Its keys change only this state; runs and leaving are returned as effects.
public struct VGGScreenState: Sendable {
  public var scroll = 0
  public var column = 0
  /// What the screen shows — one value, not a flag per view: the layer table (`t` toggles it
  /// with the run view it returns to), or the run view with the selected layer's maps, a grid of
  /// its channels (`g`), or training (`T`). An open explanation is the explorer's own state.
  public enum View: Sendable, Equatable {
    case table(then: RunView)
    case run(RunView)
  }
  public enum RunView: Sendable, Equatable { case maps, grid, training }
  public var view = View.table(then: .maps)
  public var run = VGGRunState()
  /// Training (T): its steps and losses; shown in the run view instead of the maps.
  public var training = VGGTrainState()
  /// Training on a dataset (the tour opened with `--data`): T trains on it instead.
  public var dataset: DatasetTrainState?
  /// The layer selected in the run view: 0 ..< `layerCount`.
  public var selected = 0
  public var channel = 0
  /// How the next run computes its convolutions (a switches between direct and Winograd).
  public var algorithm = ConvolutionAlgorithm.direct
  /// The cursor on a finished run's maps and the open explanation of an element.
  public var explorer = VGGExplorer()
  /// The 1000 ImageNet class names, for the top-5 of a run.
  public var classNames: [String] = []
  /// The weights, images and labels the tour was started with (seeded ones when empty).
  public var source = VGGRunRecord.Source()
  /// The line a key left for the student (cleared by the next key).
  public var message: String?
  /// The network the screen shows and runs: VGG-16 unless the tour was given `--network`.
  public var network: NetworkArchitecture
  /// The layers of the network, input excluded (the selection's bound).
  public var layerCount: Int { network.layers.count }

  public init(network: NetworkArchitecture? = nil) {
    // VGG-16 at 224×224 always builds; the fallback only satisfies the type.
    self.network = network ?? (try? NetworkArchitecture.vgg(depth: 16)) ?? Self.fallback
  }

  /// The run view the screen shows or returns to.
  var runView: RunView {
    switch view {
    case .table(let r), .run(let r): r
    }
  }

  /// Whether the run view is shown (else the table).
  public var showsRun: Bool {
    get { if case .run = view { true } else { false } }
    set { view = newValue ? .run(runView) : .table(then: runView) }
  }

  /// Whether the run view shows training (or would, back from the table).
  public var showsTraining: Bool {
    get { showsRun && runView == .training }
    set { setRunView(newValue ? .training : (runView == .training ? .maps : runView)) }
  }

  /// Whether the run view shows a grid of the selected layer's channels.
  public var grid: Bool {
    get { showsRun && runView == .grid }
    set { setRunView(newValue ? .grid : (runView == .grid ? .maps : runView)) }
  }

  mutating func setRunView(_ r: RunView) { view = showsRun ? .run(r) : .table(then: r) }

  static var fallback: NetworkArchitecture {
    try! NetworkArchitecture(
      name: "vgg16", input: [3, 224, 224],
      specs: [LayerSpec(.flatten), LayerSpec(.fullyConnected(outputs: 1000))],
      loss: .softmaxCrossEntropy)
  }

  /// Changes the state for a key; returns a run asked for or cancelled, quitting or leaving.
  @discardableResult
  public mutating func handle(_ key: Key) -> ScreenEffect? {
    if run.running, key == .escape { return .tour(.cancelVGGRun) }
    let data = handleDataset(key)
    if data.handled { return data.effect }
    let training = handleTraining(key)
    if training.handled { return training.effect }
    if handleExplore(key) { return nil }
    switch key {
    case .character("q"): return .tour(.quit)
    case .character("m"), .escape: return .show(.menu)
    case .character("t"): showsRun.toggle()
    case .character("r"), .character("b"):
      guard !run.running else { return nil }
      showsRun = true
      showsTraining = false
      explorer = VGGExplorer(layer: selected)
      run = VGGRunState()
      run.algorithm = algorithm
      return .tour(.startVGGRun(backward: key == .character("b")))
    case .character("g") where showsRun: grid.toggle()
    case .character("a") where !run.running:
      algorithm = algorithm == .direct ? .winograd : .direct
      message = "next run: \(algorithm.rawValue) — \(Self.cost(of: algorithm, on: network))"
    case .character("c"): channel += 1
    case .character("C"): channel = max(0, channel - 1)
    case .down, .character("j"):
      if showsRun { selected = max(0, min(selected + 1, layerCount - 1)) } else { scroll += 1 }
    case .up, .character("k"):
      if showsRun { selected = max(selected - 1, 0) } else { scroll = max(0, scroll - 1) }
    // Sideways keys scroll the table only where it is shown (the run view has no sideways).
    case .right, .character("l"): if !showsRun { column += 8 }
    case .left, .character("h"): if !showsRun { column = max(0, column - 8) }
    case .home: scroll = 0
    default: break
    }
    return nil
  }

  /// The run view's keys for stepping into a finished run's elements: `s` (or Enter) puts a
  /// cursor on the selected layer's map, where the student sees it, and says that `s` explains
  /// the element under it (softmax, drawn as its top-5 rather than a map, is explained at once);
  /// then the explorer has the keys (arrows move, s explains, Esc leaves). True when the key was
  /// one of these.
  mutating func handleExplore(_ key: Key) -> Bool {
    guard showsRun, let record = run.record, let shape = record.recorder.outputs[selected]?.shape
    else { return false }
    explorer.classNames = classNames
    if explorer.active {
      guard explorer.handle(key, record: record) else { return false }
      channel = explorer.channel
      return true
    }
    switch key {
    case .character("s"), .enter:
      explorer.layer = selected
      // Shape [1, channels, rows, columns]; the channel wraps like `c` in the picture.
      explorer.channel = shape.count == 4 ? ((channel % shape[1]) + shape[1]) % shape[1] : 0
      explorer.active = true
      explorer.clamp(to: shape)
      if network.layers[selected].kind == .softmax {
        explorer.scroll = 0
        explorer.explain(record)
        message = explorer.message
      } else {
        let at = explorer.index(in: shape).dropFirst().map { String($0 + 1) }.joined(separator: ", ")
        message = "the cursor is on [\(at)]: s explains it, arrows move it, Esc leaves"
      }
      return true
    default:
      return false
    }
  }

  /// What the next run's convolutions cost, for `a`'s message: direct's multiply-adds are those
  /// of this network's input (the engine's `cost` speaks of VGG-16 at 224×224).
  static func cost(of algorithm: ConvolutionAlgorithm, on network: NetworkArchitecture) -> String {
    guard algorithm == .direct else { return algorithm.cost }
    return "im2col + sgemm: exact as PyTorch's float32, all \(ShapeTable.grouped(network.multiplyAdds)) "
      + "multiply-adds of a \(network.input[1])×\(network.input[2]) image"
  }
}
