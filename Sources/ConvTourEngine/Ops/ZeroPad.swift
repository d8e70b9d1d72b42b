/// Zero padding, the VGG post's s = h_p(x): p borders of zeros around every channel.
///
/// x: [N, C, H, W] or [C, H, W]  →  s: [N, C, H + 2p_h, W + 2p_w] (same form as x).
/// Forward:  s(i + p_h, j + p_w) = x(i, j); the border is 0.
/// Backward: the border's gradient is dropped: ∂L/∂x(i, j) = ∂L/∂s(i + p_h, j + p_w).
public struct ZeroPad: Operation {
  public var padding: Extent2D

  public init(_ p: Int) { self.padding = Extent2D(p) }
  public init(padding: Extent2D) { self.padding = padding }

  public var name: String { "pad" }
  public var inputRoles: [String] { ["x"] }
  public var formula: String { "s = h_p(x): s(i+p, j+p) = x(i, j), 0 on the \(padding) border(s)" }
  public var backwardFormula: String { "∂L/∂x(i, j) = ∂L/∂s(i+p, j+p)" }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try checkInputCount(inputShapes)
    guard padding.rows >= 0, padding.columns >= 0 else {
      throw EngineError.invalidParameter(op: name, reason: "padding \(padding) is negative")
    }
    var x = try ImageShape(inputShapes[0], op: name)
    x.h += 2 * padding.rows
    x.w += 2 * padding.columns
    return x.dims
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    var s = Tensor(zeros: try outputShape(inputs.map(\.shape)))
    let x = inputs[0]
    let xs = try ImageShape(x.shape, op: name)
    let ss = try ImageShape(s.shape, op: name)
    for e in 0..<xs.n {
      for ch in 0..<xs.c {
        for i in 0..<xs.h {
          for j in 0..<xs.w {
            s.values[ss.offset(e, ch, i + padding.rows, j + padding.columns)] =
              x.values[xs.offset(e, ch, i, j)]
          }
        }
      }
    }
    return s
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let xs = try ImageShape(inputs[0].shape, op: name)
    let ss = try ImageShape(delta.shape, op: name)
    var dx = Tensor(zeros: inputs[0].shape)
    for e in 0..<xs.n {
      for ch in 0..<xs.c {
        for i in 0..<xs.h {
          for j in 0..<xs.w {
            dx.values[xs.offset(e, ch, i, j)] =
              delta.values[ss.offset(e, ch, i + padding.rows, j + padding.columns)]
          }
        }
      }
    }
    return [dx]
  }

  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    let shape = try checkOutputIndex(index, inputs)
    let ss = try ImageShape(shape, op: name)
    let (e, ch, i, j) = ss.split(index)
    let xs = try ImageShape(inputs[0].shape, op: name)
    let source = xs.index(e, ch, i - padding.rows, j - padding.columns)
    let inside = Shape.contains(source, in: inputs[0].shape)
    let value = inside ? inputs[0][index: source] : 0
    let factor = Factor(input: 0, index: source, value: value, isPadding: !inside)
    return ElementExplanation(
      op: name, output: index, combination: .function("copy"),
      terms: [Term(factors: [factor], value: value)], value: value)
  }
}
