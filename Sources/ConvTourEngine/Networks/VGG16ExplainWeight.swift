/// ∂J/∂W of one weight of a VGG-16 run, as the sum over positions (and examples) of δz·s,
/// explained by the reference ops (Double) from the fast path's stored tensors (Float32).
public struct VGG16WeightExplanation: Sendable {
  public var layer: Int
  /// The weight, 0-based: [k, c, l, m] for a convolution, [i, j] for a fully connected layer.
  public var index: [Int]
  /// One term per position (and example): δz·s for a convolution, δz(i)·a(j) for fc.
  public var explanation: ElementExplanation
  public var roles: [String]
  /// The fast path's ∂J/∂W at the index (Float32), when given.
  public var fastValue: Float?
}

extension VGG16Explain {
  /// Explains ∂J/∂W at `index` of layer k (a convolution or a fully connected layer) after a
  /// backward run recorded by `recorder` (layers k − 1 and k); `x` is the network's input.
  ///
  /// For a convolution, ∂J/∂W(k, c, l, m) = Σ_n Σ_i,j s(n, c, i+l−1, j+m−1)·δz(n, k, i, j) is itself
  /// a padded convolution: of the examples' channel c of s (as channels) by δz's plane k (as one
  /// H × W filter), at output (l, m). The reference convolution's `explain` lists its terms.
  public static func weightGradient(
    _ parameters: VGG16Parameters, layer k: Int, input x: Tensor32, recorder: VGG16Recorder, at index: [Int],
    fast: Tensor32? = nil
  ) throws -> VGG16WeightExplanation {
    let layer = parameters.architecture.layers[k]
    guard let shape = layer.weightShape else {
      throw EngineError.invalidParameter(op: layer.name, reason: "this layer has no weights")
    }
    guard index.count == shape.count, Shape.contains(index, in: shape) else {
      throw EngineError.indexOutOfRange(op: "\(layer.name) W", index: index, shape: shape)
    }
    let s = k == 0 ? x : recorder.outputs[k - 1]
    guard let s else {
      throw EngineError.invalidParameter(op: layer.name, reason: "no forward pass recorded below this layer")
    }
    let dz = try maskedDelta(recorder, k, layer)
    var e: ElementExplanation
    switch layer.kind {
    case .convolution where layer.kernel != 3 || layer.stride != 1 || layer.padding != 1:
      e = generalWeightTerms(s, dz, layer, at: index)
    case .convolution:
      let (f, c, l, m) = (index[0], index[1], index[2], index[3])
      let (examples, h, w) = (s.shape[0], s.shape[2], s.shape[3])
      let plane = h * w
      var sc = [Double](repeating: 0, count: examples * plane)
      var dk = [Double](repeating: 0, count: examples * plane)
      for n in 0..<examples {
        for p in 0..<plane {
          sc[n * plane + p] = Double(s.values[(n * s.shape[1] + c) * plane + p])
          dk[n * plane + p] = Double(dz.values[(n * dz.shape[1] + f) * plane + p])
        }
      }
      let local = try Convolution(stride: 1, padding: 1, hasBias: false).explain(
        [
          try Tensor(shape: [1, examples, h, w], values: sc),
          try Tensor(shape: [1, examples, h, w], values: dk),
        ],
        at: [0, 0, l, m])
      e = local.moving { input, at in input == 0 ? [at[1], c, at[2], at[3]] : [at[1], f, at[2], at[3]] }
    default:
      let (i, j) = (index[0], index[1])
      let (examples, nIn, nOut) = (s.shape[0], shape[1], shape[0])
      let terms = (0..<examples).map { n in
        Term.product([
          Factor(input: 1, index: [n, i], value: Double(dz.values[n * nOut + i])),
          Factor(input: 0, index: [n, j], value: Double(s.values[n * nIn + j])),
        ])
      }
      e = ElementExplanation(
        op: "fc ∂W", output: index, combination: .sum, terms: terms, value: terms.reduce(0) { $0 + $1.value })
    }
    e.output = index
    return VGG16WeightExplanation(
      layer: k, index: index, explanation: e, roles: layer.kind == .convolution ? ["s", "δz"] : ["a", "δz"],
      fastValue: fast.map { $0.values[Shape.offset(index, in: $0.shape)] })
  }

  /// ∂J/∂W(f, c, l, m) for any kernel, stride and padding: Σ over examples n and outputs (i, j)
  /// of s(n, c, i·st + l − p, j·st + m − p)·δz(n, f, i, j), 0-based, the zero border left out.
  static func generalWeightTerms(
    _ s: Tensor32, _ dz: Tensor32, _ layer: NetworkArchitecture.Layer, at index: [Int]
  ) -> ElementExplanation {
    let (f, c, l, m) = (index[0], index[1], index[2], index[3])
    let (h, w, ho, wo) = (s.shape[2], s.shape[3], dz.shape[2], dz.shape[3])
    var terms: [Term] = []
    for n in 0..<s.shape[0] {
      for i in 0..<ho {
        let r = i * layer.stride + l - layer.padding
        guard (0..<h).contains(r) else { continue }
        for j in 0..<wo {
          let q = j * layer.stride + m - layer.padding
          guard (0..<w).contains(q) else { continue }
          terms.append(
            Term.product([
              Factor(
                input: 0, index: [n, c, r, q], value: Double(s.values[((n * s.shape[1] + c) * h + r) * w + q])
              ),
              Factor(
                input: 1, index: [n, f, i, j],
                value: Double(dz.values[((n * dz.shape[1] + f) * ho + i) * wo + j])),
            ]))
        }
      }
    }
    return ElementExplanation(
      op: "conv2d ∂W", output: index, combination: .sum, terms: terms,
      value: terms.reduce(0) { $0 + $1.value })
  }
}
