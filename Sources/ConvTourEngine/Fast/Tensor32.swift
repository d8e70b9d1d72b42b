/// A dense tensor of `Float`s: the fast path's value type, row-major like `Tensor`
/// (images [N, C, H, W], filters [K, C, f_h, f_w] — PyTorch's layouts).
public struct Tensor32: Equatable, Sendable {
  public private(set) var shape: [Int]
  public var values: [Float]

  public init(shape: [Int], values: [Float]) throws {
    guard shape.allSatisfy({ $0 >= 0 }), Shape.count(shape) == values.count else {
      throw EngineError.invalidShape(
        op: "tensor32", shape: shape, reason: "needs \(Shape.count(shape)) values, got \(values.count)")
    }
    self.shape = shape
    self.values = values
  }

  public init(zeros shape: [Int]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    self.shape = shape
    self.values = FastPath.zeros(Shape.count(shape))
  }

  /// A tensor whose every element the caller writes before reading (no zero-fill).
  init(uninitialized shape: [Int]) {
    self.shape = shape
    self.values = FastPath.uninitialized(Shape.count(shape))
  }

  /// The reference tensor's values rounded to Float.
  public init(_ tensor: Tensor) {
    self.shape = tensor.shape
    self.values = tensor.values.map { Float($0) }
  }

  public var count: Int { values.count }

  public func reshaped(_ newShape: [Int]) throws -> Tensor32 {
    guard Shape.count(newShape) == count, newShape.allSatisfy({ $0 >= 0 }) else {
      throw EngineError.shapeMismatch(
        op: "reshape", shapes: [shape, newShape], expected: "the same number of elements")
    }
    return try Tensor32(shape: newShape, values: values)
  }
}

extension Tensor {
  /// The fast path's values widened to Double.
  public init(_ tensor: Tensor32) {
    self.init(zeros: tensor.shape)
    values = tensor.values.map { Double($0) }
  }
}
