/// One step of gradient descent on a parameter: the textbook's update rule (11.13),
/// W → W − η·∂ℓ/∂W, and the backprop notes' W_ji = W_ji − η ∂J/∂W_ji (with b alike).
///
/// W, g = ∂ℓ/∂W: the same shape → W_new: W's shape.
///   W_new = W − η·g          ∂L/∂W = δ,   ∂L/∂g = −η·δ
/// It is `torch.optim.SGD(…, lr=η).step()` with momentum 0 on one parameter.
public struct SGDUpdate: Operation {
  /// The learning rate η.
  public var learningRate: Double

  public init(learningRate: Double) { self.learningRate = learningRate }

  public var name: String { "sgd" }
  public var inputRoles: [String] { ["W", "g"] }
  public var formula: String { "W_new = W − \(Scale.format(learningRate))·g" }
  public var backwardFormula: String { "∂L/∂W = δ;  ∂L/∂g = −\(Scale.format(learningRate))·δ" }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    guard inputShapes[1] == inputShapes[0] else {
      throw EngineError.shapeMismatch(
        op: name, shapes: inputShapes, expected: "the gradient g of the parameter W's shape")
    }
    return inputShapes[0]
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    _ = try outputShape(inputs.map(\.shape))
    var w = inputs[0]
    for k in w.values.indices { w.values[k] -= learningRate * inputs[1].values[k] }
    return w
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    return [delta, delta.map { -learningRate * $0 }]
  }

  /// W_new(i) = W(i) − η·g(i): one term with the parameter, the gradient and the result.
  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let (w, g) = (inputs[0][index: index], inputs[1][index: index])
    let value = w - learningRate * g
    let term = Term(
      factors: [Factor(input: 0, index: index, value: w), Factor(input: 1, index: index, value: g)],
      form: .expression("W − \(Scale.format(learningRate))·g"), value: value)
    return ElementExplanation(op: name, output: index, combination: .sum, terms: [term], value: value)
  }
}
