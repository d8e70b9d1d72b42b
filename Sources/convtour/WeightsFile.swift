import ConvTourEngine
import ConvTourIO
import Foundation

/// VGG-16 weights as safetensors files with torchvision's `state_dict` names and layouts.
enum WeightsFile {
  /// Reads and checks a weights file: every tensor present, none extra, FP32, the right shapes.
  /// A problem is a one-line error naming the file and the tensor.
  static func read(_ path: String, architecture: VGG16Architecture) throws -> VGG16Parameters {
    let header = try Safetensors.header(path: path)
    try Safetensors.validate(header, expected: architecture.parameterShapes, file: path)
    let tensors = try Safetensors.read(path: path)
    return try VGG16Parameters(architecture: architecture, tensors: tensors)
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
