/// How many operations (multiply-adds, comparisons) an op's forward takes per output element,
/// following the reference path's algorithm: what `LessonBudget` multiplies by the output's size.
/// Every `OpEntry` states its own, so a new op cannot be estimated by another op's rule.
public enum OpCost: Sendable {
  /// Each output element reads its share of the inputs: the elements read over the elements
  /// written, at least 1 (elementwise ops, activations, pooling, softmax, losses, reshapes).
  case readsPerOutput
  /// Each output element contracts one filter or one row of the weights, the second input: its
  /// elements over its first dimension (conv2d: C·f_h·f_w; fc: n_in).
  case weightRow
  /// Each output element is a dot product as long as the first input's last dimension (matmul).
  case innerDimension

  /// Operations per output element, for inputs of these shapes and `output` elements written.
  public func perElement(_ inputs: [[Int]], output: Double) -> Double {
    switch self {
    case .weightRow:
      if inputs.count > 1, let k = inputs[1].first, k > 0 { return Self.count(inputs[1]) / Double(k) }
    case .innerDimension:
      if let k = inputs.first?.last { return Double(max(1, k)) }
    case .readsPerOutput: break
    }
    let read = inputs.reduce(0.0) { $0 + Self.count($1) }
    return max(1, read / max(1, output))
  }

  /// Elements of a shape, as a Double (no overflow for absurd shapes).
  static func count(_ shape: [Int]) -> Double { shape.reduce(1.0) { $0 * Double(max(0, $1)) } }
}
