import Dispatch

/// Stochastic gradient descent on VGG-16, one step at a time: a forward and backward pass of the
/// batch on the fast path, then one fused update of every parameter (`FastSGD`). `vgg16 train`
/// and the tour's training key both take their steps here. The parameters are the caller's,
/// updated in place (no copy of their 553 MB); this keeps the optimizer's momentum.
public struct VGG16Training: Sendable {
  public var optimizer: FastSGD
  public var algorithm: ConvolutionAlgorithm

  public init(
    learningRate: Float, momentum: Float = 0, weightDecay: Float = 0,
    algorithm: ConvolutionAlgorithm = .direct
  ) {
    optimizer = FastSGD(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
    self.algorithm = algorithm
  }

  /// One step as it went.
  public struct Step: Sendable {
    /// The batch's mean cross-entropy J before the update, and ‖∂J/∂θ‖ over every parameter.
    public var loss: Double
    public var gradientNorm: Double
    /// The whole step (forward, backward, update) and the update alone.
    public var seconds: Double
    public var updateSeconds: Double
    /// False when the loss or the gradient norm was not finite: the weights were left as they were.
    public var updated: Bool
    /// Each example's predicted class before the update: the largest output (first of equals).
    public var predictions: [Int] = []
  }

  /// Runs x [M, 3, N, N] with one label per example forward and backward, then updates every
  /// parameter, unless the loss or the gradient norm is not finite. `observer` and `cancel` are
  /// the network's (a cancelled step changes nothing).
  public mutating func step(
    _ parameters: inout VGG16Parameters, _ x: Tensor32, labels: [Int],
    observer: ((VGG16Network.Event) -> Void)? = nil,
    cancel: () -> Bool = { false }
  ) throws -> Step {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try VGG16Network(parameters: parameters, algorithm: algorithm).run(
      x, labels: labels, backward: true, inputGradient: false, observer: observer, cancel: cancel)
    let loss = Double(result.loss ?? .nan)
    let norm = FastSGD.norm(result.gradients)
    let predictions = Self.predictions(result.logits)
    let updateStart = DispatchTime.now().uptimeNanoseconds
    guard loss.isFinite, norm.isFinite else {
      return Step(
        loss: loss, gradientNorm: norm, seconds: Double(updateStart - start) / 1e9, updateSeconds: 0,
        updated: false, predictions: predictions)
    }
    try optimizer.step(&parameters.tensors, gradients: result.gradients)
    let end = DispatchTime.now().uptimeNanoseconds
    return Step(
      loss: loss, gradientNorm: norm, seconds: Double(end - start) / 1e9,
      updateSeconds: Double(end - updateStart) / 1e9, updated: true, predictions: predictions)
  }

  /// The class each row of z [M, n] predicts: its largest entry, the first of equals (argmax).
  public static func predictions(_ z: Tensor32) -> [Int] {
    guard z.shape.count == 2, z.shape[1] > 0 else { return [] }
    let n = z.shape[1]
    return (0..<z.shape[0]).map { e in
      var best = 0
      for k in 1..<n where z.values[e * n + k] > z.values[e * n + best] { best = k }
      return best
    }
  }
}
