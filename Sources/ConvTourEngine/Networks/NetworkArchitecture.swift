/// A sequential CNN as a value: its input shape, its layers with every shape inferred, and its
/// loss. VGG-16 is one value of it (`NetworkArchitecture.vgg(depth: 16)`), Tiny VGG, the
/// textbook's §12.4 ConvNet and LeNet-5 others (`BuiltInNetworks`), and a user's network file
/// another. Nothing else in the engine assumes a kernel, a padding or a pool size.
///
/// Shapes are per example, PyTorch's order: [C, H, W] for images, [n] for vectors.
public struct NetworkArchitecture: Sendable, Equatable {
  /// `vgg16`, `tiny-vgg`, or a file's name.
  public var name: String
  /// [C, H, W] of one example.
  public var input: [Int]
  public var loss: NetworkLoss
  /// How `NetworkParameters.random` draws seeded weights.
  public var initialisation: Initialisation = .pytorchDefault
  /// How an image becomes the network's input (torchvision's `Normalize` after `ToTensor`).
  public var normalisation = InputNormalisation.unit
  /// The learning rate the tour's training panel starts from (η; `+`/`−` change it): 0.01, or
  /// what the network is known to need.
  public var suggestedLearningRate = 0.01
  public private(set) var layers: [Layer]
  /// The description the layers were inferred from.
  public private(set) var specs: [LayerSpec]

  /// The most elements any one tensor of one example may have (2³¹: Int32 indices).
  public static let largestTensor = 1 << 31

  /// Infers every layer's shapes from `specs`; a layer that does not fit, a size that is zero,
  /// negative or absurd, or a ReLU that follows no weights throws, naming the layer (and its line).
  public init(name: String, input: [Int], specs: [LayerSpec], loss: NetworkLoss) throws {
    guard input.count == 3, input.allSatisfy({ $0 > 0 }), let n = Self.count(input), n <= Self.largestTensor
    else {
      throw NetworkDescriptionError(
        line: nil, layer: "input", problem: "the input must be [C, H, W] with positive sizes, got \(input)")
    }
    self.name = name
    self.input = input
    self.loss = loss
    self.specs = specs
    self.layers = try NetworkShapes.layers(input: input, specs: specs, loss: loss)
  }

  /// PyTorch's initialisation of the network's layers.
  public enum Initialisation: Sendable, Equatable {
    /// torchvision's VGG: Kaiming normal (fan_out) convolutions, normal(0, 0.01) fc, zero biases.
    case torchvisionVGG
    /// `nn.Conv2d` and `nn.Linear` as constructed: uniform in ±1/√fan_in, biases too.
    case pytorchDefault
  }

  /// Input height (= width for the built-in networks): 224 for VGG-16.
  public var size: Int { input[1] }
  /// Input channels: 3 for colour, 1 for grey.
  public var channels: Int { input[0] }
  /// The number of outputs of the last layer: the classes for cross-entropy.
  public var classes: Int { layers.last.map { Shape.count($0.output) } ?? 0 }

  /// Every parameter in PyTorch's `state_dict` order and layout:
  /// `features.0.weight` [64, 3, 3, 3], `features.0.bias` [64], … `classifier.6.bias` [1000].
  public var parameterShapes: [(name: String, shape: [Int])] {
    layers.flatMap { layer -> [(name: String, shape: [Int])] in
      guard let weight = layer.weightName, let bias = layer.biasName, let w = layer.weightShape else {
        return []
      }
      return [(weight, w), (bias, [w[0]])]
    }
  }

  public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
  public var multiplyAdds: Int { layers.reduce(0) { $0 + $1.multiplyAdds } }
  /// Output elements of every layer for one example (the flatten is a view: not counted).
  public var activationElements: Int {
    layers.reduce(0) { $0 + ($1.kind == .flatten ? 0 : Shape.count($1.output)) }
  }
  /// What the backward pass keeps for one example, in elements.
  public var keptElements: Int { layers.reduce(Shape.count(input)) { $0 + $1.kept.elements } }

  /// The number of layers with weights: 13 conv + 3 fc = 16, the "16" of VGG-16.
  public var weightLayers: Int { layers.filter { $0.weightShape != nil }.count }

  /// The product of `shape`, or nil when it overflows.
  static func count(_ shape: [Int]) -> Int? {
    var n = 1
    for d in shape {
      let (p, overflow) = n.multipliedReportingOverflow(by: d)
      if overflow { return nil }
      n = p
    }
    return n
  }

  static func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    return String(String(n).map { digits[Int(String($0))!] })
  }
}

/// `ToTensor()` then `Normalize(mean, std)`: x = (byte/255 − mean[c]) / std[c]; `grey` networks
/// read PIL's `convert("L")` of the image (one channel).
public struct InputNormalisation: Sendable, Equatable {
  public var mean: [Float]
  public var std: [Float]
  public var grey: Bool

  public init(mean: [Float], std: [Float], grey: Bool = false) {
    (self.mean, self.std, self.grey) = (mean, std, grey)
  }

  /// ImageNet's mean and standard deviation: torchvision's VGG weights were trained on them.
  public static let imageNet = InputNormalisation(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
  /// `ToTensor()` alone: values in [0, 1] (CNN Explainer's Tiny VGG, a network file).
  public static let unit = InputNormalisation(mean: [0, 0, 0], std: [1, 1, 1])
  /// 001 §12.4's `Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))`: values in [−1, 1].
  public static let half = InputNormalisation(mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5])
  /// MNIST's mean and standard deviation, on one grey channel (LeNet-5).
  public static let mnist = InputNormalisation(mean: [0.1307], std: [0.3081], grey: true)
}

/// The VGG-16 of the post and of torchvision: the network most of ConvTour was built around.
public typealias VGG16Architecture = NetworkArchitecture

/// A network description that does not make a network: the layer (and line) and what is wrong.
public struct NetworkDescriptionError: Error, Equatable, Sendable, CustomStringConvertible {
  public var line: Int?
  public var layer: String
  public var problem: String

  public var description: String { "\(layer): \(problem)" }
}
