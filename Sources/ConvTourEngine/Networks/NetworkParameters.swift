import Foundation

/// The weights and biases of a network, by PyTorch's `state_dict` names and in its layouts
/// (VGG-16: `features.0.weight` [64, 3, 3, 3] … `classifier.6.bias` [1000]), in Float32.
public struct NetworkParameters: Sendable {
  public var architecture: NetworkArchitecture
  public var tensors: [String: Tensor32]

  public init(architecture: NetworkArchitecture, tensors: [String: Tensor32]) throws {
    for (name, shape) in architecture.parameterShapes {
      guard let t = tensors[name] else {
        throw EngineError.invalidParameter(op: architecture.name, reason: "missing parameter \(name)")
      }
      guard t.shape == shape else {
        throw EngineError.shapeMismatch(
          op: "\(architecture.name) \(name)", shapes: [t.shape, shape], expected: "the layer's shape")
      }
    }
    self.architecture = architecture
    self.tensors = tensors
  }

  /// Seeded weights, drawn as PyTorch initialises the network's layers:
  /// - VGG (`.torchvisionVGG`): conv weights normal with std √(2 / fan_out), fan_out = K·f·f
  ///   (Kaiming, mode "fan_out", for ReLU); fc weights normal(0, 0.01); biases 0;
  /// - any other network (`.pytorchDefault`, `nn.Conv2d`'s and `nn.Linear`'s own
  ///   `reset_parameters`): weights and biases uniform in ±1/√fan_in, fan_in = C·f·f or n_in.
  /// The numbers are drawn by SplitMix64 (and the Box–Muller transform for normals), in chunks of
  /// 2¹⁶ elements seeded from (seed, parameter, chunk), so they are the same on every machine
  /// and can be drawn on all cores.
  public static func random(_ architecture: NetworkArchitecture, seed: UInt64) -> NetworkParameters {
    random(architecture, seed: seed, cancel: { false })!
  }

  /// The same, or nil when `cancel` (asked between chunks of 2¹⁶ values: VGG-16's 138 M take
  /// seconds) says to stop.
  public static func random(_ architecture: NetworkArchitecture, seed: UInt64, cancel: () -> Bool)
    -> NetworkParameters?
  {
    var tensors: [String: Tensor32] = [:]
    let shapes = architecture.parameterShapes
    for (p, (name, shape)) in shapes.enumerated() {
      var t = Tensor32(zeros: shape)
      let isWeight = name.hasSuffix(".weight")
      switch architecture.initialisation {
      case .torchvisionVGG:
        if isWeight {
          let std: Float = shape.count == 4 ? (2 / Float(shape[0] * shape[2] * shape[3])).squareRoot() : 0.01
          fillNormal(&t.values, std: std, seed: seed, stream: UInt64(p), cancel: cancel)
        }
      case .pytorchDefault:
        // The bias's fan_in is its weight's: the entry before it.
        let weight = isWeight ? shape : shapes[p - 1].shape
        let fanIn = Shape.count(Array(weight.dropFirst()))
        fillUniform(
          &t.values, bound: 1 / Float(fanIn).squareRoot(), seed: seed, stream: UInt64(p), cancel: cancel)
      }
      if cancel() { return nil }
      tensors[name] = t
    }
    return NetworkParameters(architecture: architecture, unchecked: tensors)
  }

  init(architecture: NetworkArchitecture, unchecked tensors: [String: Tensor32]) {
    self.architecture = architecture
    self.tensors = tensors
  }

  /// Normal(0, std²) values, chunk by chunk on all cores.
  static func fillNormal(
    _ values: inout [Float], std: Float, seed: UInt64, stream: UInt64, cancel: () -> Bool = { false }
  ) {
    fillChunks(&values, seed: seed, stream: stream, cancel: cancel) { generator, base, range in
      var k = range.lowerBound
      while k < range.upperBound {
        // Box–Muller: two uniforms in (0, 1] give two independent normals.
        let u1 = 1 - generator.uniform(0, 1)
        let u2 = generator.uniform(0, 1)
        let r = (-2 * Foundation.log(u1)).squareRoot()
        base[k] = Float(r * Foundation.cos(2 * Double.pi * u2)) * std
        if k + 1 < range.upperBound { base[k + 1] = Float(r * Foundation.sin(2 * Double.pi * u2)) * std }
        k += 2
      }
    }
  }

  /// Uniform(−bound, bound) values, chunk by chunk on all cores.
  static func fillUniform(
    _ values: inout [Float], bound: Float, seed: UInt64, stream: UInt64, cancel: () -> Bool = { false }
  ) {
    fillChunks(&values, seed: seed, stream: stream, cancel: cancel) { generator, base, range in
      for k in range { base[k] = Float(generator.uniform(-Double(bound), Double(bound))) }
    }
  }

  /// Fills `values` in chunks of 2¹⁶ on all cores, each chunk from its own generator seeded by
  /// (seed, stream, chunk): the same numbers whatever the number of cores. Once `cancel` says
  /// so, the chunks left are skipped (the caller drops the values).
  static func fillChunks(
    _ values: inout [Float], seed: UInt64, stream: UInt64, cancel: () -> Bool = { false },
    _ fill: (inout SeededRandom, UnsafeMutablePointer<Float>, Range<Int>) -> Void
  ) {
    let chunk = 1 << 16
    let count = values.count
    values.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress!
      FastPath.parallelFor((count + chunk - 1) / chunk) { c in
        if cancel() { return }
        var generator = SeededRandom(seed: seed, stream: [stream, UInt64(c)])
        fill(&generator, base, (c * chunk)..<min(count, (c + 1) * chunk))
      }
    }
  }

  public func weight(_ layer: NetworkArchitecture.Layer) -> Tensor32 {
    tensors[layer.weightName!]!
  }
  public func bias(_ layer: NetworkArchitecture.Layer) -> Tensor32 {
    tensors[layer.biasName!]!
  }
}

/// VGG-16's weights and biases: one case of `NetworkParameters`.
public typealias VGG16Parameters = NetworkParameters
