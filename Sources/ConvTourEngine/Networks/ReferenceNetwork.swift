/// Any sequential network on the reference path (Double, plain loops): the same network as
/// `FastNetwork`, built from the engine's readable ops, for checking the fast path on shrunk
/// networks.
public struct ReferenceNetwork: Sendable {
  public var architecture: NetworkArchitecture
  /// Parameters by PyTorch name, in Double.
  public var parameters: [String: Tensor]

  public init(_ parameters: NetworkParameters) {
    architecture = parameters.architecture
    self.parameters = parameters.tensors.mapValues(Tensor.init)
  }

  /// The op of a layer (nil for the softmax, which is fused with the loss).
  func op(_ layer: NetworkArchitecture.Layer) -> (any Operation)? {
    switch layer.kind {
    case .convolution: Convolution(stride: layer.stride, padding: layer.padding)
    case .maxPool: MaxPool(window: layer.kernel, stride: layer.stride)
    case .averagePool: MeanPool(window: layer.kernel, stride: layer.stride)
    case .flatten: Flatten(order: .rowMajor, batched: true)
    case .fullyConnected: FullyConnected()
    case .softmax: nil
    }
  }

  func inputs(_ layer: NetworkArchitecture.Layer, _ a: Tensor) -> [Tensor] {
    guard let w = layer.weightName, let b = layer.biasName else { return [a] }
    return [a, parameters[w]!, parameters[b]!]
  }

  /// Every layer's output (ReLU applied where the layer has one), the last layer's z last; and
  /// the loss J for `labels` (cross-entropy) or against the target vector (squared distance).
  public func forward(_ x: Tensor, labels: [Int]) throws -> (activations: [Tensor], loss: Double) {
    var activations = [x]
    for layer in architecture.layers {
      guard let op = op(layer) else { continue }
      var a = try op.forward(inputs(layer, activations.last!))
      if layer.relu { a = try Activation(.relu).forward([a]) }
      activations.append(a)
    }
    return (
      activations,
      try lossOp(labels, activations.last!).forward([activations.last!, target(labels)]).values[0]
    )
  }

  /// The loss as an op of (z, y), and its scale: SquaredError averages over the batch, the
  /// squared distance sums.
  func lossOp(_ labels: [Int], _ z: Tensor) -> any Operation {
    switch architecture.loss {
    case .softmaxCrossEntropy: SoftmaxCrossEntropy()
    case .squaredDistance: Scaled(SquaredError(.plain), by: Double(labels.count))
    }
  }

  /// One-hot labels, or the vector of targets for every example.
  func target(_ labels: [Int]) -> Tensor {
    var y = Tensor(zeros: [labels.count, architecture.classes])
    switch architecture.loss {
    case .softmaxCrossEntropy:
      for (e, label) in labels.enumerated() { y[e, label] = 1 }
    case .squaredDistance(let t):
      y = Tensor(zeros: y.shape, value: Double(t))
    }
    return y
  }

  /// ∂J/∂x and ∂J/∂(every parameter), by each op's backward in reverse order.
  public func gradients(_ x: Tensor, labels: [Int]) throws -> (input: Tensor, parameters: [String: Tensor]) {
    let (activations, _) = try forward(x, labels: labels)
    let y = target(labels)
    var delta = try lossOp(labels, activations.last!).backward(
      [activations.last!, y], output: Tensor(scalar: 0), delta: Tensor(scalar: 1))[0]!
    var result: [String: Tensor] = [:]
    let layers = architecture.layers.filter { $0.kind != .softmax }
    for (k, layer) in layers.enumerated().reversed() {
      let input = activations[k]
      let output = activations[k + 1]
      if layer.relu {
        delta = try delta.zipWith(output, op: "relu backward") { d, a in a > 0 ? d : 0 }
      }
      let grads = try op(layer)!.backward(inputs(layer, input), output: output, delta: delta)
      if let w = layer.weightName, let b = layer.biasName {
        result[w] = grads[1]!
        result[b] = grads[2]!
      }
      delta = grads[0]!
    }
    return (delta, result)
  }
}

/// VGG-16 on the reference path: one case of `ReferenceNetwork`.
public typealias ReferenceVGG16 = ReferenceNetwork

/// An op whose output and gradients are multiplied by a constant (a sum from a mean).
struct Scaled: Operation {
  var inner: any Operation
  var factor: Double
  init(_ inner: any Operation, by factor: Double) {
    self.inner = inner
    self.factor = factor
  }
  var name: String { inner.name }
  var inputRoles: [String] { inner.inputRoles }
  var formula: String { inner.formula }
  var backwardFormula: String { inner.backwardFormula }
  func outputShape(_ inputShapes: [[Int]]) throws -> [Int] { try inner.outputShape(inputShapes) }
  func forward(_ inputs: [Tensor]) throws -> Tensor { try inner.forward(inputs).map { $0 * factor } }
  func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try inner.backward(inputs, output: output, delta: delta).map { $0?.map { $0 * factor } }
  }
  func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    try inner.explain(inputs, at: index)
  }
}
