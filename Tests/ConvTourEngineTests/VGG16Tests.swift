import ConvTourEngine
import Testing

/// VGG-16's shape model, and its fast path checked against the reference path on a shrunk network.
@Suite("VGG-16")
struct VGG16Tests {
  @Test("the full network's shape model: the post's and torchvision's numbers")
  func shapes() throws {
    let a = try VGG16Architecture()
    #expect(a.parameterCount == 138_357_544)
    #expect(a.multiplyAdds == 15_470_264_320)
    #expect(a.weightLayers == 16)
    let flatten = a.layers.first { $0.name == "flatten" }!
    #expect(flatten.output == [25_088])
    let fc6 = a.layers.first { $0.name == "fc6" }!
    #expect(fc6.weightCount == 102_760_448)
    let pool5 = a.layers.first { $0.name == "pool5" }!
    #expect(pool5.denseJacobian.rows * pool5.denseJacobian.columns == 2_517_630_976)
    let conv53 = a.layers.first { $0.name == "conv5_3" }!
    #expect(conv53.weightCount == 2_359_296)
    #expect(a.parameterShapes.first! == ("features.0.weight", [64, 3, 3, 3]))
    #expect(a.parameterShapes.last! == ("classifier.6.bias", [1000]))
    #expect(a.parameterShapes.count == 32)
    #expect(a.layers.map(\.postName).first == "a⁽¹⁾")
    #expect(a.layers.last!.postName == "ŷ = a⁽¹⁶⁾")
  }

  @Test("sizes other than 224 follow the architecture; others are a clear error")
  func sizes() throws {
    let a = try VGG16Architecture(size: 256)
    #expect(a.layers.first { $0.name == "flatten" }!.output == [512 * 8 * 8])
    #expect(throws: EngineError.self) { try VGG16Architecture(size: 100) }
    #expect(throws: EngineError.self) { try VGG16Architecture(size: 16) }
  }

  /// A VGG-16 with the same layers and far fewer channels and units.
  static func shrunk() throws -> (VGG16Parameters, Tensor32, [Int]) {
    let a = try VGG16Architecture(size: 32, widths: [3, 4, 4, 5, 6], hidden: 7, classes: 5)
    let parameters = VGG16Parameters.random(a, seed: 5)
    // Larger fc weights than torchvision's 0.01, so every layer's gradient is well above noise.
    var scaled = parameters.tensors
    for (name, t) in scaled where name.hasPrefix("classifier") && name.hasSuffix("weight") {
      scaled[name] = try Tensor32(shape: t.shape, values: t.values.map { $0 * 30 })
    }
    var random = SeededRandom(seed: 9)
    let x = Tensor32(Tensor.random([2, 3, 32, 32], using: &random))
    return (try VGG16Parameters(architecture: a, tensors: scaled), x, [1, 3])
  }

  @Test("fast path = reference path on a shrunk VGG-16: logits, loss, every gradient")
  func fastAgreesWithReference() throws {
    let (parameters, x, labels) = try Self.shrunk()
    let fast = try VGG16Network(parameters: parameters).run(x, labels: labels, backward: true)
    let reference = ReferenceVGG16(parameters)
    let (activations, loss) = try reference.forward(Tensor(x), labels: labels)
    expectClose(Tensor(fast.logits), activations.last!, relative: 1e-4, "logits")
    #expect(abs(Double(fast.loss!) - loss) <= 1e-4 * abs(loss))
    let grads = try reference.gradients(Tensor(x), labels: labels)
    expectClose(Tensor(fast.inputGradient!), grads.input, relative: 1e-4, "∂J/∂x")
    #expect(fast.gradients.count == 32)
    for (name, g) in grads.parameters {
      expectClose(Tensor(fast.gradients[name]!), g, relative: 1e-4, "∂J/∂\(name)")
    }
  }

  @Test("the reference VGG-16's gradients match finite differences")
  func referenceGradientsMatchFiniteDifferences() throws {
    let (parameters, x32, labels) = try Self.shrunk()
    var reference = ReferenceVGG16(parameters)
    let x = Tensor(x32)
    let grads = try reference.gradients(x, labels: labels)
    let h = 1e-5
    // A few elements of every parameter and of the input: the central difference of J.
    for (name, g) in grads.parameters.sorted(by: { $0.key < $1.key }) {
      for k in Set([0, g.count / 2, g.count - 1]) {
        let v = reference.parameters[name]!.values[k]
        reference.parameters[name]!.values[k] = v + h
        let up = try reference.forward(x, labels: labels).loss
        reference.parameters[name]!.values[k] = v - h
        let down = try reference.forward(x, labels: labels).loss
        reference.parameters[name]!.values[k] = v
        let numeric = (up - down) / (2 * h)
        let scale = max(g.maxAbs, 1e-8)
        #expect(abs(numeric - g.values[k]) <= 1e-5 * scale, "\(name)[\(k)]: \(numeric) vs \(g.values[k])")
      }
    }
  }

  @Test("memory estimates grow with the batch and name the largest batch that fits")
  func memory() throws {
    let a = try VGG16Architecture()
    let one = VGG16Memory.estimate(a, batch: 1, backward: true)
    #expect(one > 2 * a.parameterCount * 4)
    #expect(VGG16Memory.estimate(a, batch: 8, backward: true) > one)
    let fits = VGG16Memory.largestBatch(a, available: 4_000_000_000, backward: true)
    #expect(fits >= 1)
    #expect(VGG16Memory.estimate(a, batch: fits, backward: true) <= 4_000_000_000)
    #expect(VGG16Memory.estimate(a, batch: fits + 1, backward: true) > 4_000_000_000)
    #expect(VGG16Memory.largestBatch(a, available: 100, backward: false) == 0)
  }
}
