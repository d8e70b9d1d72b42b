/// The sliding windows of a pooling layer (no padding, as in VGG-16).
///
/// x: [N, C, H, W] or [C, H, W] → m: [N, C, H_out, W_out], H_out = ⌊(H − f_h)/s_h⌋ + 1.
/// The VGG post writes the same relation as f = n + 2p − s(n_out − 1) for the window.
struct PoolWindow {
  var x: ImageShape
  var m: ImageShape
  var window: Extent2D
  var stride: Extent2D

  init(_ inputShapes: [[Int]], window: Extent2D, stride: Extent2D, op: String) throws {
    guard inputShapes.count == 1 else {
      throw EngineError.wrongInputCount(op: op, expected: "1 input (x)", got: inputShapes.count)
    }
    guard window.rows > 0, window.columns > 0, stride.rows > 0, stride.columns > 0 else {
      throw EngineError.invalidParameter(
        op: op, reason: "window \(window) and stride \(stride) must be positive")
    }
    x = try ImageShape(inputShapes[0], op: op)
    guard
      let ho = Shape.windowCount(input: x.h, window: window.rows, stride: stride.rows),
      let wo = Shape.windowCount(input: x.w, window: window.columns, stride: stride.columns)
    else {
      throw EngineError.shapeMismatch(
        op: op, shapes: [inputShapes[0]],
        expected: "an input of at least \(window.rows)×\(window.columns) per channel")
    }
    m = ImageShape(n: x.n, c: x.c, h: ho, w: wo, batched: x.batched)
    self.window = window
    self.stride = stride
  }

  /// The offsets into x of the window under m(e, ch, i, j), row by row.
  func offsets(_ e: Int, _ ch: Int, _ i: Int, _ j: Int) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(window.rows * window.columns)
    for l in 0..<window.rows {
      for q in 0..<window.columns {
        result.append(x.offset(e, ch, i * stride.rows + l, j * stride.columns + q))
      }
    }
    return result
  }

  /// Calls `body` with every output position and the offset of that output in m.
  func forEachOutput(_ body: (_ e: Int, _ ch: Int, _ i: Int, _ j: Int, _ mOffset: Int) -> Void) {
    for e in 0..<m.n {
      for ch in 0..<m.c {
        for i in 0..<m.h {
          for j in 0..<m.w { body(e, ch, i, j, m.offset(e, ch, i, j)) }
        }
      }
    }
  }
}
