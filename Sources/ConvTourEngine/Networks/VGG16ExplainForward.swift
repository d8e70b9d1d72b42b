/// One element of a VGG-16 run, explained by the reference ops (Double) from the tensors the fast
/// path computed (Float32): the lessons and the full network share one definition of "the terms of
/// an element".
///
/// Each op's `explain` runs on the small part of its inputs the element reads (the 3×3 window of
/// every input channel and one filter for a convolution; one row of W for a fully connected layer),
/// and the factors' indices are moved back to the full tensors' coordinates.
public struct VGG16Explanation: Sendable {
  /// The layer's position in `architecture.layers`.
  public var layer: Int
  /// The element, 0-based, in storage order: [n, c, i, j] (example, channel, row, column) for
  /// images, [n, j] for vectors.
  public var index: [Int]
  /// The op's terms: for a convolution or a fully connected layer those of z, before the ReLU.
  /// Factor indices are into the full tensors named by `roles`, 0-based; a convolution's "s" is
  /// its input padded by p (the documents' s = h_p(x)), so s's index is the input's plus p and
  /// the zero border is rows and columns 0…p−1 and H+p… of s.
  public var explanation: ElementExplanation
  /// The names of the explanation's inputs, in the documents' notation (["s", "W", "b"]).
  public var roles: [String]
  /// The element's value in Double: max{z, 0} when the layer has a ReLU, else the op's value.
  public var value: Double
  /// Whether the layer applies a ReLU after its op.
  public var hasReLU: Bool
  /// What the fast path stored for the element (Float32).
  public var fastValue: Float
}

public enum VGG16Explain {
  /// Explains output element `index` of layer `k`, whose input is `input` (the previous layer's
  /// output, or x) and whose output the fast path stored as `output`.
  public static func forward(
    _ parameters: VGG16Parameters, layer k: Int, input: Tensor32, output: Tensor32, at index: [Int]
  ) throws -> VGG16Explanation {
    let layer = parameters.architecture.layers[k]
    guard index.count == output.shape.count, Shape.contains(index, in: output.shape) else {
      throw EngineError.indexOutOfRange(op: layer.name, index: index, shape: output.shape)
    }
    let fast = output.values[Shape.offset(index, in: output.shape)]
    var relu = false
    var (e, roles): (ElementExplanation, [String])
    switch layer.kind {
    case .convolution:
      relu = layer.relu
      let (n, c, i, j) = (index[0], index[1], index[2], index[3])
      let (W, b) = (parameters.weight(layer), parameters.bias(layer))
      let filter = Tensor(Slice.rows(of: W, c, count: 1))
      let bias = Tensor(vector: [Double(b.values[c])])
      let window: Window
      let local: ElementExplanation
      if layer.kernel == 3, layer.stride == 1, layer.padding == 1 {
        window = Window(around: i, j, in: input.shape, reach: 1)
        local = try Convolution(stride: 1, padding: 1).explain(
          [window.crop(input, example: n), filter, bias], at: [0, 0, i - window.top, j - window.left])
      } else {
        // The receptive field itself, its zero border included, convolved once without padding.
        let f = layer.kernel
        window = Window(
          top: i * layer.stride - layer.padding, left: j * layer.stride - layer.padding, rows: f, columns: f)
        local = try Convolution(stride: 1, padding: 0).explain(
          [window.cropPadded(input, example: n), filter, bias], at: [0, 0, 0, 0])
      }
      // s is the input padded by p, as the documents have it (s(i+p, j+p) = x(i, j)): an input
      // row r (0-based, −p … H+p−1 with the zero border) is row r + p of s.
      let p = layer.padding
      let (h, w) = (input.shape[2], input.shape[3])
      e = local.moving { input, at in
        switch input {
        case 0:
          let r = window.full(at, example: n)
          return [r[0], r[1], r[2] + p, r[3] + p]
        case 1: return [c] + at.dropFirst()
        default: return [c]
        }
      }
      // Factors of the zero border lie outside the image: padding, as the padded op marks them.
      for t in e.terms.indices {
        for f in e.terms[t].factors.indices where e.terms[t].factors[f].input == 0 {
          let at = e.terms[t].factors[f].index
          if !(p..<(h + p)).contains(at[2]) || !(p..<(w + p)).contains(at[3]) {
            e.terms[t].factors[f].isPadding = true
          }
        }
      }
      roles = ["s", "W", "b"]
    case .maxPool, .averagePool:
      let (n, c, i, j) = (index[0], index[1], index[2], index[3])
      let f = layer.kernel
      let window = Window(top: layer.stride * i, left: layer.stride * j, rows: f, columns: f)
      let crop = [window.crop(input, example: n, channel: c)]
      let local =
        layer.kind == .maxPool
        ? try MaxPool(window: f, stride: f).explain(crop, at: [0, 0, 0, 0])
        : try MeanPool(window: f, stride: f).explain(crop, at: [0, 0, 0, 0])
      e = local.moving { _, at in window.full([at[0], c, at[2], at[3]], example: n) }
      roles = ["a"]
    case .flatten:
      let source = Shape.index(ofOffset: Shape.offset(index, in: output.shape), in: input.shape)
      let value = Double(input.values[Shape.offset(source, in: input.shape)])
      e = ElementExplanation(
        op: "flatten", output: index, combination: .function("copy"),
        terms: [Term(factors: [Factor(input: 0, index: source, value: value)], value: value)], value: value)
      roles = ["m"]
    case .fullyConnected(let hasReLU):
      relu = hasReLU
      let (n, i) = (index[0], index[1])
      let (W, b) = (parameters.weight(layer), parameters.bias(layer))
      let local = try FullyConnected().explain(
        [
          Tensor(Slice.rows(of: input, n, count: 1)), Tensor(Slice.rows(of: W, i, count: 1)),
          Tensor(vector: [Double(b.values[i])]),
        ],
        at: [0, 0])
      e = local.moving { input, at in
        switch input {
        case 0: [n, at[1]]
        case 1: [i, at[1]]
        default: [i]
        }
      }
      roles = ["a", "W", "b"]
    case .softmax:
      let n = index[0]
      let local = try Softmax().explain([Tensor(Slice.rows(of: input, n, count: 1))], at: [0, index[1]])
      e = local.moving { _, at in [n, at[1]] }
      roles = ["z"]
    }
    e.output = index
    return VGG16Explanation(
      layer: k, index: index, explanation: e, roles: roles, value: relu ? max(e.value, 0) : e.value,
      hasReLU: relu, fastValue: fast)
  }
}

