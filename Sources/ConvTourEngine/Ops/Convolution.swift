/// Convolution — as the documents note, a cross-correlation: the filter is not flipped.
///
/// x: [N, C, H, W] or [C, H, W]; W: [K, C, f_h, f_w] (K filters); b: [K] (when `hasBias`).
/// z: [N, K, H_out, W_out] (same form as x), H_out = ⌊(H + 2p_h − f_h)/s_h⌋ + 1, and so for W_out.
///
/// Forward (the VGG post's formula, 0-based, with the zero border s = h_p(x) folded in):
///   z(n, k, i, j) = b(k) + Σ_c Σ_l Σ_m s(n, c, i·s_h + l, j·s_w + m) · W(k, c, l, m)
/// Backward, given delta = ∂L/∂z:
///   ∂L/∂W(k, c, l, m) = Σ_n Σ_i Σ_j delta(n, k, i, j) · s(n, c, i·s_h + l, j·s_w + m)
///                       (the correlation of the input with delta)
///   ∂L/∂b(k)          = Σ_n Σ_i Σ_j delta(n, k, i, j)
///   ∂L/∂x             = each delta(n, k, i, j) sent back through the weights that used x
///                       (for stride 1: delta, zero-padded, convolved with the flipped filter)
/// The 1-D convolution of the textbook (12.1.2) is the case H = f_h = 1.
public struct Convolution: Operation {
  public var stride: Extent2D
  public var padding: Extent2D
  public var hasBias: Bool

  public init(stride: Int = 1, padding: Int = 0, hasBias: Bool = true) {
    self.init(stride: Extent2D(stride), padding: Extent2D(padding), hasBias: hasBias)
  }

  public init(stride: Extent2D, padding: Extent2D, hasBias: Bool = true) {
    self.stride = stride
    self.padding = padding
    self.hasBias = hasBias
  }

  public var name: String { "conv2d" }
  public var inputRoles: [String] { hasBias ? ["x", "W", "b"] : ["x", "W"] }
  /// The documents' convention: indices from 1, s = h_p(x) the input padded by p and counted
  /// from 1 (s(i+p, j+p) = x(i, j)), so the window of output row i starts at row S(i−1)+1 of s.
  public var formula: String {
    "z(i,j,k) = Σ_c Σ_l Σ_m s(\(Self.tap("i", "l", stride.rows)), \(Self.tap("j", "m", stride.columns)), c)·W(l,m,c,k)"
      + (hasBias ? " + b(k)" : "")
      + ",  s = h_\(padding)(x): s(i+\(padding.rows), j+\(padding.columns)) = x(i, j), "
      + "indices from 1"
  }
  public var backwardFormula: String {
    "∂L/∂W(l,m,c,k) = Σ_i Σ_j δ(i,j,k)·s(\(Self.tap("i", "l", stride.rows)), \(Self.tap("j", "m", stride.columns)), c);  "
      + "∂L/∂b(k) = Σ δ(·,·,k);  ∂L/∂x = δ * flip(W) (full convolution)"
  }

  /// The row of s that output row `i` reads with tap `l`, from 1: i+l−1, or S(i−1)+l for stride S.
  static func tap(_ i: String, _ l: String, _ stride: Int) -> String {
    stride == 1 ? "\(i)+\(l)−1" : "\(stride)(\(i)−1)+\(l)"
  }

  /// The shapes of x, W and z, checked.
  struct Geometry {
    var x: ImageShape
    var z: ImageShape
    var k: Int
    var fh: Int
    var fw: Int
  }

  func geometry(_ inputShapes: [[Int]]) throws -> Geometry {
    try checkInputCount(inputShapes)
    guard stride.rows > 0, stride.columns > 0 else {
      throw EngineError.invalidParameter(op: name, reason: "stride \(stride) must be positive")
    }
    guard padding.rows >= 0, padding.columns >= 0 else {
      throw EngineError.invalidParameter(op: name, reason: "padding \(padding) is negative")
    }
    let x = try ImageShape(inputShapes[0], op: name)
    let wShape = inputShapes[1]
    guard wShape.count == 4, wShape[1] == x.c, wShape[0] > 0, wShape[2] > 0, wShape[3] > 0 else {
      throw EngineError.shapeMismatch(
        op: name, shapes: Array(inputShapes.prefix(2)),
        expected: "W of shape [K, \(x.c), f_h, f_w] for x with \(x.c) channels")
    }
    let (k, fh, fw) = (wShape[0], wShape[2], wShape[3])
    if hasBias, inputShapes[2] != [k] {
      throw EngineError.shapeMismatch(
        op: name, shapes: [wShape, inputShapes[2]], expected: "b of shape [\(k)], one per filter")
    }
    guard
      let ho = Shape.windowCount(input: x.h, window: fh, stride: stride.rows, padding: padding.rows),
      let wo = Shape.windowCount(
        input: x.w, window: fw, stride: stride.columns, padding: padding.columns)
    else {
      throw EngineError.shapeMismatch(
        op: name, shapes: [inputShapes[0], wShape],
        expected: "a \(fh)×\(fw) filter that fits the input padded by \(padding)")
    }
    let z = ImageShape(n: x.n, c: k, h: ho, w: wo, batched: x.batched)
    return Geometry(x: x, z: z, k: k, fh: fh, fw: fw)
  }

