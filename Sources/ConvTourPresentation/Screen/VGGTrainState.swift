/// Training VGG-16 from the tour (T): the steps planned and taken, each step's loss, gradient
/// norm and time, and the layer the current step is at. The terminal layer runs the steps in
/// the background and copies them here; the weights it trains are the ones the next run uses.
public struct VGGTrainState: Equatable, Sendable {
  public enum Status: Equatable, Sendable {
    case idle
    /// Reading or drawing the weights before the first step.
    case preparing(String)
    case training
    /// A key asked to stop: the step under way finishes first.
    case stopping
    case done(String)
    case failed(String)
  }

  public var status: Status = .idle
  /// The learning rate η and the number of steps the next training takes (+/− and </> change them).
  public var learningRate = 0.01
  public var steps = 10
  /// Per step taken in this training: J before the update, ‖∂J/∂θ‖, seconds.
  public var losses: [Double] = []
  public var gradientNorms: [Double] = []
  public var seconds: [Double] = []
  /// The step under way: its layer and whether backward.
  public var layer = 0
  public var backwardPhase = false
  /// Every step taken on these weights since the tour started (over all trainings).
  public var totalSteps = 0

  /// The learning rates +/− move through: 1, 3 in each decade from 10⁻⁵ to 1.
  public static let learningRates: [Double] = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1]
  /// The step counts </> move through.
  public static let stepCounts = [1, 2, 5, 10, 20, 50, 100]

  public init() {}

  public var running: Bool {
    switch status {
    case .preparing, .training, .stopping: true
    default: false
    }
  }

  /// The next (or previous) entry of a ladder from the one nearest `value`.
  static func moved<T: Comparable & SignedNumeric>(_ value: T, in ladder: [T], by offset: Int) -> T {
    let nearest = ladder.indices.min { abs(ladder[$0] - value) < abs(ladder[$1] - value) } ?? 0
    return ladder[max(0, min(ladder.count - 1, nearest + offset))]
  }
}
