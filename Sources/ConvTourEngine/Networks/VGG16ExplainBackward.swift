/// Where δ = ∂J/∂(an element of a layer's output) came from, explained by the reference ops
/// (Double) from the fast path's stored tensors (Float32).
///
/// δ is gathered from the layer above (the route):
/// - below a max-pool: the pooled δ if the element won its 2×2 window, else 0;
/// - below a convolution: Σ over its K filters and 3×3 taps of δz(k, i+1−l, j+1−m)·W(k, c, l, m),
///   the transposed convolution, written as the reference convolution of δz with the flipped filters
///   (δz = ∂J/∂z of the layer above, after its ReLU mask);
/// - below a fully connected layer (or the flatten before one): Σ_i W(i, j)·δz(i), a column of W;
/// - the logits: (a − y)/m, from the softmax and the cross-entropy.
/// Then the layer's own ReLU, if it has one, passes δ where its output a = max{z, 0} is positive.
public struct VGG16DeltaExplanation: Sendable {
  public var layer: Int
  /// The element, 0-based, in storage order ([n, c, i, j] or [n, j]).
  public var index: [Int]
  /// The layer above that δ came through (the softmax for the logits).
  public var routeLayer: Int
  /// The route's terms; factor indices are into the full tensors named by `routeRoles`.
  public var route: ElementExplanation
  public var routeRoles: [String]
  /// Below a max-pool: the forward explanation of the window the element lies in (its winner).
  public var window: ElementExplanation?
  /// δ in Double, from the route.
  public var delta: Double
  /// What the fast path stored for δ (Float32).
  public var fastDelta: Float
  /// The layer's ReLU: whether it passes δ (a > 0); nil when the layer has none.
  public var reluPasses: Bool?
  /// ∂J/∂z = δ·[a > 0] (δ itself when the layer has no ReLU).
  public var dz: Double { reluPasses == false ? 0 : delta }
}

