import Foundation

/// A network's forward and backward pass on the fast path (Float32: im2col on OpenBLAS, or
/// Winograd for 3×3 convolutions).
///
/// x: [M, C, H, W] → the last layer's z [M, n] → ŷ = softmax (cross-entropy networks); with
/// labels, the loss J = (1/m)·Σ L (cross-entropy) or J = Σ ‖z − t‖² (squared distance) and,
/// backward, ∂J/∂(every parameter) and ∂J/∂x. No dropout: the post's forward pass. Layers report
/// their progress and time through `observer`.
public struct FastNetwork: Sendable {
  public var parameters: NetworkParameters
  /// How the convolutions are computed: exact (direct) unless Winograd is asked for.
  public var algorithm: ConvolutionAlgorithm
  public var architecture: VGG16Architecture { parameters.architecture }

  public init(parameters: NetworkParameters, algorithm: ConvolutionAlgorithm = .direct) {
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
    /// softmax(z) for a cross-entropy network; z itself for a squared-distance one.
    public var probabilities: Tensor32
    /// J, when labels were given (always, for a squared-distance network).
    public var loss: Float?
    /// ∂J/∂x [M, C, H, W], after a backward pass.
    public var inputGradient: Tensor32?
    /// ∂J/∂parameter by torchvision name, in the parameter's layout, after a backward pass.
    public var gradients: [String: Tensor32]
    /// Seconds per layer (same order as `architecture.layers`); backward is 0 when not run.
    public var forwardSeconds: [Double]
    /// A layer's whole backward pass; of it, `weightGradientSeconds` went to ∂J/∂W and ∂J/∂b
    /// (the rest, to ∂J/∂x and the ReLU's mask).
    public var backwardSeconds: [Double]
    public var weightGradientSeconds: [Double] = []
    /// Every layer's output by its torchvision module (`outputModule`: `features.1` …
    /// `classifier.6`), [M, …] in PyTorch's layout, when the run was asked to keep them.
    public var activations: [(module: String, tensor: Tensor32)] = []
    /// The loss's sum over these examples in Double (Σ_e L(e), or Σ ‖z − t‖²), before J is
    /// rounded: lanes of a batch add theirs up.
    var lossSum: Double = 0
  }

  public struct Cancelled: Error { public init() {} }

  /// Runs the network on x. With `labels` (one class per example, 0-based) it computes the
  /// loss (a squared-distance network needs none); with `backward` also every gradient; with
  /// `keepActivations` every layer's output. `cancel` is asked between layers. Without
  /// `inputGradient` the backward pass stops at the lowest layer with parameters, computing its
  /// ∂J/∂W and ∂J/∂b but not ∂J/∂x (`Result.inputGradient` is then nil): what training and
  /// benchmarks need, and what PyTorch computes unless the input asks for its gradient.
  public func run(
    _ x: Tensor32, labels: [Int]?, backward: Bool, inputGradient wantsInputGradient: Bool = true,
    keepActivations: Bool = false,
    observer: ((Event) -> Void)? = nil, cancel: () -> Bool = { false }
  ) throws -> Result {
    let arch = architecture
    guard x.shape.count == 4, Array(x.shape.dropFirst()) == arch.input, x.shape[0] > 0 else {
      throw EngineError.shapeMismatch(
        op: arch.name, shapes: [x.shape],
        expected: "an input [M, \(arch.input.map(String.init).joined(separator: ", "))]")
    }
    let m = x.shape[0]
    let crossEntropy = arch.loss == .softmaxCrossEntropy
    if let labels, crossEntropy {
      guard labels.count == m, labels.allSatisfy({ $0 >= 0 && $0 < arch.classes }) else {
        throw EngineError.invalidParameter(
          op: arch.name,
          reason: "\(m) label\(m == 1 ? "" : "s") in 0..<\(arch.classes) expected, got \(labels)")
      }
    }
    if backward, labels == nil, crossEntropy {
      throw EngineError.invalidParameter(op: arch.name, reason: "the backward pass needs labels")
    }
    let request = Request(
      labels: labels, backward: backward, inputGradient: wantsInputGradient, keepActivations: keepActivations,
      batch: m)
    if ExampleLanes.splits(arch, examples: m) {
      return try runInLanes(x, request, observer: observer, cancel: cancel)
    }
    return try run(x, request, observer: observer, cancel: cancel)
  }

