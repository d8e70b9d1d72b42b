/// The VGG-16 screen's training keys: T takes `training.steps` SGD steps at `training.learningRate`
/// in the background (any key stops after the step under way), + / − change the learning rate and
/// < / > the number of steps — before the first T too, and during one (from its next step, without
/// stopping it).
extension VGGScreenState {
  /// Whether the key was a training key (or came while training), and what it asks of the tour.
  mutating func handleTraining(_ key: Key) -> (handled: Bool, effect: ScreenEffect?) {
    if training.running {
      if changeTrainingSetting(key) {
        message =
          "η = \(NumberFormat.significant(training.learningRate))\(Chrome.separator)\(training.steps) steps from the next step"
        return (true, .tour(.vggTrainingSettings(steps: training.steps, learningRate: training.learningRate)))
      }
      // Any key stops the training after the step under way, and does nothing else; q while
      // it stops quits.
      if training.status == .stopping {
        if key == .character("q") { return (true, .tour(.quit)) }
        message = "stopping after the step under way…"
        return (true, nil)
      }
      training.status = .stopping
      return (true, .tour(.stopVGGTraining))
    }
    switch key {
    case .character("T"):
      guard !run.running else {
        message = "a run is under way: Esc cancels it, then T trains"
        return (true, nil)
      }
      showsRun = true
      showsTraining = true
      explorer = VGGExplorer(layer: selected)
      // The last run's maps were of the weights before training: they go.
      run = VGGRunState()
      training.losses = []
      training.gradientNorms = []
      training.seconds = []
      training.status = .preparing("preparing the weights…")
      return (true, .tour(.startVGGTraining(steps: training.steps, learningRate: training.learningRate)))
    case .character("+"), .character("="), .character("-"), .character("<"), .character(">"):
      changeTrainingSetting(key)
      if !(showsRun && showsTraining) {
        message =
          "next training: η = \(NumberFormat.significant(training.learningRate))\(Chrome.separator)\(training.steps) "
          + "step\(training.steps == 1 ? "" : "s") (T trains)"
      }
      return (true, nil)
    default:
      return (false, nil)
    }
  }

  /// + / − move η and < / > the steps along their ladders; false for any other key.
  @discardableResult
  mutating func changeTrainingSetting(_ key: Key) -> Bool {
    switch key {
    case .character("+"), .character("="):
      training.learningRate = VGGTrainState.moved(
        training.learningRate, in: VGGTrainState.learningRates, by: 1)
    case .character("-"):
      training.learningRate = VGGTrainState.moved(
        training.learningRate, in: VGGTrainState.learningRates, by: -1)
    case .character(">"):
      training.steps = VGGTrainState.moved(training.steps, in: VGGTrainState.stepCounts, by: 1)
    case .character("<"):
      training.steps = VGGTrainState.moved(training.steps, in: VGGTrainState.stepCounts, by: -1)
    default:
      return false
    }
    return true
  }
}
