/// Shape arithmetic shared by both paths. Shapes are arrays of dimensions, outermost first.
public enum Shape {
  /// Number of elements: the product of the dimensions (1 for a scalar's shape []); Int.max when
  /// the product does not fit in an Int, so a huge shape is an error to report, not a trap.
  @inlinable
  public static func count(_ shape: [Int]) -> Int {
    var product = 1
    for d in shape {
      let (next, overflow) = product.multipliedReportingOverflow(by: d)
      if overflow { return Int.max }
      product = next
    }
    return product
  }

  /// Row-major strides: strides[d] = product of the dimensions after d.
  @inlinable
  public static func strides(_ shape: [Int]) -> [Int] {
    var strides = Array(repeating: 1, count: shape.count)
    var running = 1
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[d] = running
      running *= shape[d]
    }
    return strides
  }

  /// Row-major offset of a 0-based index.
  @inlinable
  public static func offset(_ index: [Int], in shape: [Int]) -> Int {
    precondition(index.count == shape.count, "index \(index) does not fit shape \(shape)")
    var offset = 0
    for d in 0..<shape.count {
      precondition(index[d] >= 0 && index[d] < shape[d], "index \(index) outside shape \(shape)")
      offset = offset * shape[d] + index[d]
    }
    return offset
  }

  /// The 0-based index of a row-major offset.
  public static func index(ofOffset offset: Int, in shape: [Int]) -> [Int] {
    var index = Array(repeating: 0, count: shape.count)
    var rest = offset
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
      index[d] = rest % shape[d]
      rest /= shape[d]
    }
    return index
  }

  /// Whether a 0-based index lies inside the shape.
  public static func contains(_ index: [Int], in shape: [Int]) -> Bool {
    index.count == shape.count && zip(index, shape).allSatisfy { $0 >= 0 && $0 < $1 }
  }

  /// "(2, 3, 5, 5)", or "()" for a scalar.
  public static func describe(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  /// The output length of a sliding window: ⌊(n + 2p − f) / s⌋ + 1, or nil when the window
  /// does not fit (f > n + 2p) or a parameter is not positive.
  public static func windowCount(input n: Int, window f: Int, stride s: Int, padding p: Int = 0)
    -> Int?
  {
    guard f > 0, s > 0, p >= 0, n + 2 * p >= f else { return nil }
    return (n + 2 * p - f) / s + 1
  }
}
