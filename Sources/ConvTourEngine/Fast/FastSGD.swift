/// The fused update of stochastic gradient descent with momentum and weight decay, as
/// `torch.optim.SGD` takes it (dampening 0, not Nesterov), in Float32 on every parameter tensor:
///
///   weight decay λ: d = g + λ·W  (d = g when λ = 0)
///   momentum 0:     W ← W − η·d
///   momentum μ:     v ← μ·v + d  (v = d on the first step),  W ← W − η·v
///
/// Rounded as PyTorch's CPU kernels round them: `add(x, alpha=a)` is one fused multiply-add
/// (ATen's vectorised `fmadd`), so g + λ·W and W − η·d are each rounded once; μ·v is rounded,
/// then + d.
///
/// One pass over each tensor reads W, g (and v) and writes W (and v) in place: for VGG-16's
/// 138 million parameters that is the 553 MB of weights streamed once, with nothing allocated
/// but the velocity buffers of the first momentum step.
public struct FastSGD: Sendable {
  public var learningRate: Float
  public var momentum: Float
  /// λ: torch's `weight_decay`, an L2 penalty's gradient λ·W added to every gradient.
  public var weightDecay: Float = 0
  /// The momentum buffers v by parameter name (empty until the first step with momentum).
  public private(set) var velocity: [String: [Float]] = [:]

  public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
  }

  /// Updates every parameter that has a gradient. Gradients must have their parameter's shape.
  public mutating func step(_ parameters: inout [String: Tensor32], gradients: [String: Tensor32]) throws {
    for name in gradients.keys.sorted() {
      var g = gradients[name]!
      guard let w = parameters[name], w.shape == g.shape else {
        throw EngineError.shapeMismatch(
          op: "sgd \(name)", shapes: [parameters[name]?.shape ?? [], g.shape],
          expected: "a gradient of its parameter's shape")
      }
      if weightDecay != 0 {
        // torch: d_p = grad.add(param, alpha=weight_decay), one rounding of g + λ·W.
        let lambda = weightDecay
        g.values.withUnsafeMutableBufferPointer { d in
          w.values.withUnsafeBufferPointer { w in
            for i in 0..<d.count { d[i].addProduct(lambda, w[i]) }
          }
        }
      }
      let eta = learningRate
      if momentum == 0 {
        parameters[name]!.values.withUnsafeMutableBufferPointer { w in
          g.values.withUnsafeBufferPointer { g in
            for i in 0..<w.count { w[i].addProduct(-eta, g[i]) }
          }
        }
        continue
      }
      let mu = momentum
      guard velocity[name] != nil else {
        // PyTorch's first momentum step: v = g.
        velocity[name] = g.values
        parameters[name]!.values.withUnsafeMutableBufferPointer { w in
          g.values.withUnsafeBufferPointer { g in
            for i in 0..<w.count { w[i].addProduct(-eta, g[i]) }
          }
        }
        continue
      }
      parameters[name]!.values.withUnsafeMutableBufferPointer { w in
        velocity[name]!.withUnsafeMutableBufferPointer { v in
          g.values.withUnsafeBufferPointer { g in
            for i in 0..<w.count {
              v[i] = mu * v[i] + g[i]  // buf.mul_(μ) then .add_(d): two roundings, as torch
              w[i].addProduct(-eta, v[i])
            }
          }
        }
      }
    }
  }

  /// The Euclidean norm of all gradients together, ‖g‖ = √(Σ g²): squares added in Float over
  /// chunks of 4096 (16 lanes at a time; the workers take ranges of chunks), the chunks' sums in
  /// Double, in a fixed order — the same result whatever the number of workers.
  public static func norm(_ gradients: [String: Tensor32]) -> Double {
    let chunk = 4096
    var sum = 0.0
    for name in gradients.keys.sorted() {
      let values = gradients[name]!.values
      let chunks = (values.count + chunk - 1) / chunk
      var partials = [Double](repeating: 0, count: chunks)
      values.withUnsafeBufferPointer { gp in
        partials.withUnsafeMutableBufferPointer { pp in
          let (g, p, count) = (gp.baseAddress!, pp.baseAddress!, gp.count)
          FastPath.forEachShare(chunks, workers: FastPath.workers) { range in
            for c in range {
              let end = min((c + 1) * chunk, count)
              var i = c * chunk
              var lanes = SIMD16<Float>()
              while i + 16 <= end {
                let v = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
                lanes += v * v
                i += 16
              }
              var tail: Float = 0
              while i < end {
                tail += g[i] * g[i]
                i += 1
              }
              p[c] = Double(lanes.sum()) + Double(tail)
            }
          }
        }
      }
      for partial in partials { sum += partial }
    }
    return sum.squareRoot()
  }
}
