import Foundation

/// Softmax and cross-entropy fused, on the fast path: z [m, n] scores and y [m, n] label
/// distributions → J = (1/m)·Σ_e −Σ_i y(e,i)·log softmax(z(e))_i; ∂J/∂z = (a·Σy − y)/m,
/// which is (a − y)/m for one-hot labels. Same contract as `SoftmaxCrossEntropy`; sums run in
/// Double so that 1000 classes lose nothing.
public struct FastSoftmaxCrossEntropy: Sendable {
  public init() {}

  /// The loss J, the probabilities a = softmax(z) and ∂J/∂z.
  public func forwardBackward(z: Tensor32, y: Tensor32) throws
    -> (loss: Float, probabilities: Tensor32, dz: Tensor32)
  {
    let fused = try forwardBackward(z: z, y: y, batch: z.shape.first ?? 0)
    return (fused.loss, fused.probabilities, fused.dz)
  }

  /// The same for m examples of a batch of `batch` (a lane of it): J and ∂J/∂z divide by
  /// `batch`, and `sum` is the lane's Σ_e L(e) in Double, for the batch's J to be summed from.
  func forwardBackward(z: Tensor32, y: Tensor32, batch: Int) throws
    -> (loss: Float, sum: Double, probabilities: Tensor32, dz: Tensor32)
  {
    let g = try LossShape([z.shape, y.shape], op: "softmax_cross_entropy", roles: ["z", "y"])
    let divisor = Double(max(1, batch))
    var a = z
    var dz = z
    var total = 0.0
    for e in 0..<g.m {
      let range = (e * g.n)..<((e + 1) * g.n)
      let top = z.values[range].max() ?? 0
      var sum = 0.0
      for k in range { sum += Double(Foundation.exp(z.values[k] - top)) }
      let logSum = Foundation.log(sum)
      var ySum = 0.0
      for k in range {
        let logA = Double(z.values[k] - top) - logSum
        a.values[k] = Float(Foundation.exp(logA))
        if y.values[k] != 0 { total -= Double(y.values[k]) * logA }
        ySum += Double(y.values[k])
      }
      for k in range {
        dz.values[k] = Float((Double(a.values[k]) * ySum - Double(y.values[k])) / divisor)
      }
    }
    return (Float(total / divisor), total, a, dz)
  }
}
