/// Max-pooling: each output is the largest element of its f_h × f_w window.
///
/// x: [N, C, H, W] or [C, H, W] → m: [N, C, H_out, W_out], H_out = ⌊(H − f_h)/s_h⌋ + 1.
/// Forward:  m(i, j) = max over the window of x; the element that won is recorded (the first
///           of equal maxima, in row-major order).
/// Backward: ∂L/∂x(r, q) = ∂L/∂m(i, j) if x(r, q) won window (i, j), else 0 — the gradient
///           goes only to each window's maximum. The dense Jacobian ∂m/∂x has exactly one 1
///           per row, so the engine stores only the winners.
public struct MaxPool: Operation {
  public var window: Extent2D
  public var stride: Extent2D

  public init(window: Int, stride: Int) {
    self.init(window: Extent2D(window), stride: Extent2D(stride))
  }

  public init(window: Extent2D, stride: Extent2D) {
    self.window = window
    self.stride = stride
  }

  public var name: String { "maxpool" }
  public var inputRoles: [String] { ["a"] }
  public var formula: String {
    "m(i,j,k) = max over u = 1…\(window.rows), v = 1…\(window.columns) of "
      + "a(\(Convolution.tap("i", "u", stride.rows)), \(Convolution.tap("j", "v", stride.columns)), k), indices from 1"
  }
  public var backwardFormula: String {
    "∂L/∂a(r,q,k) = ∂L/∂m(i,j,k) where a(r,q,k) won window (i,j); 0 elsewhere"
  }

  func geometry(_ inputShapes: [[Int]]) throws -> PoolWindow {
    try PoolWindow(inputShapes, window: window, stride: stride, op: name)
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try geometry(inputShapes).m.dims
  }

  /// For every element of m (row-major), the offset in x of the element that won its window.
  public func winners(_ x: Tensor) throws -> [Int] {
    let g = try geometry([x.shape])
    var result = Array(repeating: 0, count: Shape.count(g.m.dims))
    g.forEachOutput { e, ch, i, j, mo in
      let offsets = g.offsets(e, ch, i, j)
      var best = offsets[0]
      for o in offsets.dropFirst() where x.values[o] > x.values[best] { best = o }
      result[mo] = best
    }
    return result
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    let g = try geometry(inputs.map(\.shape))
    let x = inputs[0]
    var m = Tensor(zeros: g.m.dims)
    for (mo, xo) in try winners(x).enumerated() { m.values[mo] = x.values[xo] }
    return m
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    var dx = Tensor(zeros: inputs[0].shape)
    // Windows overlap when the stride is smaller than the window: sum what each element won.
    for (mo, xo) in try winners(inputs[0]).enumerated() { dx.values[xo] += delta.values[mo] }
    return [dx]
  }

  /// The window's elements as candidates (row by row), and which one won.
  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let g = try geometry(inputs.map(\.shape))
    let x = inputs[0]
    let (e, ch, i, j) = g.m.split(index)
    let offsets = g.offsets(e, ch, i, j)
    let terms = offsets.map { o in
      Term(
        factors: [Factor(input: 0, index: Shape.index(ofOffset: o, in: x.shape), value: x.values[o])],
        value: x.values[o])
    }
    // The window's winner as `winners` picks it (the first of equals), found in this window
    // alone: a trace explains one element at a time, so each must not cost the whole input.
    var position = 0
    for (k, o) in offsets.enumerated().dropFirst() where x.values[o] > x.values[offsets[position]] {
      position = k
    }
    let winner = offsets[position]
    return ElementExplanation(
      op: name, output: index, combination: .maximum(winner: position), terms: terms,
      value: x.values[winner])
  }
}
