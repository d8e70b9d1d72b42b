/// The VGG-16 network as the VGG post walks it, as a shape and cost model: thirteen 3×3 conv
/// layers (stride 1, same padding, ReLU), five 2×2 max-pools (stride 2), a flatten, three fully
/// connected layers (ReLU after the first two), and softmax.
///
/// Shapes are per example, PyTorch's order: [C, H, W] for images, [n] for vectors. The widths
/// can shrink (fewer channels, fewer hidden units, fewer classes, a smaller input) for tests;
/// the real network is `VGG16Architecture()`: 224×224×3 in, 1000 classes.
public struct VGG16Architecture: Sendable, Equatable {
  /// One layer of the table.
  public struct Layer: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
      /// 3×3 convolution, stride 1, padding 1, then ReLU.
      case convolution
      /// 2×2 max-pool, stride 2.
      case maxPool
      case flatten
      /// Fully connected; `relu` for fc6 and fc7.
      case fullyConnected(relu: Bool)
      case softmax
    }

    /// conv1_1 … conv5_3, pool1 … pool5, flatten, fc6, fc7, fc8, softmax.
    public var name: String
    /// The VGG post's name of the layer's output: a⁽¹⁾ … a⁽¹³⁾, m⁽²⁾ …, f⁽¹³⁾, a⁽¹⁴⁾ …, ŷ = a⁽¹⁶⁾.
    public var postName: String
    public var kind: Kind
    public var input: [Int]
    public var output: [Int]
    /// torchvision's index of the layer's parameters: `features.N` or `classifier.N`.
    public var parameterPrefix: String?
    /// The torchvision module (in eval mode) whose output equals this layer's output: the ReLU
    /// after a conv or fc6/fc7 (`features.1`, `classifier.4`), the pool itself (`features.4`),
    /// fc8 itself (`classifier.6`, the logits). Nil for the flatten and the softmax.
    public var outputModule: String? = nil

    /// The shape of the weights: [K, C, 3, 3] for a convolution, [n_out, n_in] for fc.
    public var weightShape: [Int]? {
      switch kind {
      case .convolution: [output[0], input[0], 3, 3]
      case .fullyConnected: [output[0], input[0]]
      default: nil
      }
    }

    public var weightCount: Int { weightShape.map(Shape.count) ?? 0 }
    public var biasCount: Int { weightShape == nil ? 0 : output[0] }
    public var parameterCount: Int { weightCount + biasCount }

    /// Multiply-adds of the forward pass for one example.
    public var multiplyAdds: Int {
      switch kind {
      case .convolution: Shape.count(output) * input[0] * 9
      case .fullyConnected: output[0] * input[0]
      default: 0
      }
    }

    /// "3×3 / 1 / 1" (kernel / stride / padding), "2×2 / 2 / 0", or "—".
    public var kernelStridePadding: String {
      switch kind {
      case .convolution: "3×3 / 1 / 1"
      case .maxPool: "2×2 / 2 / 0"
      default: "—"
      }
    }

    /// Entries of the dense Jacobian ∂output/∂input the post talks about (output × input elements).
    public var denseJacobian: (rows: Int, columns: Int) { (Shape.count(output), Shape.count(input)) }

    /// What the backward pass needs from the forward pass, in elements per example, and what
    /// it is: a conv keeps its input (for ∂L/∂W) and its output (ReLU's mask); a max-pool keeps
    /// one winner index per output — the sparse form of its Jacobian; fc keeps its input.
    public var kept: (elements: Int, what: String) {
      switch kind {
      case .convolution: (Shape.count(input) + Shape.count(output), "input + ReLU output")
      case .maxPool: (Shape.count(output), "winner per output")
      case .flatten: (0, "nothing (a view)")
      case .fullyConnected(let relu):
        (Shape.count(input) + (relu ? Shape.count(output) : 0), relu ? "input + ReLU output" : "input")
      case .softmax: (Shape.count(output), "probabilities a")
      }
    }
  }

  public var size: Int
  public var widths: [Int]
  public var hidden: Int
  public var classes: Int
  public private(set) var layers: [Layer]

  /// The channels of the five blocks in the real network.
  public static let vggWidths = [64, 128, 256, 512, 512]

  /// Throws when `size` does not survive five halvings (a multiple of 32) or a width is not positive.
  public init(size: Int = 224, widths: [Int] = vggWidths, hidden: Int = 4096, classes: Int = 1000) throws {
    guard size >= 32, size % 32 == 0, size <= 8192 else {
      throw EngineError.invalidParameter(
        op: "vgg16",
        reason:
          "input size \(size) does not fit the five 2×2 pools: use a multiple of 32 from 32 to 8192 (224, 256, …)"
      )
    }
    guard widths.count == 5, widths.allSatisfy({ $0 > 0 }), hidden > 0, classes > 1 else {
      throw EngineError.invalidParameter(
        op: "vgg16", reason: "five positive widths, a positive hidden size and 2+ classes")
    }
    self.size = size
    self.widths = widths
    self.hidden = hidden
    self.classes = classes
    var layers: [Layer] = []
    var shape = [3, size, size]
    var post = 0  // the post counts layers with weights: a⁽¹⁾ … a⁽¹⁶⁾
    var feature = 0  // torchvision's index in `features`
    let blocks = [2, 2, 3, 3, 3]
    for (b, count) in blocks.enumerated() {
      for c in 1...count {
        post += 1
        let output = [widths[b], shape[1], shape[2]]
        layers.append(
          Layer(
            name: "conv\(b + 1)_\(c)", postName: "a⁽\(Self.superscript(post))⁾", kind: .convolution,
            input: shape,
            output: output, parameterPrefix: "features.\(feature)", outputModule: "features.\(feature + 1)"))
        feature += 2  // the conv and its ReLU
        shape = output
      }
      let output = [shape[0], shape[1] / 2, shape[2] / 2]
      layers.append(
        Layer(
          name: "pool\(b + 1)", postName: "m⁽\(Self.superscript(post))⁾", kind: .maxPool, input: shape,
          output: output,
          parameterPrefix: nil, outputModule: "features.\(feature)"))
      feature += 1
      shape = output
    }
    let flat = [Shape.count(shape)]
    layers.append(
      Layer(
        name: "flatten", postName: "f⁽\(Self.superscript(post))⁾", kind: .flatten, input: shape, output: flat,
        parameterPrefix: nil))
    shape = flat
    for (k, (width, relu, index)) in [(hidden, true, 0), (hidden, true, 3), (classes, false, 6)].enumerated()
    {
      post += 1
      layers.append(
        Layer(
          name: "fc\(6 + k)",
          postName: relu ? "a⁽\(Self.superscript(post))⁾" : "z⁽\(Self.superscript(post))⁾",
          kind: .fullyConnected(relu: relu), input: shape, output: [width],
          parameterPrefix: "classifier.\(index)", outputModule: "classifier.\(relu ? index + 1 : index)"))
      shape = [width]
    }
    layers.append(
      Layer(
        name: "softmax", postName: "ŷ = a⁽\(Self.superscript(post))⁾", kind: .softmax, input: shape,
        output: shape,
        parameterPrefix: nil))
    self.layers = layers
  }

  /// Every parameter in torchvision's `state_dict` order and layout:
  /// `features.0.weight` [64, 3, 3, 3], `features.0.bias` [64], … `classifier.6.bias` [1000].
  public var parameterShapes: [(name: String, shape: [Int])] {
    layers.flatMap { layer -> [(name: String, shape: [Int])] in
      guard let prefix = layer.parameterPrefix, let w = layer.weightShape else { return [] }
      return [("\(prefix).weight", w), ("\(prefix).bias", [w[0]])]
    }
  }

  public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
  public var multiplyAdds: Int { layers.reduce(0) { $0 + $1.multiplyAdds } }
  /// Output elements of every layer for one example (the flatten is a view: not counted).
  public var activationElements: Int {
    layers.reduce(0) { $0 + ($1.kind == .flatten ? 0 : Shape.count($1.output)) }
  }
  /// What the backward pass keeps for one example, in elements.
  public var keptElements: Int { layers.reduce(Shape.count([3, size, size])) { $0 + $1.kept.elements } }

  /// The number of layers with weights: 13 conv + 3 fc = 16, the "16" of VGG-16.
  public var weightLayers: Int { layers.filter { $0.weightShape != nil }.count }

  static func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    return String(String(n).map { digits[Int(String($0))!] })
  }
}
