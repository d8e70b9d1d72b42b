import Foundation

/// Elementwise activations on the fast path (Float32); same contract as `Activation`.
public struct FastActivation: Sendable {
  public var kind: Activation.Kind

  public init(_ kind: Activation.Kind) { self.kind = kind }

  public func forward(_ z: Tensor32) -> Tensor32 {
    var a = z
    a.values.withUnsafeMutableBufferPointer { p in
      switch kind {
      case .relu: for i in p.indices where p[i] < 0 { p[i] = 0 }
      case .sigmoid: for i in p.indices { p[i] = 1 / (1 + Foundation.exp(-p[i])) }
      case .tanh: for i in p.indices { p[i] = Foundation.tanh(p[i]) }
      case .identity: break
      case .step: for i in p.indices { p[i] = p[i] > 0 ? 1 : 0 }
      }
    }
    return a
  }

  /// ∂L/∂z = ∂L/∂a ⊙ g′(z), from z (the forward input) and delta = ∂L/∂a.
  public func backward(z: Tensor32, delta: Tensor32) throws -> Tensor32 {
    guard z.shape == delta.shape else {
      throw EngineError.shapeMismatch(
        op: "\(kind.rawValue) backward", shapes: [delta.shape, z.shape], expected: "delta of z's shape")
    }
    guard kind != .step else {
      throw EngineError.notDifferentiable(op: kind.rawValue, reason: Activation(kind).backwardFormula)
    }
    var dz = delta
    z.values.withUnsafeBufferPointer { zp in
      dz.values.withUnsafeMutableBufferPointer { d in
        switch kind {
        case .relu: for i in d.indices where !(zp[i] > 0) { d[i] = 0 }
        case .sigmoid:
          for i in d.indices {
            let s = 1 / (1 + Foundation.exp(-zp[i]))
            d[i] *= s * (1 - s)
          }
        case .tanh:
          for i in d.indices {
            let t = Foundation.tanh(zp[i])
            d[i] *= 1 - t * t
          }
        case .identity, .step: break
        }
      }
    }
    return dz
  }
}
