import ConvTourEngine

/// What a key asks of the terminal layer, beyond changing the state: the loop carries these out
/// (it polls no flags).
public enum TourEffect: Equatable, Sendable {
  case quit
  /// A VGG-16 run: forward, or forward and backward.
  case startVGGRun(backward: Bool)
  /// Esc during a run.
  case cancelVGGRun
  /// T: SGD steps on VGG-16's weights and the tour's input (`VGGTrainState` says how many, at
  /// which learning rate); any key during them: stop after the step under way.
  case startVGGTraining(steps: Int, learningRate: Double)
  case stopVGGTraining
  /// + − < > while T trains: the steps and η of the training under way, from its next step.
  case vggTrainingSettings(steps: Int, learningRate: Double)
  /// T on a dataset (`--data`): train with these settings, or go on after a pause.
  case trainOnDataset(DatasetTrainState.Settings)
  /// Any key while training on a dataset: pause after the batch under way.
  case pauseDatasetTraining
  /// A setting key while training on a dataset: from the next batch on.
  case datasetTrainingSettings(DatasetTrainState.Settings)
}

extension VGGRunState {
  /// One event of a running network: the layer under way, its time when finished, its output
  /// (forward) or ∂J/∂output (backward) for the pictures. The run's thread calls this under its
  /// lock; tests call it directly.
  public mutating func apply(_ event: VGG16Network.Event) {
    layer = event.layer
    backwardPhase = event.phase == .backward
    switch (event.phase, event.finished) {
    case (.forward, true):
      forwardSeconds[event.layer] = event.seconds
      if let t = event.tensor, t.shape.count == 4 { outputs[event.layer] = t }
    case (.backward, false):
      if let t = event.tensor, t.shape.count == 4 { outputGradients[event.layer] = t }
    case (.backward, true):
      backwardSeconds[event.layer] = event.seconds
    default: break
    }
  }

  /// A finished run: its loss, top-5, gradient norms and what the explorer reads.
  public mutating func finish(_ record: VGGRunRecord, backward: Bool) {
    loss = record.loss
    top = record.top
    gradientNorms = record.gradientNorms
    self.record = record
    status = .done(backward: backward)
  }
}
