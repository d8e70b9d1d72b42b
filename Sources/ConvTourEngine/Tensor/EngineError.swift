/// Errors the engine throws instead of trapping: every one names the op and the shapes involved.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The inputs' shapes do not fit the op.
  case shapeMismatch(op: String, shapes: [[Int]], expected: String)
  /// A shape or parameter is invalid on its own.
  case invalidShape(op: String, shape: [Int], reason: String)
  /// An op's parameter (stride, window, padding…) is invalid.
  case invalidParameter(op: String, reason: String)
  /// The op was given the wrong number of inputs.
  case wrongInputCount(op: String, expected: String, got: Int)
  /// The op has no derivative (the Heaviside step) or none with respect to this input.
  case notDifferentiable(op: String, reason: String)
  /// An index outside a tensor.
  case indexOutOfRange(op: String, index: [Int], shape: [Int])

  public var description: String {
    switch self {
    case let .shapeMismatch(op, shapes, expected):
      let list = shapes.map(Shape.describe).joined(separator: ", ")
      return "\(op): shapes \(list) do not fit: expected \(expected)"
    case let .invalidShape(op, shape, reason):
      return "\(op): shape \(Shape.describe(shape)) is invalid: \(reason)"
    case let .invalidParameter(op, reason):
      return "\(op): \(reason)"
    case let .wrongInputCount(op, expected, got):
      return "\(op): expected \(expected), got \(got) input\(got == 1 ? "" : "s")"
    case let .notDifferentiable(op, reason):
      return "\(op): no backward: \(reason)"
    case let .indexOutOfRange(op, index, shape):
      return "\(op): index \(Shape.describe(index)) is outside shape \(Shape.describe(shape))"
    }
  }
}
