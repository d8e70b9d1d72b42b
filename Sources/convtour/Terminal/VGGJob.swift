import ConvTourEngine
import ConvTourPresentation
import Foundation

/// A VGG-16 run in the background for the tour's VGG-16 screen: the network runs on its own
/// thread and reports each layer into a lock-protected copy of `VGGRunState`, which the screen's
/// loop reads every few milliseconds; Esc sets a flag the network checks between layers.
final class VGGJob: @unchecked Sendable {
  private let lock = NSLock()
  private var state = VGGRunState()
  private var cancelled = false
  private var finished = false
  private let start = DispatchTime.now()

  /// Seeded weights, made once and kept for later runs.
  private static let weights = Cache()

  final class Cache: @unchecked Sendable {
    private let lock = NSLock()
    private var parameters: VGG16Parameters?
    func get() -> VGG16Parameters {
      lock.lock()
      defer { lock.unlock() }
      if let parameters { return parameters }
      let made = VGG16Parameters.random((try? VGG16Architecture())!, seed: 0)
      parameters = made
      return made
    }
  }

  init(backward: Bool) {
    state.status = .running(backward: backward)
    let thread = Thread { [self] in self.work(backward: backward) }
    thread.stackSize = 8 << 20
    thread.start()
  }

  func cancel() { locked { cancelled = true } }

  /// A copy of the run's state, and whether the run has ended.
  func snapshot() -> (VGGRunState, Bool) {
    locked {
      state.elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      return (state, finished)
    }
  }

  private func locked<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }

  private func work(backward: Bool) {
    let parameters = Self.weights.get()
    var generator = SeededRandom(seed: 1)
    let x = Tensor32(Tensor.random([1, 3, 224, 224], using: &generator))
    do {
      let result = try VGG16Network(parameters: parameters).run(
        x, labels: [0], backward: backward,
        observer: { event in
          self.locked {
            self.state.layer = event.layer
            self.state.backwardPhase = event.phase == .backward
            switch (event.phase, event.finished) {
            case (.forward, true):
              self.state.forwardSeconds[event.layer] = event.seconds
              if let t = event.tensor, t.shape.count == 4 { self.state.outputs[event.layer] = t }
            case (.backward, false):
              if let t = event.tensor, t.shape.count == 4 { self.state.outputGradients[event.layer] = t }
            case (.backward, true):
              self.state.backwardSeconds[event.layer] = event.seconds
            default: break
            }
          }
        },
        cancel: { self.locked { self.cancelled } })
      locked {
        state.loss = result.loss
        let probabilities = result.probabilities.values
        state.top = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(5).map {
          (index: $0, probability: probabilities[$0])
        }
        for (k, layer) in parameters.architecture.layers.enumerated() {
          guard let prefix = layer.parameterPrefix, let g = result.gradients["\(prefix).weight"] else {
            continue
          }
          state.gradientNorms[k] = g.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        }
        state.status = .done(backward: backward)
        finished = true
      }
    } catch is VGG16Network.Cancelled {
      locked {
        state.status = .cancelled
        finished = true
      }
    } catch {
      locked {
        state.status = .failed("\(error)")
        finished = true
      }
    }
  }
}
