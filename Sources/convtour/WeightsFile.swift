import ConvTourEngine
import ConvTourIO
import Foundation

/// VGG-16 weights: read from safetensors or torch.save's `.pth` (zip or legacy) with torchvision's
/// or timm's names (WeightsReader), written as safetensors with torchvision's names and layouts.
enum WeightsFile {
  /// Reads and checks a weights file: every tensor present, none extra, the right shapes;
  /// float16, bfloat16 and float64 are converted to float32, and timm's names mapped. What was
  /// done goes to `note`, one line each (by default on standard error). A problem is a one-line
  /// error naming the file and the tensor.
  static func read(
    _ path: String, architecture: VGG16Architecture,
    note: (String) -> Void = { printError("convtour: \($0)") }
  ) throws -> VGG16Parameters {
    let weights = try WeightsReader.read(path: path, expected: architecture.parameterShapes)
    weights.notes.forEach(note)
    return try VGG16Parameters(architecture: architecture, tensors: weights.tensors)
  }

  static func write(_ parameters: VGG16Parameters, to path: String, seed: UInt64) throws {
    let ordered = parameters.architecture.parameterShapes.map { ($0.name, parameters.tensors[$0.name]!) }
    try Safetensors.write(
      ordered.map { (name: $0.0, tensor: $0.1) }, to: path,
      metadata: [
        "format": "pt", "producer": "convtour net init --network \(parameters.architecture.name)",
        "seed": String(seed),
      ])
  }
}
