/// Dense Jacobians and forward-mode tangents, built from an op's backward pass.
///
/// Row j of ∂y/∂x is the backward pass with delta = e_j (the j-th unit tensor). These are for
/// the small tensors of lessons: the cost is one backward pass per output element.
public enum Jacobian {
  /// ∂y/∂(input k) as a matrix [y.count, x_k.count]: J(j, i) = ∂y_j/∂x_i, both in row-major
  /// element order. Nil when input k is a constant (its gradient is nil).
  public static func matrix(_ op: any Operation, inputs: [Tensor], input k: Int) throws -> Tensor? {
    try matrices(op, inputs: inputs)[k]
  }

  /// ∂y/∂(input k) for every input at once (nil for constants).
  public static func matrices(_ op: any Operation, inputs: [Tensor]) throws -> [Tensor?] {
    let y = try op.forward(inputs)
    var result: [Tensor?] = inputs.map { Tensor(zeros: [y.count, $0.count]) }
    var unit = Tensor(zeros: y.shape)
    for j in 0..<y.count {
      unit.values[j] = 1
      let rows = try op.backward(inputs, output: y, delta: unit)
      unit.values[j] = 0
      for (k, row) in rows.enumerated() {
        guard let row else {
          result[k] = nil
          continue
        }
        guard result[k] != nil else { continue }
        let width = inputs[k].count
        result[k]!.values.replaceSubrange((j * width)..<((j + 1) * width), with: row.values)
      }
    }
    return result
  }

  /// The forward-mode tangent of the output, ẏ = Σ_k (∂y/∂x_k)·ẋ_k, for input tangents ẋ_k
  /// (nil: the input does not move). This is what a dual number a + bΔ carries in its b.
  public static func tangent(_ op: any Operation, inputs: [Tensor], tangents: [Tensor?]) throws -> Tensor {
    let y = try op.forward(inputs)
    var result = Tensor(zeros: y.shape)
    guard tangents.contains(where: { $0 != nil }) else { return result }
    let jacobians = try matrices(op, inputs: inputs)
    for (k, tangent) in tangents.enumerated() {
      guard let tangent, let J = jacobians[k] else { continue }
      let width = tangent.count
      for j in 0..<y.count {
        var sum = 0.0
        for i in 0..<width where tangent.values[i] != 0 { sum += J.values[j * width + i] * tangent.values[i] }
        result.values[j] += sum
      }
    }
    return result
  }
}
