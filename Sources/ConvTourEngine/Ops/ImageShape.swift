/// The dimensions of an image tensor: [N, C, H, W] (a batch) or [C, H, W] (one example,
/// taken as N = 1).
struct ImageShape: Equatable {
  var n: Int
  var c: Int
  var h: Int
  var w: Int
  /// Whether the tensor carries the batch dimension.
  var batched: Bool

  init(_ shape: [Int], op: String, role: String = "x") throws {
    switch shape.count {
    case 4: (n, c, h, w, batched) = (shape[0], shape[1], shape[2], shape[3], true)
    case 3: (n, c, h, w, batched) = (1, shape[0], shape[1], shape[2], false)
    default:
      throw EngineError.invalidShape(
        op: op, shape: shape, reason: "\(role) must be [N, C, H, W] or [C, H, W]")
    }
  }

  init(n: Int, c: Int, h: Int, w: Int, batched: Bool) {
    (self.n, self.c, self.h, self.w, self.batched) = (n, c, h, w, batched)
  }

  /// The shape in the same form (batched or not) as the input it came from.
  var dims: [Int] { batched ? [n, c, h, w] : [c, h, w] }

  /// Row-major offset of (example, channel, row, column).
  @inline(__always)
  func offset(_ e: Int, _ ch: Int, _ i: Int, _ j: Int) -> Int {
    ((e * c + ch) * h + i) * w + j
  }

  /// The full 4-index (example, channel, row, column) of an index in this form.
  func split(_ index: [Int]) -> (e: Int, ch: Int, i: Int, j: Int) {
    batched ? (index[0], index[1], index[2], index[3]) : (0, index[0], index[1], index[2])
  }

  /// An index in this form from (example, channel, row, column).
  func index(_ e: Int, _ ch: Int, _ i: Int, _ j: Int) -> [Int] {
    batched ? [e, ch, i, j] : [ch, i, j]
  }
}

/// A window's size, or a stride or padding, along rows and columns.
public struct Extent2D: Equatable, Sendable, CustomStringConvertible {
  public var rows: Int
  public var columns: Int

  public init(_ rows: Int, _ columns: Int) {
    self.rows = rows
    self.columns = columns
  }

  /// The same value along rows and columns.
  public init(_ both: Int) { self.init(both, both) }

  public var description: String { rows == columns ? "\(rows)" : "\(rows)×\(columns)" }
}
