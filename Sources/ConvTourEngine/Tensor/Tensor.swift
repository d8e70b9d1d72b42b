/// A dense tensor of `Double`s: the reference path's value type.
///
/// Layout: row-major ("C order"): the last index varies fastest. For an index
/// (i₀, i₁, …, iₙ₋₁) of a tensor of shape (d₀, d₁, …, dₙ₋₁) the element sits at
/// offset ((i₀·d₁ + i₁)·d₂ + i₂)·… + iₙ₋₁ of `values`.
///
/// Images follow PyTorch's layout: [N, C, H, W] for a batch, [C, H, W] for one example;
/// filters are [K, C, f_h, f_w] (K filters of C channels). The documents index tensors as
/// (row, column, channel) from 1; the engine indexes from 0, and presentation adds 1.
/// A rank-0 tensor (shape []) holds one scalar, as a loss does.
public struct Tensor: Equatable, Sendable {
  public private(set) var shape: [Int]
  public var values: [Double]

  /// A tensor of the given shape and row-major values; throws when they do not match.
  public init(shape: [Int], values: [Double]) throws {
    guard shape.allSatisfy({ $0 >= 0 }) else {
      throw EngineError.invalidShape(op: "tensor", shape: shape, reason: "a dimension is negative")
    }
    guard Shape.count(shape) == values.count else {
      throw EngineError.invalidShape(
        op: "tensor", shape: shape,
        reason: "needs \(Shape.count(shape)) values, got \(values.count)")
    }
    self.shape = shape
    self.values = values
  }

  /// A tensor of the given shape filled with `value`.
  public init(zeros shape: [Int], value: Double = 0) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    self.shape = shape
    self.values = Array(repeating: value, count: Shape.count(shape))
  }

  /// A rank-0 tensor holding one scalar.
  public init(scalar: Double) {
    self.shape = []
    self.values = [scalar]
  }

  /// A rank-1 tensor.
  public init(vector: [Double]) {
    self.shape = [vector.count]
    self.values = vector
  }

  /// A rank-2 tensor from its rows; throws when the rows differ in length.
  public init(rows: [[Double]]) throws {
    let columns = rows.first?.count ?? 0
    guard rows.allSatisfy({ $0.count == columns }) else {
      throw EngineError.invalidShape(
        op: "tensor", shape: [rows.count, columns], reason: "rows differ in length")
    }
    self.shape = [rows.count, columns]
    self.values = rows.flatMap { $0 }
  }

  public var rank: Int { shape.count }
  public var count: Int { values.count }

  /// The value of a rank-0 (or one-element) tensor.
  public var scalar: Double? { values.count == 1 ? values[0] : nil }

  /// The row-major offset of a 0-based index. Traps on a bad index: callers check first.
  @inlinable
  public func offset(_ index: [Int]) -> Int {
    Shape.offset(index, in: shape)
  }

  public subscript(_ index: Int...) -> Double {
    get { values[offset(index)] }
    set { values[offset(index)] = newValue }
  }

  public subscript(index index: [Int]) -> Double {
    get { values[offset(index)] }
    set { values[offset(index)] = newValue }
  }

  /// The same values under another shape with the same number of elements (row-major order kept).
  public func reshaped(_ newShape: [Int]) throws -> Tensor {
    guard Shape.count(newShape) == count, newShape.allSatisfy({ $0 >= 0 }) else {
      throw EngineError.shapeMismatch(
        op: "reshape", shapes: [shape, newShape], expected: "the same number of elements")
    }
    return try Tensor(shape: newShape, values: values)
  }

  /// Applies `transform` to every element.
  public func map(_ transform: (Double) -> Double) -> Tensor {
    var result = self
    result.values = values.map(transform)
    return result
  }

  /// Combines two tensors of the same shape element by element.
  public func zipWith(_ other: Tensor, op: String, _ combine: (Double, Double) -> Double) throws
    -> Tensor
  {
    guard shape == other.shape else {
      throw EngineError.shapeMismatch(op: op, shapes: [shape, other.shape], expected: "equal shapes")
    }
    var result = self
    for i in values.indices { result.values[i] = combine(values[i], other.values[i]) }
    return result
  }

  /// Σ of all elements.
  public var sum: Double { values.reduce(0, +) }

  /// The largest absolute value (0 for an empty tensor).
  public var maxAbs: Double { values.reduce(0) { max($0, abs($1)) } }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    "Tensor\(Shape.describe(shape))"
  }
}
