import ConvTourEngine
import ConvTourPresentation
import Foundation

/// SGD steps on VGG-16 in the background for the tour's VGG-16 screen (T): each step is
/// `VGG16Training.step` (as in `vgg16 train`), on the tour's input and labels and the weights the
/// runs use, which it updates in place and hands back trained. Its progress goes into a
/// lock-protected copy of `VGGTrainState` that the screen's loop reads; `stop` ends it after the
/// step under way.
final class VGGTrainJob: @unchecked Sendable {
  private let lock = NSLock()
  private var state: VGGTrainState
  private var stopRequested = false
  private var cancelled = false
  private var finished = false
  private let ended = DispatchSemaphore(value: 0)
  /// The steps planned and η: the keys may change them while it trains.
  private var steps: Int
  private var learningRate: Double

  init(
    steps: Int, learningRate: Double, state: VGGTrainState, inputs: TourInputs,
    algorithm: ConvolutionAlgorithm
  ) {
    self.state = state
    (self.steps, self.learningRate) = (steps, learningRate)
    self.state.status = .preparing(
      inputs.source.weights.map { "reading the weights \(URL(fileURLWithPath: $0).lastPathComponent)…" }
        ?? "drawing seeded weights…")
    let thread = Thread { [self] in
      self.work(inputs: inputs, algorithm: algorithm)
      self.ended.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
  }

  func stop() {
    locked {
      stopRequested = true
      // Said at once, so that the screen's next copy keeps it (a q then quits).
      if state.running { state.status = .stopping }
    }
  }

  /// Ends the training at the next check, between layers: the step under way changes nothing.
  func cancel() {
    locked {
      stopRequested = true
      cancelled = true
    }
  }

  /// Waits for the thread to end.
  func join() { ended.wait() }

  /// + − < > during the training: the steps planned and η, from the next step.
  func update(steps: Int, learningRate: Double) {
    locked {
      (self.steps, self.learningRate) = (steps, learningRate)
      (state.steps, state.learningRate) = (steps, learningRate)
    }
  }

  /// A copy of the training's state, and whether it has ended.
  func snapshot() -> (VGGTrainState, Bool) { locked { (state, finished) } }

  private func locked<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }

  private func work(inputs: TourInputs, algorithm: ConvolutionAlgorithm) {
    var parameters: VGG16Parameters
    do { parameters = try VGGJob.weights.take(inputs, cancel: { self.locked { self.cancelled } }) } catch {
      locked {
        state.status = .failed("\(error)")
        finished = true
      }
      return
    }
    defer { VGGJob.weights.put(parameters) }
    var training = VGG16Training(learningRate: Float(locked { learningRate }), algorithm: algorithm)
    locked { if !stopRequested { state.status = .training } }
    var taken = 0
    var outcome: VGGTrainState.Status?
    do {
      while taken < locked({ steps }), !locked({ stopRequested }) {
        training.optimizer.learningRate = Float(locked { learningRate })
        let step = try training.step(
          &parameters, inputs.x, labels: inputs.labels,
          observer: { event in
            self.locked {
              self.state.layer = event.layer
              self.state.backwardPhase = event.phase == .backward
            }
          },
          cancel: { self.locked { self.cancelled } })
        guard step.updated else {
          outcome = .failed(step.notUpdated(step: taken + 1) + " — lower the learning rate (−)")
          break
        }
        taken += 1
        locked {
          state.losses.append(step.loss)
          state.gradientNorms.append(step.gradientNorm)
          state.seconds.append(step.seconds)
          state.totalSteps += 1
        }
      }
    } catch is FastNetwork.Cancelled {
      outcome = .failed("cancelled")
    } catch {
      outcome = .failed("\(error)")
    }
    locked {
      state.status =
        outcome ?? .done(taken >= steps ? "\(taken) steps taken" : "stopped after \(taken) of \(steps) steps")
      finished = true
    }
  }
}
