/// An engine operation: it reads named input tensors and writes one output tensor.
///
/// Every op keeps three things together, in the documents' notation:
/// - `forward`: the output from the inputs;
/// - `backward`: the vector–Jacobian product: given the inputs, the forward output and
///   delta = ∂L/∂output, it returns ∂L/∂input for every input (nil for an input that is a
///   constant, such as a label);
/// - `explain`: the terms that made one output element (the 27 products and the bias of
///   z(1,1,1) for a 3×3×3 filter), for the explainer to show.
///
/// Inputs are positional; `inputRoles` names them (["x", "W", "b"] for a convolution).
public protocol Operation: Sendable {
  /// A short name: "conv2d", "maxpool", "softmax"…
  var name: String { get }
  /// The names of the inputs, in order, in the documents' notation.
  var inputRoles: [String] { get }
  /// The forward formula in plain Unicode math.
  var formula: String { get }
  /// The backward rule in plain Unicode math.
  var backwardFormula: String { get }

  /// The output's shape for these input shapes; throws an error naming the op and the shapes
  /// when they do not fit.
  func outputShape(_ inputShapes: [[Int]]) throws -> [Int]
  func forward(_ inputs: [Tensor]) throws -> Tensor
  func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?]
  /// The terms that make the output element at a 0-based index.
  func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation
}

extension Operation {
  /// Throws unless there are exactly as many inputs as roles.
  func checkInputCount(_ inputs: [[Int]]) throws {
    guard inputs.count == inputRoles.count else {
      throw EngineError.wrongInputCount(
        op: name, expected: "\(inputRoles.count) inputs (\(inputRoles.joined(separator: ", ")))",
        got: inputs.count)
    }
  }

  /// Checks the inputs and that `delta` has the shape of their forward output.
  func checkBackward(_ inputs: [Tensor], delta: Tensor) throws {
    let shape = try outputShape(inputs.map(\.shape))
    guard delta.shape == shape else {
      throw EngineError.shapeMismatch(
        op: "\(name) backward", shapes: [delta.shape, shape],
        expected: "delta = ∂L/∂output of the output's shape")
    }
  }

  /// Throws unless the index lies inside the output of these inputs.
  func checkOutputIndex(_ index: [Int], _ inputs: [Tensor]) throws -> [Int] {
    let shape = try outputShape(inputs.map(\.shape))
    guard Shape.contains(index, in: shape) else {
      throw EngineError.indexOutOfRange(op: name, index: index, shape: shape)
    }
    return shape
  }
}
