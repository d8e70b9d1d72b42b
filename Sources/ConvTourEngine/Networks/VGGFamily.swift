extension NetworkArchitecture {
  /// The convolutions in each of the five blocks of VGG-11, -13, -16 and -19 (torchvision's
  /// configurations A, B, D and E).
  public static let vggBlocks: [Int: [Int]] = [
    11: [1, 1, 2, 2, 2], 13: [2, 2, 2, 2, 2], 16: [2, 2, 3, 3, 3], 19: [2, 2, 4, 4, 4],
  ]

  /// The channels of the five blocks in the real network.
  public static let vggWidths = [64, 128, 256, 512, 512]

  /// VGG-16 as the VGG post walks it: thirteen 3×3 conv layers (stride 1, same padding, ReLU),
  /// five 2×2 max-pools (stride 2), a flatten, three fully connected layers (ReLU after the
  /// first two), and softmax. The widths can shrink for tests; `VGG16Architecture()` is the
  /// real network: 224×224×3 in, 1000 classes.
  public init(size: Int = 224, widths: [Int] = vggWidths, hidden: Int = 4096, classes: Int = 1000) throws {
    self = try .vgg(depth: 16, size: size, widths: widths, hidden: hidden, classes: classes)
  }

  /// torchvision's VGG-`depth` (no batch norm, no dropout: the forward pass in eval mode), with
  /// its module names: `features.N` (each conv, then its ReLU at N + 1, a max-pool after each
  /// block) and `classifier.0`, `.3`, `.6` (ReLUs at 1 and 4; the dropouts at 2 and 5 are
  /// identities in eval mode). Names conv1_1 … pool5, flatten, fc6, fc7, fc8, softmax.
  public static func vgg(
    depth: Int, size: Int = 224, widths: [Int] = vggWidths, hidden: Int = 4096, classes: Int = 1000
  ) throws -> NetworkArchitecture {
    let op = "vgg\(depth)"
    guard let blocks = vggBlocks[depth] else {
      throw EngineError.invalidParameter(op: op, reason: "VGG comes in depths 11, 13, 16 and 19")
    }
    guard size >= 32, size % 32 == 0, size <= 8192 else {
      throw EngineError.invalidParameter(
        op: op,
        reason:
          "input size \(size) does not fit the five 2×2 pools: use a multiple of 32 from 32 to 8192 (224, 256, …)"
      )
    }
    guard widths.count == 5, widths.allSatisfy({ $0 > 0 }), hidden > 0, classes > 1 else {
      throw EngineError.invalidParameter(
        op: op, reason: "five positive widths, a positive hidden size and 2+ classes")
    }
    var specs: [LayerSpec] = []
    var feature = 0  // torchvision's index in `features`
    for (b, count) in blocks.enumerated() {
      for c in 1...count {
        specs.append(
          LayerSpec(
            .convolution(outputs: widths[b], kernel: 3, stride: 1, padding: 1), name: "conv\(b + 1)_\(c)",
            module: "features.\(feature)"))
        specs.append(LayerSpec(.relu, module: "features.\(feature + 1)"))
        feature += 2
      }
      specs.append(
        LayerSpec(.maxPool(kernel: 2, stride: 2), name: "pool\(b + 1)", module: "features.\(feature)"))
      feature += 1
    }
    specs.append(LayerSpec(.flatten))
    for (k, (width, index)) in [(hidden, 0), (hidden, 3), (classes, 6)].enumerated() {
      specs.append(
        LayerSpec(.fullyConnected(outputs: width), name: "fc\(6 + k)", module: "classifier.\(index)"))
      if index < 6 { specs.append(LayerSpec(.relu, module: "classifier.\(index + 1)")) }
    }
    do {
      var network = try NetworkArchitecture(
        name: op, input: [3, size, size], specs: specs, loss: .softmaxCrossEntropy)
      network.initialisation = .torchvisionVGG
      network.normalisation = .imageNet
      return network
    } catch let error as NetworkDescriptionError {
      throw EngineError.invalidParameter(op: op, reason: error.description)
    }
  }
}
