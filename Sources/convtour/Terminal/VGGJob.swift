import ConvTourEngine
import ConvTourPresentation
import Foundation

/// A VGG-16 run in the background for the tour's VGG-16 screen: the network runs on its own
/// thread and reports each layer into a lock-protected copy of `VGGRunState` (`apply`, in the
/// presentation layer), which the screen's loop reads every few milliseconds; cancelling sets a
/// flag the network checks between layers.
final class VGGJob: @unchecked Sendable {
  private let lock = NSLock()
  private var state = VGGRunState()
  private var cancelled = false
  private var finished = false
  private let start = DispatchTime.now()
  private let ended = DispatchSemaphore(value: 0)

  /// The weights (seeded, or read from the file given), made once and kept for later runs.
  static let weights = Cache()

  final class Cache: @unchecked Sendable {
    private let lock = NSLock()
    private var parameters: VGG16Parameters?
    /// The weights; drawing seeded ones stops (throwing `Cancelled`) once `cancel` says so.
    func get(_ inputs: TourInputs, cancel: () -> Bool = { false }) throws -> VGG16Parameters {
      lock.lock()
      defer { lock.unlock() }
      if let parameters { return parameters }
      let architecture = inputs.network
      // Standard error is under the screen here: the notes (a conversion, timm's names) are
      // not shown; the file was read and checked all the same.
      let read = try inputs.source.weights.map {
        try WeightsFile.read($0, architecture: architecture, note: { _ in })
      }
      guard let made = read ?? NetworkParameters.random(architecture, seed: 0, cancel: cancel) else {
        throw FastNetwork.Cancelled()
      }
      parameters = made
      return made
    }

    /// The weights, taken out of the cache so that training updates them in place (no copy of
    /// their 553 MB); `put` puts them (trained) back.
    func take(_ inputs: TourInputs, cancel: () -> Bool = { false }) throws -> VGG16Parameters {
      let made = try get(inputs, cancel: cancel)
      lock.lock()
      defer { lock.unlock() }
      parameters = nil
      return made
    }

    func put(_ trained: VGG16Parameters) {
      lock.lock()
      defer { lock.unlock() }
      parameters = trained
    }
  }

  let inputs: TourInputs

  let algorithm: ConvolutionAlgorithm

  init(backward: Bool, inputs: TourInputs, algorithm: ConvolutionAlgorithm) {
    self.inputs = inputs
    self.algorithm = algorithm
    state.status = .preparing(
      inputs.source.weights.map { "reading the weights \(URL(fileURLWithPath: $0).lastPathComponent)…" }
        ?? "drawing seeded weights…")
    let thread = Thread { [self] in
      self.work(backward: backward)
      self.ended.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
  }

  func cancel() { locked { cancelled = true } }

  /// Waits for the run's thread to end (after `cancel`, at the next layer).
  func join() { ended.wait() }

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
    let recorder = VGG16Recorder()
    let x = inputs.x
    let labels = inputs.labels
    do {
      let parameters = try Self.weights.get(inputs, cancel: { self.locked { self.cancelled } })
      locked { state.status = .running(backward: backward) }
      let result = try VGG16Network(parameters: parameters, algorithm: algorithm).run(
        x, labels: labels, backward: backward,
        observer: { event in
          recorder.record(event)
          self.locked { self.state.apply(event) }
        },
        cancel: { self.locked { self.cancelled } })
      let record = try VGGRunRecord(
        source: inputs.source, parameters: parameters, x: x, labels: labels, recorder: recorder,
        result: result,
        backward: backward)
      locked {
        state.finish(record, backward: backward)
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
