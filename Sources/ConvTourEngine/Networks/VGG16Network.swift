import Foundation

/// A VGG-16 forward and backward pass on the fast path (Float32: im2col on OpenBLAS, or Winograd).
///
/// x: [M, 3, N, N] → logits z⁽¹⁶⁾ [M, classes] → ŷ = softmax; with labels, the loss
/// J = (1/m)·Σ L (cross-entropy) and, backward, ∂J/∂(every parameter) and ∂J/∂x. No dropout:
/// the post's forward pass. Layers report their progress and time through `observer`.
public struct VGG16Network: Sendable {
  public var parameters: VGG16Parameters
  /// How the convolutions are computed: exact (direct) unless Winograd is asked for.
  public var algorithm: ConvolutionAlgorithm
  public var architecture: VGG16Architecture { parameters.architecture }

  public init(parameters: VGG16Parameters, algorithm: ConvolutionAlgorithm = .direct) {
    self.parameters = parameters
    self.algorithm = algorithm
  }

  /// A layer starting or finishing, for progress displays.
  public struct Event: Sendable {
    public enum Phase: Sendable { case forward, backward }
    public var phase: Phase
    /// The layer's position in `architecture.layers`.
    public var layer: Int
    public var finished: Bool
    /// Seconds the layer took (when finished).
    public var seconds: Double
    /// Forward, finished: the layer's output. Backward, starting: ∂J/∂(the layer's output).
    /// For pictures of feature maps and their gradients.
    public var tensor: Tensor32? = nil
  }

  /// What a pass computed.
  public struct Result: Sendable {
    public var logits: Tensor32
    public var probabilities: Tensor32
    /// J = (1/m)·Σ L, when labels were given.
    public var loss: Float?
    /// ∂J/∂x [M, 3, N, N], after a backward pass.
    public var inputGradient: Tensor32?
    /// ∂J/∂parameter by torchvision name, in the parameter's layout, after a backward pass.
    public var gradients: [String: Tensor32]
    /// Seconds per layer (same order as `architecture.layers`); backward is 0 when not run.
    public var forwardSeconds: [Double]
    public var backwardSeconds: [Double]
    /// Every layer's output by its torchvision module (`outputModule`: `features.1` …
    /// `classifier.6`), [M, …] in PyTorch's layout, when the run was asked to keep them.
    public var activations: [(module: String, tensor: Tensor32)] = []
  }

  public struct Cancelled: Error {}

