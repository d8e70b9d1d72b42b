import ConvTourEngine
import ConvTourPresentation
import Foundation

/// Training on a dataset in the background for the network screen (T with `--data`): epochs of
/// seeded minibatches (`EpochTraining`'s order), one `VGG16Training` step each, on the weights the
/// runs use. After each batch its progress goes into a lock-protected copy of `DatasetTrainState`
/// that the screen's loop reads. `pause` stops it after the batch under way: the trained weights
/// go to the runs (`VGGJob.weights`), then the test set is evaluated batch by batch (the results
/// fill in as they come) and the thread waits for `resume` or `cancel`. At each epoch's end the
/// test set is evaluated too. `cancel` is checked between layers and between batches; `join`
/// waits for the thread to end (the tour leaves only then).
final class DatasetTrainJob: @unchecked Sendable {
  private let condition = NSCondition()
  private var state: DatasetTrainState
  private var settings: DatasetTrainState.Settings
  private var pauseRequested = false
  private var cancelled = false
  private var finished = false
  private let ended = DispatchSemaphore(value: 0)

  init(data: TourDataset, inputs: TourInputs, state: DatasetTrainState, algorithm: ConvolutionAlgorithm) {
    self.state = state
    self.settings = state.settings
    self.state.status = .preparing(
      inputs.source.weights.map { "reading the weights \(URL(fileURLWithPath: $0).lastPathComponent)…" }
        ?? "drawing seeded weights…")
    let thread = Thread { [self] in
      self.work(data: data, inputs: inputs, algorithm: algorithm)
      self.ended.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
  }

  func pause() {
    locked {
      pauseRequested = true
      if state.status == .training { state.status = .pausing }
    }
  }

  /// Goes on after a pause with these settings.
  func resume(_ settings: DatasetTrainState.Settings) {
    locked {
      self.settings = settings
      state.settings = settings
      pauseRequested = false
      if state.status == .paused { state.status = .training }
      condition.broadcast()
    }
  }

  /// New settings, from the next batch.
  func update(_ settings: DatasetTrainState.Settings) {
    locked {
      self.settings = settings
      state.settings = settings
    }
  }

  /// Ends the training at the next check (between layers or batches), for good.
  func cancel() {
    locked {
      cancelled = true
      condition.broadcast()
    }
  }

  /// Waits for the thread to end.
  func join() { ended.wait() }

  /// A copy of the training's state, and whether it has ended.
  func snapshot() -> (DatasetTrainState, Bool) { locked { (state, finished) } }

  private func locked<T>(_ body: () -> T) -> T {
    condition.lock()
    defer { condition.unlock() }
    return body()
  }

  private func work(data: TourDataset, inputs: TourInputs, algorithm: ConvolutionAlgorithm) {
    var parameters: NetworkParameters
    do { parameters = try VGGJob.weights.take(inputs, cancel: { self.locked { self.cancelled } }) } catch {
      finish(.failed("\(error)"))
      return
    }
    defer { VGGJob.weights.put(parameters) }
    let first = parameters.architecture.layers.first { $0.kind == .convolution && $0.weightName != nil }
    var training = VGG16Training(
      learningRate: Float(settings.learningRate), momentum: Float(settings.momentum),
      weightDecay: Float(data.weightDecay), algorithm: algorithm)
    let order = EpochTraining(steps: training, batchSize: 1, shuffle: data.shuffle, seed: 0)
    let isCancelled = { self.locked { self.cancelled } }
    do {
      var (epoch, done) = locked { (state.epoch, state.examplesDone) }
      // Picks up where the last training ended: in the middle of an epoch, or at the next one.
      if epoch == 0 || done >= data.train.count { (epoch, done) = (epoch + 1, 0) }
      // The last epoch of this training: `settings.epochs` from the first (< > change it meanwhile).
      let firstEpoch = epoch
      func lastEpoch() -> Int { firstEpoch - 1 + locked { settings.epochs } }
      locked { if state.status != .pausing { state.status = .training } }
      var current = true  // whether `results` are of the weights as they are
      while epoch <= lastEpoch() {
        let visit = order.order(count: data.train.count, epoch: epoch)
        while done < visit.count {
          if try pauseIfAsked(data, &parameters, first: first, current: &current, isCancelled) { return }
          let now = locked { settings }
          training.optimizer.learningRate = Float(now.learningRate)
          training.optimizer.momentum = Float(now.momentum)
          let batch = data.train.batch(visit[done..<min(visit.count, done + now.batchSize)])
          let step = try training.step(&parameters, batch.images, labels: batch.labels, cancel: isCancelled)
          guard step.updated else {
            throw Stopped(reason: step.notUpdated(step: locked { state.batches } + 1) + " — lower η (−)")
          }
          done += batch.labels.count
          current = false
          let right = zip(step.predictions, batch.labels).filter { $0 == $1 }.count
          let shown = (0..<min(8, batch.labels.count)).map { k in
            data.example(batch.images, k, label: batch.labels[k], predicted: step.predictions[k])
          }
          locked {
            state.epoch = epoch
            state.examplesDone = done
            state.losses.append(step.loss)
            state.accuracies.append(Double(right) / Double(batch.labels.count))
            state.batch = shown
          }
        }
        // The epoch's end: its test accuracy (and the results, on these weights).
        if data.test.count > 0 {
          if try evaluate(data, parameters, first: first, stopOnResume: false, isCancelled) { return }
          current = true
          locked {
            state.testAccuracies.append(Double(state.results.filter(\.right).count) / Double(data.test.count))
          }
        }
        if epoch < lastEpoch() { (epoch, done) = (epoch + 1, 0) } else { break }
      }
      VGGJob.weights.put(parameters)
      if !current, data.test.count > 0 {
        _ = try evaluate(data, parameters, first: first, stopOnResume: false, isCancelled)
      }
      finish(.done)
    } catch is FastNetwork.Cancelled {
      finish(.failed("cancelled"))
    } catch let stopped as Stopped {
      finish(.failed(stopped.reason))
    } catch {
      finish(.failed("\(error)"))
    }
  }

  struct Stopped: Error { var reason: String }

  private func finish(_ status: DatasetTrainState.Status) {
    locked {
      state.status = status
      finished = true
    }
  }

  /// When a pause was asked: the weights to the runs, the test set evaluated (unless already on
  /// these weights), then a wait for resume or cancel. True when cancelled.
  private func pauseIfAsked(
    _ data: TourDataset, _ parameters: inout NetworkParameters, first: NetworkArchitecture.Layer?,
    current: inout Bool, _ isCancelled: () -> Bool
  ) throws -> Bool {
    if isCancelled() { return true }
    guard locked({ pauseRequested }) else { return false }
    locked { state.status = .paused }
    VGGJob.weights.put(parameters)
    if !current {
      if try evaluate(data, parameters, first: first, stopOnResume: true, isCancelled) { return true }
      current = locked { state.evaluated == data.test.count }
    }
    return locked {
      while pauseRequested, !cancelled { condition.wait() }
      if !cancelled { state.status = .training }
      return cancelled
    }
  }

  /// Runs the test set forward in batches on `parameters`, the results (misclassified first)
  /// and the first layer's filters published after each batch. True when cancelled; stops early
  /// (false) when `stopOnResume` and training goes on.
  private func evaluate(
    _ data: TourDataset, _ parameters: NetworkParameters, first: NetworkArchitecture.Layer?,
    stopOnResume: Bool,
    _ isCancelled: () -> Bool
  ) throws -> Bool {
    let (epoch, done) = locked { (state.epoch, state.examplesDone) }
    locked {
      state.results = []
      state.evaluated = 0
      state.resultsWhen = "epoch \(epoch), \(done) of \(data.train.count) images"
      if let first { (state.filterLayer, state.filters) = (first.name, parameters.weight(first)) }
    }
    var results: [DatasetTrainState.Example] = []
    let size = 32
    var start = 0
    while start < data.test.count {
      if isCancelled() { return true }
      if stopOnResume, !locked({ pauseRequested }) { return false }
      let indices = Array(start..<min(data.test.count, start + size))
      let batch = data.test.batch(indices[...])
      let result = try FastNetwork(parameters: parameters, algorithm: .direct).run(
        batch.images, labels: nil, backward: false, cancel: isCancelled)
      let predictions = VGG16Training.predictions(result.logits)
      for (k, i) in indices.enumerated() {
        results.append(
          data.example(data.test.images, i, label: data.test.labels[i], predicted: predictions[k]))
      }
      start += size
      let ordered = DatasetTrainState.ordered(results)
      locked {
        state.results = ordered
        state.evaluated = results.count
      }
    }
    return false
  }
}
