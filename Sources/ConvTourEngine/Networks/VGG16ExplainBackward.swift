/// Where δ = ∂J/∂(an element of a layer's output) came from, explained by the reference ops
/// (Double) from the fast path's stored tensors (Float32).
///
/// δ is gathered from the layer above (the route):
/// - below a max-pool: the pooled δ if the element won its 2×2 window, else 0;
/// - below a convolution: Σ over its K filters and f×f taps of δz(k, i′, j′)·W(k, c, l, m) for the
///   outputs (i′, j′) whose window reads the element, the transposed convolution (δz = ∂J/∂z of
///   the layer above, after its ReLU mask; 1-based with padding p and stride S: S(i′−1)+l = i+p);
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
    // The layer δ came through: the next one, past a flatten (the loss itself after the last).
    var above = k + 1
    while above < layers.count, layers[above].kind == .flatten { above += 1 }
    var window: ElementExplanation? = nil
    var (route, roles): (ElementExplanation, [String])
    if above == layers.count, case .squaredDistance(let target) = parameters.architecture.loss {
      let z = Double(output.values[offset])
      let value = 2 * (z - Double(target))
      route = ElementExplanation(
        op: "squared distance backward", output: index, combination: .sum,
        terms: [
          Term(
            factors: [Factor(input: 0, index: index, value: z)], form: .expression("2·(z − \(target))"),
            value: value)
        ], value: value)
      return VGG16DeltaExplanation(
        layer: k, index: index, routeLayer: k, route: route, routeRoles: ["z"], window: nil,
        delta: value, fastDelta: delta.values[offset],
        reluPasses: layer.relu ? output.values[offset] > 0 : nil)
    }
    let pool = layers[above]
    if pool.kind == .maxPool || pool.kind == .averagePool, pool.kernel != pool.stride {
      let (dm, windows) = try overlappingPoolRoute(
        parameters, layer: k, above: above, recorder: recorder, at: index)
      return VGG16DeltaExplanation(
        layer: k, index: index, routeLayer: above, route: dm, routeRoles: ["δm"], window: windows,
        delta: dm.value, fastDelta: delta.values[offset],
        reluPasses: layer.relu ? output.values[offset] > 0 : nil)
    }
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
    case .maxPool, .averagePool:
      let (n, c, i, j) = (index[0], index[1], index[2], index[3])
      let pooled = [n, c, i / pool.stride, j / pool.stride]
      guard let pooledOutput = recorder.outputs[above], let deltaAbove = recorder.deltas[above] else {
        throw EngineError.invalidParameter(op: layer.name, reason: "no pass recorded above this layer")
      }
      guard pooled[2] < pooledOutput.shape[2], pooled[3] < pooledOutput.shape[3] else {
        // A row or column the windows leave out (an odd size): no output reads it.
        route = ElementExplanation(
          op: "\(pool.kind == .maxPool ? "maxpool" : "avgpool") backward", output: index, combination: .sum,
          terms: [Term(factors: [], form: .expression("0 (in no window)"), value: 0)], value: 0)
        roles = ["δm"]
        break
      }
      let explained = try forward(parameters, layer: above, input: output, output: pooledOutput, at: pooled)
      window = explained.explanation
      let dm = Double(deltaAbove.values[Shape.offset(pooled, in: deltaAbove.shape)])
      if pool.kind == .averagePool {
        let share = dm / Double(pool.kernel * pool.kernel)
        route = ElementExplanation(
          op: "avgpool backward", output: index, combination: .sum,
          terms: [
            Term(
              factors: [Factor(input: 0, index: pooled, value: dm)],
              form: .expression("δm / \(pool.kernel * pool.kernel) (each element of the window shares it)"),
              value: share)
          ], value: share)
        roles = ["δm"]
        break
      }
      guard case .maximum(let winner) = explained.explanation.combination else { fatalError("max-pool") }
      let won = explained.explanation.terms[winner].factors[0].index == index
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
      route = transposedTerms(dz, W, layers[above], example: n, channel: c, row: i, column: j)
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
    let passes: Bool? = layer.relu ? output.values[offset] > 0 : nil
    return VGG16DeltaExplanation(
      layer: k, index: index, routeLayer: above, route: route, routeRoles: roles, window: window,
      delta: route.value, fastDelta: delta.values[offset], reluPasses: passes)
  }

  /// δ through a pool whose windows overlap (kernel > stride) or leave gaps: the sum over every
  /// window (i′, j′) that holds the element — i′·s ≤ i < i′·s + f — of what that window routes
  /// to it: δm(i′, j′) if the element won it (max) or δm/f² (mean). Also the first such window's
  /// explanation.
  static func overlappingPoolRoute(
    _ parameters: NetworkParameters, layer k: Int, above: Int, recorder: VGG16Recorder, at index: [Int]
  ) throws -> (ElementExplanation, ElementExplanation?) {
    let pool = parameters.architecture.layers[above]
    guard let input = recorder.outputs[k], let pooled = recorder.outputs[above],
      let dm = recorder.deltas[above]
    else {
      throw EngineError.invalidParameter(op: pool.name, reason: "no pass recorded above this layer")
    }
    let (n, c, i, j) = (index[0], index[1], index[2], index[3])
    let (f, s) = (pool.kernel, pool.stride)
    func windows(_ x: Int, _ count: Int) -> [Int] { (0..<count).filter { $0 * s <= x && x < $0 * s + f } }
    var terms: [Term] = []
    var first: ElementExplanation? = nil
    for wi in windows(i, pooled.shape[2]) {
      for wj in windows(j, pooled.shape[3]) {
        let at = [n, c, wi, wj]
        let window = try forward(parameters, layer: above, input: input, output: pooled, at: at).explanation
        if first == nil { first = window }
        let d = Double(dm.values[Shape.offset(at, in: dm.shape)])
        if pool.kind == .averagePool {
          terms.append(
            Term(
              factors: [Factor(input: 0, index: at, value: d)], form: .expression("δm / \(f * f)"),
              value: d / Double(f * f)))
        } else {
          guard case .maximum(let winner) = window.combination else { continue }
          let won = window.terms[winner].factors[0].index == index
          terms.append(
            Term(
              factors: [Factor(input: 0, index: at, value: d)],
              form: .expression(won ? "δm (this element won the window)" : "0 (another element won)"),
              value: won ? d : 0))
        }
      }
    }
    let value = terms.reduce(0) { $0 + $1.value }
    return (
      ElementExplanation(
        op: "\(pool.kind == .maxPool ? "maxpool" : "avgpool") backward", output: index, combination: .sum,
        terms: terms.isEmpty ? [Term(factors: [], form: .expression("0 (in no window)"), value: 0)] : terms,
        value: value),
      first
    )
  }

  /// δ(c, i, j) of a convolution's input, for any kernel f, stride s and padding p: the sum over
  /// filters k and taps (l, m) of δz(k, i′, j′)·W(k, c, l, m) for every output (i′, j′) whose
  /// window reads (i, j) — i′·s + l − p = i and j′·s + m − p = j (0-based) — in order of k, l, m.
  static func transposedTerms(
    _ dz: Tensor32, _ W: Tensor32, _ conv: NetworkArchitecture.Layer, example n: Int, channel c: Int,
    row i: Int,
    column j: Int
  ) -> ElementExplanation {
    let (kAbove, channels, f) = (W.shape[0], W.shape[1], conv.kernel)
    let (ho, wo) = (dz.shape[2], dz.shape[3])
    var terms: [Term] = []
    var total = 0.0
    for k in 0..<kAbove {
      for l in 0..<f {
        let rowSpan = i + conv.padding - l
        guard rowSpan >= 0, rowSpan % conv.stride == 0, rowSpan / conv.stride < ho else { continue }
        for m in 0..<f {
          let columnSpan = j + conv.padding - m
          guard columnSpan >= 0, columnSpan % conv.stride == 0, columnSpan / conv.stride < wo else {
            continue
          }
          let at = [n, k, rowSpan / conv.stride, columnSpan / conv.stride]
          let d = Double(dz.values[Shape.offset(at, in: dz.shape)])
          let w = Double(W.values[((k * channels + c) * f + l) * f + m])
          terms.append(
            Term(
              factors: [
                Factor(input: 0, index: at, value: d), Factor(input: 1, index: [k, c, l, m], value: w),
              ], value: d * w))
          total += d * w
        }
      }
    }
    return ElementExplanation(
      op: "conv2d backward", output: [n, c, i, j], combination: .sum, terms: terms, value: total)
  }

  /// ∂J/∂z of layer k: the recorded ∂J/∂(output), masked by the layer's ReLU (output > 0) when it
  /// has one.
  static func maskedDelta(
    _ recorder: VGG16Recorder, _ k: Int, _ layer: VGG16Architecture.Layer
  ) throws -> Tensor32 {
    guard var d = recorder.deltas[k], let a = recorder.outputs[k] else {
      throw EngineError.invalidParameter(op: layer.name, reason: "no backward pass recorded for this layer")
    }
    if layer.relu {
      for p in d.values.indices where a.values[p] <= 0 { d.values[p] = 0 }
    }
    return d
  }
}
