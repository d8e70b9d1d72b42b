import ConvTourEngine
import ConvTourIO

/// `--dump FILE`: the pass's results as safetensors, in PyTorch's names and layouts:
/// `logits` [M, n], `probs` [M, n], `loss` [1], `input.grad` [M, C, H, W], and for each
/// parameter its gradient as `NAME.grad` in the parameter's own layout; with
/// `--dump-activations`, every layer's output as `act.MODULE` (`act.features.1` … `act.classifier.6`);
/// an output no module names is `act.F.relu(conv1)` after a functional ReLU, else `act.LAYER`.
enum Dump {
  static func write(_ result: FastNetwork.Result, architecture: NetworkArchitecture, to path: String) throws {
    var tensors: [(name: String, tensor: Tensor32)] = [
      ("logits", result.logits), ("probs", result.probabilities),
    ]
    if let loss = result.loss { tensors.append(("loss", try Tensor32(shape: [1], values: [loss]))) }
    if let g = result.inputGradient { tensors.append(("input.grad", g)) }
    tensors += result.activations.map { ("act.\($0.module)", $0.tensor) }
    // The gradients in the state_dict's order: features.0 < features.2 < … < classifier.6,
    // weight before bias.
    for (name, _) in architecture.parameterShapes {
      if let g = result.gradients[name] { tensors.append(("\(name).grad", g)) }
    }
    try Safetensors.write(
      tensors, to: path, metadata: ["producer": "convtour net run --network \(architecture.name)"])
  }
}
