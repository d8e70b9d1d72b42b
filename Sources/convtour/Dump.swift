import ConvTourEngine
import ConvTourIO

/// `--dump FILE`: the pass's results as safetensors, in PyTorch's names and layouts:
/// `logits` [M, 1000], `probs` [M, 1000], `loss` [1], `input.grad` [M, 3, N, N], and for each
/// parameter its gradient as `NAME.grad` in the parameter's own layout; with
/// `--dump-activations`, every layer's output as `act.MODULE` (`act.features.1` … `act.classifier.6`).
enum Dump {
  static func write(_ result: VGG16Network.Result, to path: String) throws {
    var tensors: [(name: String, tensor: Tensor32)] = [
      ("logits", result.logits), ("probs", result.probabilities),
    ]
    if let loss = result.loss { tensors.append(("loss", try Tensor32(shape: [1], values: [loss]))) }
    if let g = result.inputGradient { tensors.append(("input.grad", g)) }
    tensors += result.activations.map { ("act.\($0.module)", $0.tensor) }
    for name in result.gradients.keys.sorted(by: parameterOrder) {
      tensors.append(("\(name).grad", result.gradients[name]!))
    }
    try Safetensors.write(tensors, to: path, metadata: ["producer": "convtour vgg16 run"])
  }

  /// features.0 < features.2 < … < classifier.6, weight before bias.
  static func parameterOrder(_ a: String, _ b: String) -> Bool {
    func key(_ s: String) -> (Int, Int, Int) {
      let parts = s.split(separator: ".")
      return (parts[0] == "features" ? 0 : 1, Int(parts[1]) ?? 0, parts[2] == "weight" ? 0 : 1)
    }
    return key(a) < key(b)
  }
}
