import Foundation

/// The weights and biases of a VGG-16, by torchvision's `state_dict` names and in its layouts
/// (`features.0.weight` [64, 3, 3, 3] … `classifier.6.bias` [1000]), in Float32.
public struct VGG16Parameters: Sendable {
  public var architecture: VGG16Architecture
  public var tensors: [String: Tensor32]

  public init(architecture: VGG16Architecture, tensors: [String: Tensor32]) throws {
    for (name, shape) in architecture.parameterShapes {
      guard let t = tensors[name] else {
        throw EngineError.invalidParameter(op: "vgg16", reason: "missing parameter \(name)")
      }
      guard t.shape == shape else {
        throw EngineError.shapeMismatch(
          op: "vgg16 \(name)", shapes: [t.shape, shape], expected: "the layer's shape")
      }
    }
    self.architecture = architecture
    self.tensors = tensors
  }

  /// torchvision's initialisation of VGG, from a seed: conv weights normal with
  /// std √(2 / fan_out), fan_out = K·3·3 (Kaiming, mode "fan_out", for ReLU); fc weights
  /// normal(0, 0.01); biases 0. The numbers are drawn by SplitMix64 and the Box–Muller
  /// transform, in chunks of 2¹⁶ elements seeded from (seed, parameter, chunk), so they are the
  /// same on every machine and can be drawn on all cores.
  public static func random(_ architecture: VGG16Architecture, seed: UInt64) -> VGG16Parameters {
    var tensors: [String: Tensor32] = [:]
    for (p, (name, shape)) in architecture.parameterShapes.enumerated() {
      var t = Tensor32(zeros: shape)
      if name.hasSuffix(".weight") {
        let std: Float = shape.count == 4 ? (2 / Float(shape[0] * shape[2] * shape[3])).squareRoot() : 0.01
        fillNormal(&t.values, std: std, seed: seed, stream: UInt64(p))
      }
      tensors[name] = t
    }
    return VGG16Parameters(architecture: architecture, unchecked: tensors)
  }

  init(architecture: VGG16Architecture, unchecked tensors: [String: Tensor32]) {
    self.architecture = architecture
    self.tensors = tensors
  }

  /// Normal(0, std²) values, chunk by chunk on all cores.
  static func fillNormal(_ values: inout [Float], std: Float, seed: UInt64, stream: UInt64) {
    let chunk = 1 << 16
    let count = values.count
    values.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress!
      FastPath.parallelFor((count + chunk - 1) / chunk) { c in
        var generator = SeededRandom(
          seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(c) &* 0xD1B5_4A32_D192_ED03))
        var k = c * chunk
        let end = min(count, k + chunk)
        while k < end {
          // Box–Muller: two uniforms in (0, 1] give two independent normals.
          let u1 = 1 - generator.uniform(0, 1)
          let u2 = generator.uniform(0, 1)
          let r = (-2 * Foundation.log(u1)).squareRoot()
          base[k] = Float(r * Foundation.cos(2 * Double.pi * u2)) * std
          if k + 1 < end { base[k + 1] = Float(r * Foundation.sin(2 * Double.pi * u2)) * std }
          k += 2
        }
      }
    }
  }

  public func weight(_ layer: VGG16Architecture.Layer) -> Tensor32 {
    tensors["\(layer.parameterPrefix!).weight"]!
  }
  public func bias(_ layer: VGG16Architecture.Layer) -> Tensor32 {
    tensors["\(layer.parameterPrefix!).bias"]!
  }
}
