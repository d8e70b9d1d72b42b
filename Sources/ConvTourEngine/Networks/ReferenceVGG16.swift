/// VGG-16 on the reference path (Double, plain loops): the same network as `VGG16Network`,
/// built from the engine's ops, for checking the fast path on a shrunk architecture.
public struct ReferenceVGG16: Sendable {
  public var architecture: VGG16Architecture
  /// Parameters by torchvision name, in Double.
  public var parameters: [String: Tensor]

  public init(_ parameters: VGG16Parameters) {
    architecture = parameters.architecture
    self.parameters = parameters.tensors.mapValues(Tensor.init)
  }

  /// The op of a layer (nil for the softmax, which is fused with the loss).
  func op(_ layer: VGG16Architecture.Layer) -> (any Operation)? {
    switch layer.kind {
    case .convolution: Convolution(stride: 1, padding: 1)
    case .maxPool: MaxPool(window: 2, stride: 2)
    case .flatten: Flatten(order: .rowMajor, batched: true)
    case .fullyConnected: FullyConnected()
    case .softmax: nil
    }
  }

  func inputs(_ layer: VGG16Architecture.Layer, _ a: Tensor) -> [Tensor] {
    guard let prefix = layer.parameterPrefix else { return [a] }
    return [a, parameters["\(prefix).weight"]!, parameters["\(prefix).bias"]!]
  }

  func hasReLU(_ layer: VGG16Architecture.Layer) -> Bool {
    switch layer.kind {
    case .convolution, .fullyConnected(relu: true): true
    default: false
    }
  }

  /// Every layer's output (ReLU applied where the layer has one), the logits last; and the loss
  /// J = (1/m)·Σ L for one-hot `labels`.
  public func forward(_ x: Tensor, labels: [Int]) throws -> (activations: [Tensor], loss: Double) {
    var activations = [x]
    for layer in architecture.layers {
      guard let op = op(layer) else { continue }
      var a = try op.forward(inputs(layer, activations.last!))
      if hasReLU(layer) { a = try Activation(.relu).forward([a]) }
      activations.append(a)
    }
    let loss = try SoftmaxCrossEntropy().forward([activations.last!, oneHot(labels)])
    return (activations, loss.values[0])
  }

  func oneHot(_ labels: [Int]) -> Tensor {
    var y = Tensor(zeros: [labels.count, architecture.classes])
    for (e, label) in labels.enumerated() { y[e, label] = 1 }
    return y
  }

  /// ∂J/∂x and ∂J/∂(every parameter), by each op's backward in reverse order.
  public func gradients(_ x: Tensor, labels: [Int]) throws -> (input: Tensor, parameters: [String: Tensor]) {
    let (activations, _) = try forward(x, labels: labels)
    let y = oneHot(labels)
    var delta = try SoftmaxCrossEntropy().backward(
      [activations.last!, y], output: Tensor(scalar: 0), delta: Tensor(scalar: 1))[0]!
    var result: [String: Tensor] = [:]
    let layers = architecture.layers.filter { $0.kind != .softmax }
    for (k, layer) in layers.enumerated().reversed() {
      let input = activations[k]
      let output = activations[k + 1]
      if hasReLU(layer) {
        delta = try delta.zipWith(output, op: "relu backward") { d, a in a > 0 ? d : 0 }
      }
      let args = inputs(layer, input)
      let grads = try op(layer)!.backward(args, output: output, delta: delta)
      if let prefix = layer.parameterPrefix {
        result["\(prefix).weight"] = grads[1]!
        result["\(prefix).bias"] = grads[2]!
      }
      delta = grads[0]!
    }
    return (delta, result)
  }
}
