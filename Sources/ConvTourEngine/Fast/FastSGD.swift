/// The fused update of stochastic gradient descent with momentum, as `torch.optim.SGD` takes it
/// (dampening 0, no weight decay, not Nesterov), in Float32 on every parameter tensor:
///
///   momentum 0:  W ← W − η·g
///   momentum μ:  v ← μ·v + g  (v = g on the first step),  W ← W − η·v
///
/// One pass over each tensor reads W, g (and v) and writes W (and v) in place: for VGG-16's
/// 138 million parameters that is the 553 MB of weights streamed once, with nothing allocated
/// but the velocity buffers of the first momentum step.
public struct FastSGD: Sendable {
  public var learningRate: Float
  public var momentum: Float
  /// The momentum buffers v by parameter name (empty until the first step with momentum).
  public private(set) var velocity: [String: [Float]] = [:]

  public init(learningRate: Float, momentum: Float = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
  }

  /// Updates every parameter that has a gradient. Gradients must have their parameter's shape.
  public mutating func step(_ parameters: inout [String: Tensor32], gradients: [String: Tensor32]) throws {
    for name in gradients.keys.sorted() {
      let g = gradients[name]!
      guard let w = parameters[name], w.shape == g.shape else {
        throw EngineError.shapeMismatch(
          op: "sgd \(name)", shapes: [parameters[name]?.shape ?? [], g.shape],
          expected: "a gradient of its parameter's shape")
      }
      let eta = learningRate
      if momentum == 0 {
        parameters[name]!.values.withUnsafeMutableBufferPointer { w in
          g.values.withUnsafeBufferPointer { g in
            for i in 0..<w.count { w[i] -= eta * g[i] }
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
            for i in 0..<w.count { w[i] -= eta * g[i] }
          }
        }
        continue
      }
      parameters[name]!.values.withUnsafeMutableBufferPointer { w in
        velocity[name]!.withUnsafeMutableBufferPointer { v in
          g.values.withUnsafeBufferPointer { g in
            for i in 0..<w.count {
              v[i] = mu * v[i] + g[i]
              w[i] -= eta * v[i]
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
