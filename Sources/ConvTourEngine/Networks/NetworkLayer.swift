extension NetworkArchitecture {
  /// One row of the layer table, with its shapes known. A convolution or fully connected layer
  /// carries the ReLU that follows it (`relu`), as the VGG post's table does.
  ///
  /// Shapes are per example, PyTorch's order: [C, H, W] for images, [n] for vectors.
  public struct Layer: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
      /// f×f convolution (`kernel`, `stride`, `padding`), then ReLU when `relu`.
      case convolution
      /// f×f max-pool (`kernel`, `stride`).
      case maxPool
      /// f×f mean pool (`kernel`, `stride`).
      case averagePool
      case flatten
      /// Fully connected; `relu` for fc6 and fc7.
      case fullyConnected(relu: Bool)
      /// Softmax, fused with the cross-entropy loss (only with that loss).
      case softmax
    }

    /// conv1_1 … conv5_3, pool1 … pool5, flatten, fc6, fc7, fc8, softmax (VGG-16).
    public var name: String
    /// The VGG post's name of the layer's output: a⁽ℓ⁾ after a ReLU, z⁽ℓ⁾ without, m⁽ℓ⁾ a pool,
    /// f⁽ℓ⁾ the flatten, ŷ = a⁽ℓ⁾ the softmax; ℓ counts the layers with weights.
    public var postName: String
    public var kind: Kind
    public var input: [Int]
    public var output: [Int]
    /// Side of the square window of a convolution or pool (0 otherwise).
    public var kernel: Int = 0
    public var stride: Int = 1
    public var padding: Int = 0
    /// Whether a ReLU follows (a convolution or fully connected layer).
    public var relu: Bool = false
    /// PyTorch's name of the layer's parameters: `features.N` / `classifier.N` (torchvision), `conv1`.
    public var parameterPrefix: String?
    /// The PyTorch module (in eval mode) whose output equals this layer's output: the ReLU
    /// after a conv or fc6/fc7 (`features.1`, `classifier.4`), the pool itself (`features.4`),
    /// fc8 itself (`classifier.6`, the logits). Nil for the flatten, the softmax and an output
    /// no module names (after `F.relu`).
    public var outputModule: String? = nil
    /// The line of the network file the layer was read from.
    public var line: Int? = nil

    /// What a dump calls the layer's output: its module (`features.1`); `F.relu(conv1)` after a
    /// functional ReLU; the layer's name for a pool no module names; nil for the flatten (a view)
    /// and the softmax.
    public var activationName: String? {
      if let outputModule { return outputModule }
      switch kind {
      case .convolution, .fullyConnected:
        return relu ? "F.relu(\(parameterPrefix ?? name))" : parameterPrefix ?? name
      case .maxPool, .averagePool: return name
      case .flatten, .softmax: return nil
      }
    }

    /// PyTorch's names of the layer's parameters in the `state_dict` (`features.0.weight`,
    /// `features.0.bias`); nil for a layer without parameters. The one place they are spelled.
    public var weightName: String? { weightShape == nil ? nil : parameterPrefix.map { "\($0).weight" } }
    public var biasName: String? { weightShape == nil ? nil : parameterPrefix.map { "\($0).bias" } }

    /// The shape of the weights: [K, C, f, f] for a convolution, [n_out, n_in] for fc.
    public var weightShape: [Int]? {
      switch kind {
      case .convolution: [output[0], input[0], kernel, kernel]
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
      case .convolution: Shape.count(output) * input[0] * kernel * kernel
      case .fullyConnected: output[0] * input[0]
      default: 0
      }
    }

    /// "3×3 / 1 / 1" (kernel / stride / padding), "2×2 / 2 / 0", or "—".
    public var kernelStridePadding: String {
      switch kind {
      case .convolution, .maxPool, .averagePool: "\(kernel)×\(kernel) / \(stride) / \(padding)"
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
      case .convolution, .fullyConnected:
        (Shape.count(input) + (relu ? Shape.count(output) : 0), relu ? "input + ReLU output" : "input")
      case .maxPool: (Shape.count(output), "winner per output")
      case .averagePool: (0, "nothing (fixed weights)")
      case .flatten: (0, "nothing (a view)")
      case .softmax: (Shape.count(output), "probabilities a")
      }
    }
  }
}
