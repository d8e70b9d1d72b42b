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
  private var finished = false

  init(
    steps: Int, learningRate: Double, state: VGGTrainState, inputs: TourInputs,
    algorithm: ConvolutionAlgorithm
  ) {
    self.state = state
    self.state.status = .preparing(
      inputs.source.weights.map { "reading the weights \(URL(fileURLWithPath: $0).lastPathComponent)…" }
        ?? "drawing seeded weights…")
    let thread = Thread { [self] in
      self.work(steps: steps, learningRate: learningRate, inputs: inputs, algorithm: algorithm)
    }
    thread.stackSize = 8 << 20
    thread.start()
  }

  func stop() { locked { stopRequested = true } }

  /// A copy of the training's state, and whether it has ended.
  func snapshot() -> (VGGTrainState, Bool) { locked { (state, finished) } }

  private func locked<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }

  private func work(steps: Int, learningRate: Double, inputs: TourInputs, algorithm: ConvolutionAlgorithm) {
    var parameters: VGG16Parameters
    do { parameters = try VGGJob.weights.take(inputs) } catch {
      locked {
        state.status = .failed("\(error)")
        finished = true
      }
      return
    }
    defer { VGGJob.weights.put(parameters) }
    var training = VGG16Training(learningRate: Float(learningRate), algorithm: algorithm)
    locked { if state.status != .stopping { state.status = .training } }
    var taken = 0
    var outcome: VGGTrainState.Status?
    do {
      while taken < steps, !locked({ stopRequested }) {
        let step = try training.step(
          &parameters, inputs.x, labels: inputs.labels,
          observer: { event in
            self.locked {
              self.state.layer = event.layer
              self.state.backwardPhase = event.phase == .backward
            }
          })
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
    } catch {
      outcome = .failed("\(error)")
    }
    locked {
      state.status =
        outcome ?? .done(taken == steps ? "\(taken) steps taken" : "stopped after \(taken) of \(steps) steps")
      finished = true
    }
  }
}
