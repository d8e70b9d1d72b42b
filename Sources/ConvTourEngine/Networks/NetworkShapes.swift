/// Shape inference: from a network's input and its `LayerSpec`s to the rows of its layer table.
enum NetworkShapes {
  typealias Layer = NetworkArchitecture.Layer

  static func layers(input: [Int], specs: [LayerSpec], loss: NetworkLoss) throws -> [Layer] {
    var layers: [Layer] = []
    var shape = input
    var post = 0  // the post counts layers with weights: a⁽¹⁾ … a⁽¹⁶⁾
    var counts: [String: Int] = [:]  // per kind, for generated names
    var k = 0
    while k < specs.count {
      let spec = specs[k]
      // Without a line, the layer is named by its row in the layer table (1-based), not by its
      // spec: a ReLU is a spec of its own but joins the row of the layer before it.
      func fail(_ problem: String) -> NetworkDescriptionError {
        NetworkDescriptionError(
          line: spec.line, layer: spec.line.map { "line \($0)" } ?? "layer \(layers.count + 1)",
          problem: problem)
      }
      func generated(_ stem: String) -> String {
        counts[stem, default: 0] += 1
        return spec.name ?? "\(stem)\(counts[stem]!)"
      }
      let ell = NetworkArchitecture.superscript(post)
      var layer: Layer
      switch spec.kind {
      case .convolution(let outputs, let f, let s, let p):
        guard shape.count == 3 else { throw fail("a convolution needs an image [C, H, W], got \(shape)") }
        guard outputs > 0, f > 0, s > 0, p >= 0 else {
          throw fail("outputs, kernel and stride must be positive and padding not negative")
        }
        guard p < f else { throw fail("padding \(p) must be smaller than the kernel \(f)") }
        let (h, w) = (shape[1] + 2 * p, shape[2] + 2 * p)
        guard h >= f, w >= f else {
          throw fail("a \(f)×\(f) kernel does not fit the input \(shape) padded by \(p) (\(h)×\(w))")
        }
        post += 1
        let output = [outputs, (h - f) / s + 1, (w - f) / s + 1]
        let name = generated("conv")
        layer = Layer(
          name: name, postName: "", kind: .convolution, input: shape, output: output,
          kernel: f, stride: s, padding: p, parameterPrefix: spec.module ?? name, outputModule: spec.module)
      case .fullyConnected(let outputs):
        guard shape.count == 1 else {
          throw fail("a fully connected layer needs a vector: flatten the \(shape) before it")
        }
        guard outputs > 0 else { throw fail("the number of outputs must be positive") }
        post += 1
        let name = generated("fc")
        layer = Layer(
          name: name, postName: "", kind: .fullyConnected(relu: false), input: shape,
          output: [outputs], parameterPrefix: spec.module ?? name, outputModule: spec.module)
      case .maxPool(let f, let s), .averagePool(let f, let s):
        let max = spec.kind == .maxPool(kernel: f, stride: s)
        guard shape.count == 3 else { throw fail("a pool needs an image [C, H, W], got \(shape)") }
        guard f > 0, s > 0 else { throw fail("kernel and stride must be positive") }
        guard shape[1] >= f, shape[2] >= f else {
          throw fail("a \(f)×\(f) window does not fit the input \(shape)")
        }
        let output = [shape[0], (shape[1] - f) / s + 1, (shape[2] - f) / s + 1]
        layer = Layer(
          name: generated(max ? "pool" : "avgpool"), postName: "m⁽\(ell)⁾",
          kind: max ? .maxPool : .averagePool,
          input: shape, output: output, kernel: f, stride: s, outputModule: spec.module)
      case .flatten:
        guard shape.count == 3 else { throw fail("flatten needs an image [C, H, W], got \(shape)") }
        layer = Layer(
          name: spec.name ?? "flatten", postName: "f⁽\(ell)⁾", kind: .flatten, input: shape,
          output: [Shape.count(shape)], outputModule: spec.module)
      case .relu:
        throw fail("a ReLU must follow a convolution or a fully connected layer")
      }
      // A ReLU right after a convolution or fc is part of its row: a⁽ℓ⁾ = ReLU(z⁽ℓ⁾).
      if layer.weightShape != nil {
        let relu = k + 1 < specs.count && specs[k + 1].kind == .relu
        if relu {
          k += 1
          layer.outputModule = specs[k].module
        }
        layer.relu = relu
        if case .fullyConnected = layer.kind { layer.kind = .fullyConnected(relu: relu) }
        layer.postName = "\(relu ? "a" : "z")⁽\(NetworkArchitecture.superscript(post))⁾"
      }
      guard let n = NetworkArchitecture.count(layer.output), n > 0, n <= NetworkArchitecture.largestTensor
      else {
        throw fail("\(layer.name)'s output \(layer.output) is too large: at most 2³¹ elements a tensor")
      }
      if let weights = layer.weightShape,
        NetworkArchitecture.count(weights).map({ $0 <= NetworkArchitecture.largestTensor }) != true
      {
        throw fail("\(layer.name)'s weights \(weights) are too large: at most 2³¹ elements a tensor")
      }
      layer.line = spec.line
      guard !layers.contains(where: { $0.name == layer.name }) else {
        throw fail("the name \(layer.name) is used twice")
      }
      layers.append(layer)
      shape = layer.output
      k += 1
    }
    guard shape.count == 1, layers.last?.weightShape != nil else {
      throw NetworkDescriptionError(
        line: specs.last?.line, layer: "the last layer",
        problem: "the network must end in a fully connected layer (its output is \(shape))")
    }
    if loss == .softmaxCrossEntropy {
      guard shape[0] >= 2 else {
        throw NetworkDescriptionError(
          line: specs.last?.line, layer: "the last layer",
          problem: "softmax cross-entropy needs 2 or more classes")
      }
      layers.append(
        Layer(
          name: "softmax", postName: "ŷ = a⁽\(NetworkArchitecture.superscript(post))⁾", kind: .softmax,
          input: shape, output: shape))
    }
    return layers
  }
}
