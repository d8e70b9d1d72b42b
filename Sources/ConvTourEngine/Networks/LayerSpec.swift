/// One line of a network's description, before shapes are known: what a PyTorch `nn.Sequential`
/// (or a module's `forward`) does, in order. `NetworkArchitecture` infers every shape from these.
public struct LayerSpec: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// K filters of f×f over every input channel: `nn.Conv2d(C, K, f, stride, padding)`.
    case convolution(outputs: Int, kernel: Int, stride: Int, padding: Int)
    /// ReLU of the layer before it (a convolution or fully connected layer).
    case relu
    /// `nn.MaxPool2d(kernel, stride)`: the largest of each window, the first of equals.
    case maxPool(kernel: Int, stride: Int)
    /// `nn.AvgPool2d(kernel, stride)`: the mean of each window.
    case averagePool(kernel: Int, stride: Int)
    /// `torch.flatten(x, 1)` / `x.view(-1, n)`: [C, H, W] → [C·H·W], row-major.
    case flatten
    /// `nn.Linear(n_in, outputs)`.
    case fullyConnected(outputs: Int)
  }

  public var kind: Kind
  /// The layer's name in tables and commands (conv1_1, pool1, fc6…); generated when nil.
  public var name: String?
  /// PyTorch's name of the module: the prefix of a layer's parameters (`features.0` →
  /// `features.0.weight`; the layer's name when nil), or the module whose output this is
  /// (`features.1`, a ReLU). Nil for a function (`F.relu`, `torch.flatten`), whose output no
  /// module names.
  public var module: String?
  /// The line of a network file this came from, for errors.
  public var line: Int?

  public init(_ kind: Kind, name: String? = nil, module: String? = nil, line: Int? = nil) {
    self.kind = kind
    self.name = name
    self.module = module
    self.line = line
  }
}

/// What a network is trained to minimise.
public enum NetworkLoss: Sendable, Equatable {
  /// Softmax, then the cross-entropy with one-hot labels, averaged over the batch:
  /// J = (1/m)·Σ_e −log ŷ_e[label_e] (`nn.CrossEntropyLoss()`).
  case softmaxCrossEntropy
  /// The squared distance of the output to a vector of `target`s, summed over the batch:
  /// J = Σ_e ‖z_e − target·1‖² — 001 §12.4's `torch.norm(output - torch.ones(output.shape[1]))**2`.
  case squaredDistance(target: Float)

  /// "cross-entropy" or "squared distance to 1".
  public var description: String {
    switch self {
    case .softmaxCrossEntropy: "softmax cross-entropy"
    case .squaredDistance(let t): "squared distance to \(t == t.rounded() ? String(Int(t)) : String(t))"
    }
  }
}
