import ConvTourEngine
import ConvTourPresentation
import Foundation

/// `bench tour --vgg16`: after one full-size forward and backward run that keeps what explanations
/// need, how long it takes to explain one element (the engine's terms and their text) — what the
/// tour's VGG-16 screen does on `s`.
enum BenchTourVGG {
  static func run(repeats: Int) throws {
    let architecture = try VGG16Architecture()
    let parameters = VGG16Parameters.random(architecture, seed: 0)
    var generator = SeededRandom(seed: 0x5EED)
    let x = Tensor32(Tensor.random([1, 3, 224, 224], using: &generator))
    let recorder = VGG16Recorder()
    let labels = [7]
    let result = try VGG16Network(parameters: parameters).run(
      x, labels: labels, backward: true, observer: recorder.record)
    let kept =
      (recorder.outputs.values.map(\.count).reduce(0, +) + recorder.deltas.values.map(\.count).reduce(0, +))
      * 4
    print(
      "VGG-16, 224×224, batch 1: an element explained after a run that keeps every activation and δ (\(ShapeTable.bytes(kept)))"
    )
    func layer(_ name: String) -> Int { architecture.layers.firstIndex { $0.name == name }! }
    let cases: [(String, () throws -> Void)] = [
      (
        "conv1_2 a(100, 100, 5) forward",
        {
          let k = layer("conv1_2")
          let e = try VGG16Explain.forward(
            parameters, layer: k, input: recorder.outputs[k - 1]!, output: recorder.outputs[k]!,
            at: [0, 4, 99, 99])
          _ = ElementReport(architecture: architecture, forward: e, delta: nil).render()
        }
      ),
      (
        "conv1_2 a(100, 100, 5) forward and δ",
        {
          let k = layer("conv1_2")
          let e = try VGG16Explain.forward(
            parameters, layer: k, input: recorder.outputs[k - 1]!, output: recorder.outputs[k]!,
            at: [0, 4, 99, 99])
          let d = try VGG16Explain.backward(
            parameters, layer: k, recorder: recorder, labels: labels, at: [0, 4, 99, 99])
          _ = ElementReport(architecture: architecture, forward: e, delta: d).render()
        }
      ),
      (
        "fc6 a(5) forward and δ",
        {
          let k = layer("fc6")
          let e = try VGG16Explain.forward(
            parameters, layer: k, input: recorder.outputs[k - 1]!, output: recorder.outputs[k]!, at: [0, 4])
          let d = try VGG16Explain.backward(
            parameters, layer: k, recorder: recorder, labels: labels, at: [0, 4])
          _ = ElementReport(architecture: architecture, forward: e, delta: d).render()
        }
      ),
      (
        "conv1_2 ∂J/∂W(5, 3, 2, 2)",
        {
          let k = layer("conv1_2")
          let w = try VGG16Explain.weightGradient(
            parameters, layer: k, input: x, recorder: recorder, at: [4, 2, 1, 1],
            fast: result.gradients["features.2.weight"])
          _ = WeightReport(architecture: architecture, weight: w).render()
        }
      ),
    ]
    for (what, body) in cases {
      var times: [Double] = []
      for _ in 0..<repeats {
        let start = DispatchTime.now()
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
      }
      times.sort()
      print(
        String(format: "  %-40@ median %6.1f ms, slowest %6.1f ms", what, times[times.count / 2], times.last!)
      )
    }
  }
}
