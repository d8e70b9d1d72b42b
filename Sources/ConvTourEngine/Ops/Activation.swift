import Foundation

/// An elementwise activation a = g(z), for tensors of any shape.
///
/// Backward: ∂L/∂z = ∂L/∂a ⊙ g′(z) — the Jacobian is diagonal, diag(g′(z)), so the product
/// is elementwise.
public struct Activation: Operation {
  public enum Kind: String, CaseIterable, Sendable {
    /// ReLU(z) = [z]₊ = max{z, 0}; g′(z) = 1(z > 0) (0 at the kink z = 0, as PyTorch).
    case relu
    /// σ(z) = 1 / (1 + e^(−z)); g′ = σ(z)(1 − σ(z)).
    case sigmoid
    /// tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)) = 2σ(2z) − 1; g′ = 1 − tanh²(z).
    case tanh
    /// identity(z) = z; g′ = 1.
    case identity
    /// The Heaviside step of the perceptron (textbook eq. 10.5): 0 if z ≤ 0, 1 if z > 0.
    /// Forward only: its derivative is 0 almost everywhere and undefined at 0.
    case step
  }

  public var kind: Kind

  public init(_ kind: Kind) { self.kind = kind }

  public var name: String { kind.rawValue }
  public var inputRoles: [String] { ["z"] }

  public var formula: String {
    switch kind {
    case .relu: "a = ReLU(z) = max{z, 0}"
    case .sigmoid: "a = σ(z) = 1 / (1 + e^(−z))"
    case .tanh: "a = tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))"
    case .identity: "a = z"
    case .step: "a = g(z) = 0 if z ≤ 0, 1 if z > 0"
    }
  }

  public var backwardFormula: String {
    switch kind {
    case .relu: "∂L/∂z = ∂L/∂a ⊙ 1(z > 0)"
    case .sigmoid: "∂L/∂z = ∂L/∂a ⊙ σ(z)(1 − σ(z))"
    case .tanh: "∂L/∂z = ∂L/∂a ⊙ (1 − tanh²(z))"
    case .identity: "∂L/∂z = ∂L/∂a"
    case .step: "none: g′(z) = 0 for z ≠ 0 and undefined at 0"
    }
  }

  /// The function's short form, for explanations.
  var symbol: String {
    switch kind {
    case .relu: "max{z, 0}"
    case .sigmoid: "σ(z)"
    case .tanh: "tanh(z)"
    case .identity: "z"
    case .step: "g(z)"
    }
  }

  /// g(z).
  public func apply(_ z: Double) -> Double {
    switch kind {
    case .relu: max(z, 0)
    case .sigmoid: 1 / (1 + exp(-z))
    case .tanh: Foundation.tanh(z)
    case .identity: z
    case .step: z > 0 ? 1 : 0
    }
  }

  /// g′(z); nil for the step.
  public func derivative(_ z: Double) -> Double? {
    switch kind {
    case .relu: z > 0 ? 1 : 0
    case .sigmoid:
      { s in s * (1 - s) }(apply(z))
    case .tanh:
      { t in 1 - t * t }(Foundation.tanh(z))
    case .identity: 1
    case .step: nil
    }
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    return inputShapes[0]
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    try checkInputCount(inputs.map(\.shape))
    return inputs[0].map(apply)
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    guard kind != .step else {
      throw EngineError.notDifferentiable(op: name, reason: backwardFormula)
    }
    let z = inputs[0]
    var dz = delta
    for i in dz.values.indices { dz.values[i] *= derivative(z.values[i]) ?? 0 }
    return [dz]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let z = inputs[0][index: index]
    return ElementExplanation(
      op: name, output: index, combination: .function(symbol),
      terms: [Term(factors: [Factor(input: 0, index: index, value: z)], value: z)],
      value: apply(z))
  }
}