extension VGG16Explain {
  /// Explains δ at output element `index` of layer k after a backward run recorded by `recorder`
  /// (which must hold `VGG16Recorder.layersToExplain(k)`); `labels` are the run's classes.
  public static func backward(
    _ parameters: VGG16Parameters, layer k: Int, recorder: VGG16Recorder, labels: [Int], at index: [Int]
  ) throws -> VGG16DeltaExplanation {
    let layers = parameters.architecture.layers
    let layer = layers[k]
    guard let output = recorder.outputs[k], let delta = recorder.deltas[k] else {
      throw EngineError.invalidParameter(op: layer.name, reason: "no backward pass recorded for this layer")
    }
    guard index.count == output.shape.count, Shape.contains(index, in: output.shape) else {
      throw EngineError.indexOutOfRange(op: layer.name, index: index, shape: output.shape)
    }
    let offset = Shape.offset(index, in: output.shape)
    // The layer δ came through: the next one, past a flatten.
    var above = k + 1
    while layers[above].kind == .flatten { above += 1 }
    var window: ElementExplanation? = nil
    var (route, roles): (ElementExplanation, [String])
    switch layers[above].kind {
    case .softmax:
      let (n, i) = (index[0], index[1])
      guard let probabilities = recorder.outputs[above] else {
        throw EngineError.invalidParameter(
          op: layer.name, reason: "no forward pass recorded above this layer")
      }
      let a = Double(probabilities.values[offset])
      let y: Double = labels[n] == i ? 1 : 0
      let m = Double(labels.count)
      route = ElementExplanation(
        op: "softmax cross-entropy backward", output: index, combination: .sum,
        terms: [
          Term(
            factors: [Factor(input: 0, index: index, value: a), Factor(input: 1, index: index, value: y)],
            form: .expression("(a − y)/m"), value: (a - y) / m)
        ], value: (a - y) / m)
      roles = ["a", "y"]
    case .maxPool:
      let (n, c, i, j) = (index[0], index[1], index[2], index[3])
      let pooled = [n, c, i / 2, j / 2]
      guard let pooledOutput = recorder.outputs[above] else {
        throw EngineError.invalidParameter(
          op: layer.name, reason: "no forward pass recorded above this layer")
      }
      let explained = try forward(parameters, layer: above, input: output, output: pooledOutput, at: pooled)
      window = explained.explanation
      guard case .maximum(let winner) = explained.explanation.combination else { fatalError("max-pool") }
      let won = explained.explanation.terms[winner].factors[0].index == index
      guard let deltaAbove = recorder.deltas[above] else {
        throw EngineError.invalidParameter(
          op: layer.name, reason: "no backward pass recorded above this layer")
      }
      let dm = Double(deltaAbove.values[Shape.offset(pooled, in: deltaAbove.shape)])
      route = ElementExplanation(
        op: "maxpool backward", output: index, combination: .sum,
        terms: [
          Term(
            factors: [Factor(input: 0, index: pooled, value: dm)],
            form: .expression(won ? "δm (this element won its window)" : "0 (another element won)"),
            value: won ? dm : 0)
        ], value: won ? dm : 0)
      roles = ["δm"]
    case .convolution:
      let (n, c, i, j) = (index[0], index[1], index[2], index[3])
      let dz = try maskedDelta(recorder, above, layers[above])
      let W = parameters.weight(layers[above])
      let kAbove = W.shape[0]
      // The flipped filters with K and C swapped, for channel c: W⁺[0, k, l, m] = W[k, c, 2−l, 2−m].
      var flipped = [Double](repeating: 0, count: kAbove * 9)
      for f in 0..<kAbove {
        for t in 0..<9 { flipped[f * 9 + t] = Double(W.values[(f * W.shape[1] + c) * 9 + (8 - t)]) }
      }
      let area = Window(around: i, j, in: dz.shape, reach: 1)
      let local = try Convolution(stride: 1, padding: 1, hasBias: false).explain(
        [area.crop(dz, example: n), try Tensor(shape: [1, kAbove, 3, 3], values: flipped)],
        at: [0, 0, i - area.top, j - area.left])
      route = local.moving { input, at in
        input == 0 ? area.full(at, example: n) : [at[1], c, 2 - at[2], 2 - at[3]]
      }
      roles = ["δz", "W"]
    case .fullyConnected:
      let n = index[0]
      // The element's place in the flattened vector the fully connected layer reads.
      let f = Shape.offset(Array(index.dropFirst()), in: Array(output.shape.dropFirst()))
      let dz = try maskedDelta(recorder, above, layers[above])
      let W = parameters.weight(layers[above])
      let (nOut, nIn) = (W.shape[0], W.shape[1])
      let column = (0..<nOut).map { Double(W.values[$0 * nIn + f]) }
      let local = try FullyConnected(hasBias: false).explain(
        [Tensor(Slice.rows(of: dz, n, count: 1)), try Tensor(shape: [1, nOut], values: column)], at: [0, 0])
      route = local.moving { input, at in input == 0 ? [n, at[1]] : [at[1], f] }
      roles = ["δz", "W"]
    case .flatten:
      fatalError("a flatten is skipped above")
    }
    route.output = index
    var passes: Bool? = nil
    switch layer.kind {
    case .convolution, .fullyConnected(relu: true): passes = output.values[offset] > 0
    default: break
    }
    return VGG16DeltaExplanation(
      layer: k, index: index, routeLayer: above, route: route, routeRoles: roles, window: window,
      delta: route.value, fastDelta: delta.values[offset], reluPasses: passes)
  }

  /// ∂J/∂z of layer k: the recorded ∂J/∂(output), masked by the layer's ReLU (output > 0) when it
  /// has one.
  static func maskedDelta(
    _ recorder: VGG16Recorder, _ k: Int, _ layer: VGG16Architecture.Layer
  ) throws -> Tensor32 {
    guard var d = recorder.deltas[k], let a = recorder.outputs[k] else {
      throw EngineError.invalidParameter(op: layer.name, reason: "no backward pass recorded for this layer")
    }
    if layer.kind == .convolution || layer.kind == .fullyConnected(relu: true) {
      for p in d.values.indices where a.values[p] <= 0 { d.values[p] = 0 }
    }
    return d
  }
}
