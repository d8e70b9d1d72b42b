import ConvTourEngine

/// What the VGG-16 screen knows of a run: its progress, per-layer times, the feature maps and
/// their gradients (batch 1), the gradient norms and the prediction. Filled in by the terminal
/// layer, which runs the network in the background.
public struct VGGRunState: Sendable {
  public enum Status: Equatable, Sendable {
    case idle
    /// Before the first layer: reading or drawing the weights, reading the images.
    case preparing(String)
    case running(backward: Bool)
    case done(backward: Bool)
    case cancelled
    case failed(String)
  }

  public var status: Status = .idle
  /// How this run computes its convolutions (the screen's choice when it started; `a` changes
  /// only the next run's).
  public var algorithm: ConvolutionAlgorithm? = nil
  /// The layer running now, and whether forward or backward.
  public var layer = 0
  public var backwardPhase = false
  public var elapsed = 0.0
  public var forwardSeconds: [Int: Double] = [:]
  public var backwardSeconds: [Int: Double] = [:]
  /// Layer k's output (forward) and ∂J/∂(layer k's output) (backward).
  public var outputs: [Int: Tensor32] = [:]
  public var outputGradients: [Int: Tensor32] = [:]
  /// ‖∂J/∂W‖₂ of each layer with weights.
  public var gradientNorms: [Int: Double] = [:]
  public var loss: Float?
  public var top: [(index: Int, probability: Float)] = []
  /// What a finished run keeps for stepping into its elements.
  public var record: VGGRunRecord?

  public init() {}

  public var running: Bool {
    switch status {
    case .running, .preparing: true
    default: false
    }
  }
}