/// A rectangle of rows and columns of an image, clipped to it: the part of a tensor an element
/// reads.
struct Window {
  var top: Int, left: Int, rows: Int, columns: Int

  init(top: Int, left: Int, rows: Int, columns: Int) {
    (self.top, self.left, self.rows, self.columns) = (top, left, rows, columns)
  }

  /// Rows i − reach … i + reach and the same columns, clipped to [C, H, W] or [M, C, H, W]'s H × W.
  /// Cropping to it keeps a padded convolution's zero border where it was: the crop's edge is
  /// the image's edge exactly where the window leaves the image.
  init(around i: Int, _ j: Int, in shape: [Int], reach: Int) {
    let (h, w) = (shape[shape.count - 2], shape[shape.count - 1])
    let (top, left) = (max(0, i - reach), max(0, j - reach))
    self.init(top: top, left: left, rows: min(h, i + reach + 1) - top, columns: min(w, j + reach + 1) - left)
  }

  /// [1, C, rows, columns] (or [1, 1, …] for one channel) of example n of t: [M, C, H, W], in Double.
  func crop(_ t: Tensor32, example n: Int, channel: Int? = nil) -> Tensor {
    let (c, h, w) = (t.shape[1], t.shape[2], t.shape[3])
    let channels = channel.map { [$0] } ?? Array(0..<c)
    var values: [Double] = []
    values.reserveCapacity(channels.count * rows * columns)
    for ch in channels {
      for r in top..<(top + rows) {
        let base = ((n * c + ch) * h + r) * w + left
        for q in 0..<columns { values.append(Double(t.values[base + q])) }
      }
    }
    return try! Tensor(shape: [1, channels.count, rows, columns], values: values)
  }

  /// [1, C, rows, columns] of example n of t: [M, C, H, W], in Double, the rows and columns
  /// outside the image (a convolution's zero border) as 0.
  func cropPadded(_ t: Tensor32, example n: Int) -> Tensor {
    let (c, h, w) = (t.shape[1], t.shape[2], t.shape[3])
    var values = [Double](repeating: 0, count: c * rows * columns)
    for ch in 0..<c {
      for r in 0..<rows where (0..<h).contains(top + r) {
        for q in 0..<columns where (0..<w).contains(left + q) {
          values[(ch * rows + r) * columns + q] = Double(
            t.values[((n * c + ch) * h + top + r) * w + left + q])
        }
      }
    }
    return try! Tensor(shape: [1, c, rows, columns], values: values)
  }

  /// A crop's index [0, c, r, q] back in the full tensor: [n, c, top + r, left + q]. Indices in
  /// the zero border stay outside the image (row −1, or row H).
  func full(_ at: [Int], example n: Int) -> [Int] { [n, at[1], top + at[2], left + at[3]] }
}

/// Leading rows of a tensor as a tensor of their own.
enum Slice {
  /// Rows first … first + count − 1 along the first axis of t, as [count, …rest].
  static func rows(of t: Tensor32, _ first: Int, count: Int) -> Tensor32 {
    let row = t.count / max(1, t.shape[0])
    return try! Tensor32(
      shape: [count] + t.shape.dropFirst(), values: Array(t.values[(first * row)..<((first + count) * row)]))
  }
}

extension ElementExplanation {
  /// The same explanation with every factor's index moved by `place(input, index)`.
  func moving(_ place: (Int, [Int]) -> [Int]) -> ElementExplanation {
    var moved = self
    for t in moved.terms.indices {
      for f in moved.terms[t].factors.indices {
        let factor = moved.terms[t].factors[f]
        moved.terms[t].factors[f].index = place(factor.input, factor.index)
      }
    }
    return moved
  }
}