  /// What a pass is asked for, past the checks: the run's own options, and `batch`, the examples
  /// of the whole batch (J and ∂J/∂z divide by it when x holds a lane of it).
  struct Request {
    var labels: [Int]?
    var backward: Bool
    var inputGradient: Bool
    var keepActivations: Bool
    var batch: Int
  }

  /// The pass itself, layer by layer, each layer on all workers.
  func run(
    _ x: Tensor32, _ request: Request, observer: ((Event) -> Void)?, cancel: () -> Bool
  ) throws -> Result {
    let (labels, backward, wantsInputGradient, keepActivations) = (
      request.labels, request.backward, request.inputGradient, request.keepActivations
    )
    let arch = architecture
    let m = x.shape[0]
    let crossEntropy = arch.loss == .softmaxCrossEntropy
    var lossSum = 0.0
    let layers = arch.layers
    // activations[k] is the input of layer k; activations[k + 1] its output.
    var activations: [Tensor32] = [x]
    // Each max-pool's winners, for the backward pass: a byte per window (`forwardChoosing`), or
    // an offset in x where a window has more places than a byte.
    var choices: [Int: [UInt8]] = [:]
    var winners: [Int: [Int32]] = [:]
    var forwardSeconds = Array(repeating: 0.0, count: layers.count)
    var backwardSeconds = Array(repeating: 0.0, count: layers.count)
    var weightGradientSeconds = Array(repeating: 0.0, count: layers.count)
    var probabilities = Tensor32(zeros: [m, arch.classes])
    var dz: Tensor32? = nil
    var loss: Float? = nil
    var logits = Tensor32(zeros: [m, arch.classes])
    var kept: [(module: String, tensor: Tensor32)] = []

    for (k, layer) in layers.enumerated() {
      if cancel() { throw Cancelled() }
      observer?(Event(phase: .forward, layer: k, finished: false, seconds: 0))
      let start = DispatchTime.now()
      let input = activations[k]
      var output: Tensor32
      switch layer.kind {
      case .convolution:
        let (W, b) = (parameters.weight(layer), parameters.bias(layer))
        // A max-pool whose windows tile its input (side = stride) after the ReLU has its close
        // calls decided too.
        let next = k + 1 < layers.count ? layers[k + 1] : nil
        let pooled = next.map { $0.kind == .maxPool && $0.kernel == $0.stride } == true
        output = try algorithm.kernel(
          layer, input: input.shape, decidesCloseCalls: backward && layer.relu,
          maxPoolSide: pooled && layer.relu ? next!.kernel : nil
        ).forward(x: input, W: W, b: b, relu: layer.relu)
      case .maxPool:
        let pool = FastMaxPool(window: layer.kernel, stride: layer.stride)
        if backward, pool.choosesInBytes {
          (output, choices[k]) = try pool.forwardChoosing(input)
        } else {
          let (pooled, won) = try pool.forward(input, winners: backward)
          output = pooled
          if backward { winners[k] = won }
        }
      case .averagePool:
        output = try FastAveragePool(window: layer.kernel, stride: layer.stride).forward(input)
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
        let fused = try FastSoftmaxCrossEntropy().forwardBackward(z: input, y: y, batch: request.batch)
        probabilities = fused.probabilities
        if labels != nil { (loss, lossSum) = (fused.loss, fused.sum) }
        dz = fused.dz
        output = probabilities
      }
      if k == layers.count - 1, case .squaredDistance(let target) = arch.loss {
        logits = output
        probabilities = output
        let fused = FastSquaredDistance(target: target).forwardBackward(z: output)
        (loss, lossSum, dz) = (fused.loss, fused.sum, fused.dz)
      }
      // Without a backward pass only the current activation is needed.
      if !backward, k > 0 { activations[k] = Tensor32(zeros: [0]) }
      activations.append(output)
      if keepActivations, let name = layer.activationName { kept.append((name, output)) }
      forwardSeconds[k] = Self.seconds(since: start)
      observer?(Event(phase: .forward, layer: k, finished: true, seconds: forwardSeconds[k], tensor: output))
    }

    var gradients: [String: Tensor32] = [:]
    var inputGradient: Tensor32? = nil
    // The backward pass goes down to layer 0, or to the lowest layer with parameters.
    let lowest = wantsInputGradient ? 0 : (layers.firstIndex { $0.weightName != nil } ?? 0)
    if backward, var delta = dz {
      // delta is ∂J/∂(output of layer k) on entry to layer k; the loss gave ∂J/∂z of the last
      // layer with weights (the softmax, fused with the loss, has no backward of its own).
      for k in stride(from: layers.count - (crossEntropy ? 2 : 1), through: lowest, by: -1) {
        if cancel() { throw Cancelled() }
        let layer = layers[k]
        observer?(Event(phase: .backward, layer: k, finished: false, seconds: 0, tensor: delta))
        let start = DispatchTime.now()
        let input = activations[k]
        switch layer.kind {
        case .convolution:
          if layer.relu { FastPath.reluBackwardInPlace(&delta.values, output: activations[k + 1].values) }
          let W = parameters.weight(layer)
          let kernel = algorithm.kernel(layer, input: input.shape)
          let weightStart = DispatchTime.now()
          let g = try kernel.parameterGradients(x: input, W: W, delta: delta)
          (gradients[layer.weightName!], gradients[layer.biasName!]) = (g.dW, g.db)
          weightGradientSeconds[k] = Self.seconds(since: weightStart)
          if k > lowest || wantsInputGradient {
            delta = try kernel.inputGradient(x: input, W: W, delta: delta)
          }
        case .maxPool:
          let pool = FastMaxPool(window: layer.kernel, stride: layer.stride)
          if let chosen = choices.removeValue(forKey: k) {
            delta = try pool.backward(xShape: input.shape, choices: chosen, delta: delta)
          } else {
            delta = try pool.backward(
              xShape: input.shape, winners: winners.removeValue(forKey: k)!, delta: delta)
          }
        case .averagePool:
          delta = try FastAveragePool(window: layer.kernel, stride: layer.stride).backward(
            xShape: input.shape, delta: delta)
        case .flatten:
          delta = try delta.reshaped(input.shape)
        case .fullyConnected(let relu):
          if relu { FastPath.reluBackwardInPlace(&delta.values, output: activations[k + 1].values) }
          let (fc, W) = (FastFullyConnected(), parameters.weight(layer))
          let weightStart = DispatchTime.now()
          let g = try fc.parameterGradients(a: input, W: W, delta: delta)
          (gradients[layer.weightName!], gradients[layer.biasName!]) = (g.dW, g.db)
          weightGradientSeconds[k] = Self.seconds(since: weightStart)
          if k > lowest || wantsInputGradient { delta = try fc.inputGradient(a: input, W: W, delta: delta) }
        case .softmax:
          break
        }
        activations[k + 1] = Tensor32(zeros: [0])  // no longer needed
        backwardSeconds[k] = Self.seconds(since: start)
        observer?(Event(phase: .backward, layer: k, finished: true, seconds: backwardSeconds[k]))
      }
      if wantsInputGradient { inputGradient = delta }
    }
    return Result(
      logits: logits, probabilities: probabilities, loss: loss, inputGradient: inputGradient,
      gradients: gradients,
      forwardSeconds: forwardSeconds, backwardSeconds: backwardSeconds,
      weightGradientSeconds: weightGradientSeconds, activations: kept, lossSum: lossSum)
  }

  static func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
  }
}

/// VGG-16 on the fast path: one case of `FastNetwork`.
public typealias VGG16Network = FastNetwork