  /// Runs the network on x. With `labels` (one class per example, 0-based) it computes the
  /// loss; with `backward` also every gradient; with `keepActivations` every layer's output.
  /// `cancel` is asked between layers.
  public func run(
    _ x: Tensor32, labels: [Int]?, backward: Bool, keepActivations: Bool = false,
    observer: (Event) -> Void = { _ in }, cancel: () -> Bool = { false }
  ) throws -> Result {
    let arch = architecture
    guard x.shape.count == 4, x.shape[1] == 3, x.shape[2] == arch.size, x.shape[3] == arch.size,
      x.shape[0] > 0
    else {
      throw EngineError.shapeMismatch(
        op: "vgg16", shapes: [x.shape], expected: "an input [M, 3, \(arch.size), \(arch.size)]")
    }
    let m = x.shape[0]
    if let labels {
      guard labels.count == m, labels.allSatisfy({ $0 >= 0 && $0 < arch.classes }) else {
        throw EngineError.invalidParameter(
          op: "vgg16", reason: "\(m) label\(m == 1 ? "" : "s") in 0..<\(arch.classes) expected, got \(labels)"
        )
      }
    }
    if backward, labels == nil {
      throw EngineError.invalidParameter(op: "vgg16", reason: "the backward pass needs labels")
    }
    let layers = arch.layers
    // activations[k] is the input of layer k; activations[k + 1] its output.
    var activations: [Tensor32] = [x]
    var winners: [Int: [Int32]] = [:]
    var forwardSeconds = Array(repeating: 0.0, count: layers.count)
    var backwardSeconds = Array(repeating: 0.0, count: layers.count)
    var probabilities = Tensor32(zeros: [m, arch.classes])
    var dz: Tensor32? = nil
    var loss: Float? = nil
    var logits = Tensor32(zeros: [m, arch.classes])
    var kept: [(module: String, tensor: Tensor32)] = []

    for (k, layer) in layers.enumerated() {
      if cancel() { throw Cancelled() }
      observer(Event(phase: .forward, layer: k, finished: false, seconds: 0))
      let start = DispatchTime.now()
      let input = activations[k]
      var output: Tensor32
      switch layer.kind {
      case .convolution:
        let (W, b) = (parameters.weight(layer), parameters.bias(layer))
        // A 2×2 max-pool after the ReLU (VGG-16's only pool) has its close calls decided too.
        let pooled = k + 1 < layers.count && layers[k + 1].kind == .maxPool
        output = try algorithm.kernel(
          input: input.shape, outputChannels: W.shape[0], decidesCloseCalls: backward,
          maxPoolSide: pooled ? 2 : nil
        ).forward(x: input, W: W, b: b, relu: true)
      case .maxPool:
        let (pooled, won) = try FastMaxPool(window: 2, stride: 2).forward(input, winners: backward)
        output = pooled
        if backward { winners[k] = won }
      case .flatten:
        output = try input.reshaped([m, Shape.count(layer.output)])
      case .fullyConnected(let relu):
        output = try FastFullyConnected().forward(
          a: input, W: parameters.weight(layer), b: parameters.bias(layer), relu: relu)
      case .softmax:
        var y = Tensor32(zeros: [m, arch.classes])
        for (e, label) in (labels ?? Array(repeating: 0, count: m)).enumerated() {
          y.values[e * arch.classes + label] = 1
        }
        logits = input
        let fused = try FastSoftmaxCrossEntropy().forwardBackward(z: input, y: y)
        probabilities = fused.probabilities
        if labels != nil { loss = fused.loss }
        dz = fused.dz
        output = probabilities
      }
      // Without a backward pass only the current activation is needed.
      if !backward, k > 0 { activations[k] = Tensor32(zeros: [0]) }
      activations.append(output)
      if keepActivations, let module = layer.outputModule { kept.append((module, output)) }
      forwardSeconds[k] = Self.seconds(since: start)
      observer(Event(phase: .forward, layer: k, finished: true, seconds: forwardSeconds[k], tensor: output))
    }

    var gradients: [String: Tensor32] = [:]
    var inputGradient: Tensor32? = nil
    if backward, var delta = dz {
      // delta is ∂J/∂(output of layer k) on entry to layer k; the softmax step gave ∂J/∂z⁽¹⁶⁾.
      for k in stride(from: layers.count - 2, through: 0, by: -1) {
        if cancel() { throw Cancelled() }
        let layer = layers[k]
        observer(Event(phase: .backward, layer: k, finished: false, seconds: 0, tensor: delta))
        let start = DispatchTime.now()
        let input = activations[k]
        switch layer.kind {
        case .convolution:
          FastPath.reluBackwardInPlace(&delta.values, output: activations[k + 1].values)
          let W = parameters.weight(layer)
          let prefix = layer.parameterPrefix!
          let g = try algorithm.kernel(input: input.shape, outputChannels: W.shape[0]).backward(
            x: input, W: W, delta: delta)
          (gradients["\(prefix).weight"], gradients["\(prefix).bias"]) = (g.dW, g.db)
          delta = g.dx
        case .maxPool:
          delta = try FastMaxPool(window: 2, stride: 2).backward(
            xShape: input.shape, winners: winners[k]!, delta: delta)
          winners[k] = nil
        case .flatten:
          delta = try delta.reshaped(input.shape)
        case .fullyConnected(let relu):
          if relu { FastPath.reluBackwardInPlace(&delta.values, output: activations[k + 1].values) }
          let g = try FastFullyConnected().backward(a: input, W: parameters.weight(layer), delta: delta)
          gradients["\(layer.parameterPrefix!).weight"] = g.dW
          gradients["\(layer.parameterPrefix!).bias"] = g.db
          delta = g.da
        case .softmax:
          break
        }
        activations[k + 1] = Tensor32(zeros: [0])  // no longer needed
        backwardSeconds[k] = Self.seconds(since: start)
        observer(Event(phase: .backward, layer: k, finished: true, seconds: backwardSeconds[k]))
      }
      inputGradient = delta
    }
    return Result(
      logits: logits, probabilities: probabilities, loss: loss, inputGradient: inputGradient,
      gradients: gradients,
      forwardSeconds: forwardSeconds, backwardSeconds: backwardSeconds, activations: kept)
  }

  static func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
  }
}
