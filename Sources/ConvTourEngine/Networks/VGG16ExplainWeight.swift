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
  /// backward run recorded by `recorder` (layers k − 1 and k); `x` is the network's input. The
  /// fast path's value to compare with is `fastValue`, or read from its whole ∂J/∂W `fast`.
  ///
  /// For a convolution, ∂J/∂W(k, c, l, m) = Σ_n Σ_i,j s(n, c, S(i−1)+l, S(j−1)+m)·δz(n, k, i, j)
  /// (1-based, s the input padded by p): one term per example and output position, in that order.
  public static func weightGradient(
    _ parameters: VGG16Parameters, layer k: Int, input x: Tensor32, recorder: VGG16Recorder, at index: [Int],
    fast: Tensor32? = nil, fastValue: Float? = nil
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
    case .convolution:
      e = generalWeightTerms(s, dz, layer, at: index)
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
      fastValue: fastValue ?? fast.map { $0.values[Shape.offset(index, in: $0.shape)] })
  }

  /// ∂J/∂W(f, c, l, m) for any kernel, stride and padding: Σ over examples n and outputs (i, j)
  /// of s(n, c, i·st + l, j·st + m)·δz(n, f, i, j), 0-based, s the input padded by p (so s's row
  /// r is the input's row r − p); the zero border's products are listed as padding, of value 0.
  static func generalWeightTerms(
    _ s: Tensor32, _ dz: Tensor32, _ layer: NetworkArchitecture.Layer, at index: [Int]
  ) -> ElementExplanation {
    let (f, c, l, m) = (index[0], index[1], index[2], index[3])
    let (h, w, ho, wo) = (s.shape[2], s.shape[3], dz.shape[2], dz.shape[3])
    let p = layer.padding
    var terms: [Term] = []
    terms.reserveCapacity(s.shape[0] * ho * wo)
    for n in 0..<s.shape[0] {
      for i in 0..<ho {
        let r = i * layer.stride + l  // in s; the input's row r − p
        for j in 0..<wo {
          let q = j * layer.stride + m
          let inside = (p..<(h + p)).contains(r) && (p..<(w + p)).contains(q)
          let value = inside ? Double(s.values[((n * s.shape[1] + c) * h + r - p) * w + q - p]) : 0
          terms.append(
            Term.product([
              Factor(input: 0, index: [n, c, r, q], value: value, isPadding: !inside),
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
