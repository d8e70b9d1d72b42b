/// Mean-pooling: each output is the mean of its f_h × f_w window.
///
/// x: [N, C, H, W] or [C, H, W] → m: [N, C, H_out, W_out], H_out = ⌊(H − f_h)/s_h⌋ + 1.
/// Forward:  m(i, j) = (1 / (f_h·f_w)) Σ over the window of x.
/// Backward: every element of window (i, j) receives ∂L/∂m(i, j) / (f_h·f_w).
public struct MeanPool: Operation {
  public var window: Extent2D
  public var stride: Extent2D

  public init(window: Int, stride: Int) {
    self.init(window: Extent2D(window), stride: Extent2D(stride))
  }

  public init(window: Extent2D, stride: Extent2D) {
    self.window = window
    self.stride = stride
  }

  public var name: String { "meanpool" }
  public var inputRoles: [String] { ["a"] }
  public var formula: String {
    "m(i,j,k) = mean over u = 1…\(window.rows), v = 1…\(window.columns) of "
      + "a(\(Convolution.tap("i", "u", stride.rows)), \(Convolution.tap("j", "v", stride.columns)), k), indices from 1"
  }
  public var backwardFormula: String {
    "∂L/∂a(r,q,k) = Σ over the windows (i,j) holding (r,q) of ∂L/∂m(i,j,k) / \(window.rows * window.columns)"
  }

  func geometry(_ inputShapes: [[Int]]) throws -> PoolWindow {
    try PoolWindow(inputShapes, window: window, stride: stride, op: name)
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try geometry(inputShapes).m.dims
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    let g = try geometry(inputs.map(\.shape))
    let x = inputs[0]
    let size = Double(window.rows * window.columns)
    var m = Tensor(zeros: g.m.dims)
    g.forEachOutput { e, ch, i, j, mo in
      m.values[mo] = g.offsets(e, ch, i, j).reduce(0) { $0 + x.values[$1] } / size
    }
    return m
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let g = try geometry(inputs.map(\.shape))
    let size = Double(window.rows * window.columns)
    var dx = Tensor(zeros: inputs[0].shape)
    g.forEachOutput { e, ch, i, j, mo in
      for o in g.offsets(e, ch, i, j) { dx.values[o] += delta.values[mo] / size }
    }
    return [dx]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let g = try geometry(inputs.map(\.shape))
    let x = inputs[0]
    let (e, ch, i, j) = g.m.split(index)
    let terms = g.offsets(e, ch, i, j).map { o in
      Term(
        factors: [Factor(input: 0, index: Shape.index(ofOffset: o, in: x.shape), value: x.values[o])],
        value: x.values[o])
    }
    let value = terms.reduce(0) { $0 + $1.value } / Double(terms.count)
    return ElementExplanation(op: name, output: index, combination: .mean, terms: terms, value: value)
  }
}
