import ConvTourEngine
import Testing

/// Networks as data: the built-in networks' known totals, shape inference and its errors, and
/// the fast path against the reference path on every built-in network and layer kind.
@Suite("Networks")
struct NetworkTests {
  @Test("the built-in networks' parameters, shapes and names: torchvision's and the documents' totals")
  func builtInTotals() throws {
    let expected = [
      "vgg11": 132_863_336, "vgg13": 133_047_848, "vgg16": 138_357_544, "vgg19": 143_667_240,
      "tiny-vgg": 19_920, "textbook-convnet": 228 + 1_216 + 48_120 + 1_210, "lenet5": 61_706,
    ]
    for name in BuiltInNetworks.names {
      let network = try #require(try BuiltInNetworks.named(name))
      #expect(network.parameterCount == expected[name], "\(name)")
      #expect(network.name == name)
    }
    #expect(try BuiltInNetworks.named("resnet50") == nil)
    let tiny = try BuiltInNetworks.tinyVGG()
    #expect(tiny.layers.map(\.output).dropLast(1).last == [10])
    #expect(tiny.layers.first { $0.kind == .flatten }!.output == [1690])
    #expect(
      tiny.parameterShapes.map(\.name) == [
        "features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias", "features.5.weight",
        "features.5.bias", "features.7.weight", "features.7.bias", "classifier.0.weight", "classifier.0.bias",
      ])
    let book = try BuiltInNetworks.textbookConvNet()
    #expect(book.layers.map(\.name) == ["conv1", "pool1", "conv2", "pool2", "flatten", "fc1", "fc2"])
    #expect(
      book.layers.map(\.output) == [
        [3, 28, 28], [3, 14, 14], [16, 10, 10], [16, 5, 5], [400], [120], [10],
      ])
    #expect(book.layers.map(\.parameterCount) == [228, 0, 1_216, 0, 0, 48_120, 1_210])
    #expect(book.loss == .squaredDistance(target: 1))
    #expect(book.layers[3].kind == .averagePool)
    let vgg19 = try NetworkArchitecture.vgg(depth: 19)
    #expect(vgg19.weightLayers == 19)
    #expect(vgg19.parameterShapes.last!.name == "classifier.6.bias")
    #expect(vgg19.layers.first { $0.name == "pool5" }!.outputModule == "features.36")
  }

  @Test("shape inference: a layer that does not fit names its line and the shapes")
  func shapeErrors() throws {
    func error(_ specs: [LayerSpec], input: [Int] = [1, 8, 8]) -> NetworkDescriptionError? {
      do {
        _ = try NetworkArchitecture(name: "t", input: input, specs: specs, loss: .softmaxCrossEntropy)
        return nil
      } catch let e as NetworkDescriptionError {
        return e
      } catch {
        return nil
      }
    }
    let big = error([LayerSpec(.convolution(outputs: 2, kernel: 9, stride: 1, padding: 0), line: 4)])
    #expect(big?.line == 4)
    #expect(big?.problem.contains("9×9") == true)
    #expect(error([LayerSpec(.relu, line: 2)])?.problem.contains("ReLU must follow") == true)
    #expect(error([LayerSpec(.fullyConnected(outputs: 3), line: 1)])?.problem.contains("flatten") == true)
    #expect(error([LayerSpec(.flatten)])?.problem.contains("fully connected") == true)
    #expect(
      error([LayerSpec(.flatten), LayerSpec(.fullyConnected(outputs: 1))])?.problem.contains("2 or more")
        == true)
    #expect(error([LayerSpec(.convolution(outputs: 0, kernel: 3, stride: 1, padding: 1))]) != nil)
    #expect(error([LayerSpec(.flatten), LayerSpec(.fullyConnected(outputs: 1 << 40))]) != nil)
    #expect(error([], input: [1, 0, 8]) != nil)
    #expect(
      error([
        LayerSpec(.maxPool(kernel: 3, stride: 1), name: "p"),
        LayerSpec(.maxPool(kernel: 2, stride: 2), name: "p"),
      ]) != nil)
    // Without lines, a layer is named by its row of the layer table, each ReLU in its layer's
    // row: the pool below is the table's third row, though the fifth spec.
    let conv = LayerSpec(.convolution(outputs: 2, kernel: 3, stride: 1, padding: 0))
    let third = error([
      conv, LayerSpec(.relu), conv, LayerSpec(.relu), LayerSpec(.maxPool(kernel: 5, stride: 1)),
    ])
    #expect(third?.layer == "layer 3", "\(String(describing: third))")
    #expect(third?.description.hasPrefix("layer 3: a 5×5 window does not fit") == true)
  }

  /// Network `name`'s layers with fewer channels where that keeps the test fast, seeded weights
  /// scaled so every gradient is well above rounding, an input and labels.
  static func example(_ network: NetworkArchitecture, seed: UInt64) throws -> (
    NetworkParameters, Tensor32, [Int]
  ) {
    let parameters = NetworkParameters.random(network, seed: seed)
    var random = SeededRandom(seed: seed + 1)
    let x = Tensor32(Tensor.random([2] + network.input, using: &random))
    return (parameters, x, [1, network.classes - 1])
  }

  static func expectFastAgreesWithReference(_ network: NetworkArchitecture, seed: UInt64 = 3) throws {
    let (parameters, x, labels) = try example(network, seed: seed)
    let fast = try FastNetwork(parameters: parameters).run(x, labels: labels, backward: true)
    let reference = ReferenceNetwork(parameters)
    let (activations, loss) = try reference.forward(Tensor(x), labels: labels)
    expectClose(Tensor(fast.logits), activations.last!, relative: 1e-4, "\(network.name) z")
    #expect(abs(Double(fast.loss!) - loss) <= 1e-4 * abs(loss), "\(network.name) J")
    let grads = try reference.gradients(Tensor(x), labels: labels)
    expectClose(Tensor(fast.inputGradient!), grads.input, relative: 1e-3, "\(network.name) ∂J/∂x")
    #expect(fast.gradients.count == network.parameterShapes.count)
    for (name, g) in grads.parameters {
      expectClose(Tensor(fast.gradients[name]!), g, relative: 1e-3, "\(network.name) ∂J/∂\(name)")
    }
  }

  @Test(
    "fast path = reference path on every built-in network (the VGGs shrunk): z, J, every gradient",
    arguments: ["tiny-vgg", "textbook-convnet", "lenet5", "vgg11", "vgg13", "vgg19"])
  func fastAgreesWithReference(name: String) throws {
    let network: NetworkArchitecture
    if name.hasPrefix("vgg") {
      let depth = Int(name.dropFirst(3))!
      network = try .vgg(depth: depth, size: 32, widths: [3, 4, 4, 5, 6], hidden: 7, classes: 5)
    } else {
      network = try #require(try BuiltInNetworks.named(name))
    }
    try Self.expectFastAgreesWithReference(network)
  }

  @Test(
    "every layer kind, fast = reference, forward and backward: kernels 1–7, strides 1–2, paddings 0–3, both pools",
    arguments: [(1, 1, 0), (3, 1, 0), (3, 2, 1), (5, 1, 2), (5, 2, 3), (7, 1, 3), (7, 2, 0), (3, 1, 2)])
  func layerKinds(kernel: Int, stride: Int, padding: Int) throws {
    for pool in [
      LayerSpec.Kind.maxPool(kernel: 2, stride: 2), .averagePool(kernel: 3, stride: 3),
      .maxPool(kernel: 3, stride: 2),
    ] {
      let specs = [
        LayerSpec(.convolution(outputs: 4, kernel: kernel, stride: stride, padding: padding)),
        LayerSpec(.relu),
        LayerSpec(pool), LayerSpec(.flatten), LayerSpec(.fullyConnected(outputs: 3)),
      ]
      for loss in [NetworkLoss.softmaxCrossEntropy, .squaredDistance(target: 1)] {
        let network = try NetworkArchitecture(
          name: "k\(kernel)s\(stride)p\(padding)", input: [3, 13, 13], specs: specs, loss: loss)
        try Self.expectFastAgreesWithReference(network, seed: UInt64(kernel * 10 + stride))
      }
    }
  }
}
