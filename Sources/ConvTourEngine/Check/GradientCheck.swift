/// The textbook's delta method (001, 11.3) as a check on backward passes: nudge one input
/// element by ±Δ, see how the loss moves, and compare the slope with what backward says.
///
/// The loss is L = Σ_k w_k · y_k for a fixed weighting w of the op's output y, so that
/// ∂L/∂y = w and every output element takes part.
public enum GradientCheck {
  /// The central difference (L(v + Δ) − L(v − Δ)) / 2Δ for every element v of input `input`.
  public static func numericGradient(
    _ op: any Operation, inputs: [Tensor], weights w: Tensor, input: Int, step: Double = 1e-5
  ) throws -> Tensor {
    var nudged = inputs
    var gradient = Tensor(zeros: inputs[input].shape)
    func loss(_ inputs: [Tensor]) throws -> Double {
      let y = try op.forward(inputs)
      return zip(y.values, w.values).reduce(0) { $0 + $1.0 * $1.1 }
    }
    for k in inputs[input].values.indices {
      let v = inputs[input].values[k]
      nudged[input].values[k] = v + step
      let up = try loss(nudged)
      nudged[input].values[k] = v - step
      let down = try loss(nudged)
      nudged[input].values[k] = v
      gradient.values[k] = (up - down) / (2 * step)
    }
    return gradient
  }

  /// max |a − b| / max(max |a|, max |b|): the error relative to the gradient's scale
  /// (0 when both are zero; infinity when the shapes differ).
  public static func relativeError(_ a: Tensor, _ b: Tensor) -> Double {
    guard a.shape == b.shape else { return .infinity }
    let scale = max(a.maxAbs, b.maxAbs)
    guard scale > 0 else { return 0 }
    return zip(a.values, b.values).reduce(0) { max($0, abs($1.0 - $1.1)) } / scale
  }

  /// For every input with a gradient: the worst relative error between backward and the
  /// central difference, by input role.
  public static func compare(
    _ op: any Operation, inputs: [Tensor], weights w: Tensor, step: Double = 1e-5
  ) throws -> [(role: String, error: Double)] {
    let y = try op.forward(inputs)
    let analytic = try op.backward(inputs, output: y, delta: w)
    var result: [(role: String, error: Double)] = []
    for (k, gradient) in analytic.enumerated() {
      guard let gradient else { continue }
      let numeric = try numericGradient(op, inputs: inputs, weights: w, input: k, step: step)
      result.append((op.inputRoles[k], relativeError(gradient, numeric)))
    }
    return result
  }
}
