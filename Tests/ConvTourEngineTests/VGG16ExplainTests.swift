import ConvTourEngine
import Testing

/// Elements of a VGG-16 run explained by the reference ops from the fast path's tensors.
@Suite("VGG-16 elements explained")
struct VGG16ExplainTests {
  /// The shrunk VGG-16 of `VGG16Tests`, with non-zero biases, run forward and backward, recorded.
  static func recordedRun() throws -> (VGG16Parameters, Tensor32, [Int], VGG16Recorder, Tensor) {
    let (plain, x, labels) = try VGG16Tests.shrunk()
    var tensors = plain.tensors
    var random = SeededRandom(seed: 3)
    for (name, t) in tensors where name.hasSuffix("bias") {
      tensors[name] = Tensor32(Tensor.random(t.shape, using: &random).map { $0 * 0.1 })
    }
    let parameters = try VGG16Parameters(architecture: plain.architecture, tensors: tensors)
    let recorder = VGG16Recorder()
    _ = try VGG16Network(parameters: parameters).run(
      x, labels: labels, backward: true, observer: recorder.record)
    return (parameters, x, labels, recorder, Tensor(x))
  }

  /// Every `step`-th element of a tensor of this shape (and the last), as indices.
  func sample(_ shape: [Int], step: Int) -> [[Int]] {
    let count = shape.reduce(1, *)
    return Array(stride(from: 0, to: count, by: step)).appending(count - 1).map {
      Shape.index(ofOffset: $0, in: shape)
    }
  }

  @Test("each layer's elements: the terms add up to the reference value and to the fast path's")
  func forward() throws {
    let (parameters, x, labels, recorder, x64) = try Self.recordedRun()
    let (activations, _) = try ReferenceVGG16(parameters).forward(x64, labels: labels)
    // The reference activations skip the flatten's own entry and the softmax; map layer k to them.
    var reference: [Int: Tensor] = [:]
    var r = 1
    for (k, layer) in parameters.architecture.layers.enumerated() where layer.kind != .softmax {
      reference[k] = activations[r]
      r += 1
    }
    for k in 0..<(parameters.architecture.layers.count - 1) {
      let output = recorder.outputs[k]!
      let input = k == 0 ? x : recorder.outputs[k - 1]!
      let scale = max(1e-12, reference[k]!.values.map(abs).max()!)
      for index in sample(output.shape, step: 13) {
        let e = try VGG16Explain.forward(parameters, layer: k, input: input, output: output, at: index)
        let expected = reference[k]![index: index]
        // Exact (in Double) on conv1_1, whose input is x itself; above it the inputs are the fast
        // path's Float32 activations, within float32 rounding of the reference's Double ones.
        #expect(abs(e.value - expected) <= (k == 0 ? 1e-9 : 1e-4) * scale, "layer \(k) \(index)")
        #expect(abs(e.value - Double(e.fastValue)) <= 1e-4 * scale, "layer \(k) \(index) fast")
        if case .sum = e.explanation.combination {
          // The partial sums (per input channel, or per unit for fc) and the bias give z.
          let groups = e.explanation.groups(input: 0, position: 1)
          let bias = e.explanation.terms.last!.value
          let z = groups.reduce(bias) { $0 + $1.sum }
          #expect(abs(z - e.explanation.value) <= 1e-12 * max(1, abs(z)))
        }
      }
    }
  }

  @Test("δ of each layer's elements: gathered from the layer above, it is the fast path's δ")
  func backward() throws {
    let (parameters, _, labels, recorder, _) = try Self.recordedRun()
    for k in 0..<(parameters.architecture.layers.count - 1) {
      let delta = recorder.deltas[k]!
      let scale = Double(max(1e-20, delta.values.map(abs).max()!))
      for index in sample(delta.shape, step: 11) {
        let e = try VGG16Explain.backward(parameters, layer: k, recorder: recorder, labels: labels, at: index)
        #expect(
          abs(e.delta - Double(e.fastDelta)) <= 1e-4 * scale,
          "layer \(k) \(index): \(e.delta) vs \(e.fastDelta)")
      }
    }
  }

  @Test("∂J/∂W of each layer's weights: the sum over positions of δz·s is the fast path's")
  func weightGradient() throws {
    let (parameters, x, labels) = try VGG16Tests.shrunk()
    let recorder = VGG16Recorder()
    let result = try VGG16Network(parameters: parameters).run(
      x, labels: labels, backward: true, observer: recorder.record)
    for (k, layer) in parameters.architecture.layers.enumerated() {
      guard let shape = layer.weightShape, let prefix = layer.parameterPrefix else { continue }
      let fast = result.gradients["\(prefix).weight"]!
      let scale = Double(fast.values.map(abs).max()!)
      for index in sample(shape, step: 17) {
        let e = try VGG16Explain.weightGradient(
          parameters, layer: k, input: x, recorder: recorder, at: index, fast: fast)
        #expect(abs(e.explanation.value - Double(e.fastValue!)) <= 1e-4 * scale, "\(layer.name) \(index)")
        // Every position of every example: 2 × H × W terms for a convolution, 2 for fc.
        let h = layer.input.count == 3 ? layer.input[1] * layer.input[2] : 1
        #expect(e.explanation.terms.count == 2 * h)
      }
    }
  }

  @Test("a convolution element: 9 products per input channel, its window clipped at the border")
  func convolutionTerms() throws {
    let (parameters, _, _, recorder, _) = try Self.recordedRun()
    // conv1_2 (layer 1) at the top-left corner: 3 input channels × 9 taps, 5 of them in the border.
    let e = try VGG16Explain.forward(
      parameters, layer: 1, input: recorder.outputs[0]!, output: recorder.outputs[1]!, at: [1, 2, 0, 0])
    #expect(e.explanation.terms.count == 3 * 9 + 1)
    let padding = e.explanation.terms.filter { $0.factors.first?.isPadding == true }
    #expect(padding.count == 3 * 5)
    // s is the input padded by 1: the centre tap reads s[1, 1] (0-based) = x(1, 1) of example 2,
    // and the corner tap s[0, 0] is the zero border.
    #expect(e.explanation.terms[4].factors[0].index == [1, 0, 1, 1])
    #expect(
      e.explanation.terms[0].factors[0].index == [1, 0, 0, 0] && e.explanation.terms[0].factors[0].isPadding)
    #expect(e.explanation.terms[4].factors[1].index == [2, 0, 1, 1])  // W's centre tap
    #expect(e.explanation.groups(input: 0, position: 1).map(\.key) == [0, 1, 2])
  }

  @Test("an element outside its layer is an error naming the layer")
  func outside() throws {
    let (parameters, x, labels, recorder, _) = try Self.recordedRun()
    #expect(throws: EngineError.self) {
      try VGG16Explain.forward(
        parameters, layer: 0, input: x, output: recorder.outputs[0]!, at: [0, 4, 0, 0])
    }
    #expect(throws: EngineError.self) {
      try VGG16Explain.backward(parameters, layer: 0, recorder: recorder, labels: labels, at: [0, 0, 32, 0])
    }
  }
}

extension Array {
  fileprivate func appending(_ element: Element) -> [Element] { self + [element] }
}