  public func outputShape(_ inputShapes: [[Int]]) throws -> [Int] {
    try geometry(inputShapes).z.dims
  }

  public func forward(_ inputs: [Tensor]) throws -> Tensor {
    let g = try geometry(inputs.map(\.shape))
    let (x, W) = (inputs[0], inputs[1])
    var z = Tensor(zeros: g.z.dims)
    for n in 0..<g.z.n {
      for k in 0..<g.k {
        for i in 0..<g.z.h {
          for j in 0..<g.z.w {
            var sum = 0.0  // the products first, then the bias, in the order `explain` lists them
            for c in 0..<g.x.c {
              for l in 0..<g.fh {
                for m in 0..<g.fw {
                  let (r, q) = (i * stride.rows + l - padding.rows, j * stride.columns + m - padding.columns)
                  guard r >= 0, r < g.x.h, q >= 0, q < g.x.w else { continue }  // the zero border
                  sum += x.values[g.x.offset(n, c, r, q)] * W.values[((k * g.x.c + c) * g.fh + l) * g.fw + m]
                }
              }
            }
            if hasBias { sum += inputs[2].values[k] }
            z.values[g.z.offset(n, k, i, j)] = sum
          }
        }
      }
    }
    return z
  }

  public func backward(_ inputs: [Tensor], output: Tensor, delta: Tensor) throws -> [Tensor?] {
    try checkBackward(inputs, delta: delta)
    let g = try geometry(inputs.map(\.shape))
    let (x, W) = (inputs[0], inputs[1])
    var dx = Tensor(zeros: x.shape)
    var dW = Tensor(zeros: W.shape)
    var db = Tensor(zeros: [g.k])
    // The forward loop again; every product s·W that fed z(n, k, i, j) sends delta(n, k, i, j)
    // back to both of its factors.
    for n in 0..<g.z.n {
      for k in 0..<g.k {
        for i in 0..<g.z.h {
          for j in 0..<g.z.w {
            let d = delta.values[g.z.offset(n, k, i, j)]
            db.values[k] += d
            for c in 0..<g.x.c {
              for l in 0..<g.fh {
                for m in 0..<g.fw {
                  let (r, q) = (i * stride.rows + l - padding.rows, j * stride.columns + m - padding.columns)
                  guard r >= 0, r < g.x.h, q >= 0, q < g.x.w else { continue }
                  let xo = g.x.offset(n, c, r, q)
                  let wo = ((k * g.x.c + c) * g.fh + l) * g.fw + m
                  dW.values[wo] += d * x.values[xo]
                  dx.values[xo] += d * W.values[wo]
                }
              }
            }
          }
        }
      }
    }
    return hasBias ? [dx, dW, db] : [dx, dW]
  }

  /// z at `index` as its terms: one product s·W per filter element (channel, then row, then
  /// column), products in the zero border included with value 0, then the bias.
  public func explain(_ inputs: [Tensor], at index: [Int]) throws -> ElementExplanation {
    _ = try checkOutputIndex(index, inputs)
    let g = try geometry(inputs.map(\.shape))
    let (n, k, i, j) = g.z.split(index)
    var terms: [Term] = []
    for c in 0..<g.x.c {
      for l in 0..<g.fh {
        for m in 0..<g.fw {
          let (r, q) = (i * stride.rows + l - padding.rows, j * stride.columns + m - padding.columns)
          let inside = r >= 0 && r < g.x.h && q >= 0 && q < g.x.w
          let xValue = inside ? inputs[0].values[g.x.offset(n, c, r, q)] : 0
          terms.append(
            .product([
              Factor(input: 0, index: g.x.index(n, c, r, q), value: xValue, isPadding: !inside),
              Factor(input: 1, index: [k, c, l, m], value: inputs[1][k, c, l, m]),
            ]))
        }
      }
    }
    if hasBias {
      terms.append(.product([Factor(input: 2, index: [k], value: inputs[2].values[k])]))
    }
    let value = terms.reduce(0) { $0 + $1.value }
    return ElementExplanation(op: name, output: index, combination: .sum, terms: terms, value: value)
  }
}
