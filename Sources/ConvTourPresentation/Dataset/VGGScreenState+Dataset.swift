/// The network screen's keys when the tour was opened on a dataset (`--data`): T trains on it
/// (shows the training panel first when another view shows), any key pauses after the batch
/// under way, +/− (η), ( / ) (μ), [ / ] (batch size) and < / > (epochs) change the settings —
/// before the first T, while paused, and during training (from the next batch, without
/// pausing) — and ↑↓ choose a test image once some are evaluated; r and b then run it.
extension VGGScreenState {
  /// Whether the key was one of these, and what it asks of the tour.
  mutating func handleDataset(_ key: Key) -> (handled: Bool, effect: ScreenEffect?) {
    guard var data = dataset else { return (false, nil) }
    defer { dataset = data }
    if data.running {
      if Self.changeSetting(key, &data.settings) {
        message = Self.describe(data.settings) + " from the next batch"
        return (true, .tour(.datasetTrainingSettings(data.settings)))
      }
      if key == .character("q") { return (true, .tour(.quit)) }
      guard data.status == .training else {
        message = "pausing after the batch under way…"
        return (true, nil)
      }
      data.status = .pausing
      return (true, .tour(.pauseDatasetTraining))
    }
    if Self.changeSetting(key, &data.settings) {
      message =
        Self.describe(data.settings) + (data.status == .paused ? " when T goes on" : " for the next T")
      return (true, nil)
    }
    let panel = showsRun && showsTraining
    switch key {
    case .character("T"):
      guard !run.running else {
        message = "a run is under way: Esc cancels it, then T trains"
        return (true, nil)
      }
      if !panel, data.status != .idle {
        showsRun = true
        showsTraining = true
        return (true, nil)
      }
      showsRun = true
      showsTraining = true
      // The last run's maps were of the weights before this training: they go.
      explorer = VGGExplorer(layer: selected)
      run = VGGRunState()
      data.status = data.status == .paused ? .training : .preparing("preparing the weights…")
      return (true, .tour(.trainOnDataset(data.settings)))
    case .down, .character("j"), .up, .character("k"), .pageDown, .pageUp, .home, .end:
      guard panel, !data.results.isEmpty else { return (false, nil) }
      let step: Int
      switch key {
      case .down, .character("j"): step = 1
      case .up, .character("k"): step = -1
      case .pageDown: step = 8
      case .pageUp: step = -8
      case .home: step = -data.results.count
      default: step = data.results.count
      }
      data.selected = max(0, min(data.results.count - 1, data.selected + step))
      return (true, nil)
    default:
      return (false, nil)
    }
  }

  /// Moves a setting along its ladder for +/−, ( / ), [ / ], < / >; false for any other key.
  static func changeSetting(_ key: Key, _ settings: inout DatasetTrainState.Settings) -> Bool {
    typealias S = DatasetTrainState.Settings
    switch key {
    case .character("+"), .character("="), .character("-"), .character("−"):
      let up = key == .character("+") || key == .character("=")
      settings.learningRate = VGGTrainState.moved(settings.learningRate, in: S.learningRates, by: up ? 1 : -1)
    case .character("("), .character(")"):
      settings.momentum = VGGTrainState.moved(
        settings.momentum, in: S.momenta, by: key == .character(")") ? 1 : -1)
    case .character("["), .character("]"):
      settings.batchSize = VGGTrainState.moved(
        settings.batchSize, in: S.batchSizes, by: key == .character("]") ? 1 : -1)
    case .character("<"), .character(">"):
      settings.epochs = VGGTrainState.moved(
        settings.epochs, in: S.epochCounts, by: key == .character(">") ? 1 : -1)
    default:
      return false
    }
    return true
  }

  /// "η = 0.03 · μ = 0.9 · batch 32 · 10 epochs".
  static func describe(_ s: DatasetTrainState.Settings) -> String {
    "η = \(NumberFormat.significant(s.learningRate))\(Chrome.separator)μ = \(NumberFormat.significant(s.momentum))\(Chrome.separator)"
      + "batch \(s.batchSize)\(Chrome.separator)\(s.epochs) epoch\(s.epochs == 1 ? "" : "s")"
  }
}
