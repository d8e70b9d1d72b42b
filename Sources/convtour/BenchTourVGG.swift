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
    // The tour's VGG-16 screen after this run, as a keypress finds it.
    var run = VGGRunState()
    run.record = try VGGRunRecord(
      source: .init(labels: labels), parameters: parameters, x: x, labels: labels, recorder: recorder,
      result: result, backward: true)
    run.status = .done(backward: true)
    func screen(_ name: String, cursor: [Key]) -> () throws -> Void {
      {
        var state = TourState(lessons: [])
        state.mode = .vgg
        state.vgg.showsRun = true
        state.vgg.run = run
        state.vgg.selected = layer(name)
        state.handle(.enter)  // the cursor, on channel 1
        for key in cursor { state.handle(key) }
        state.handle(.character("s"))  // step into the element: its explanation, drawn
        _ = TourView.render(state, width: 120, height: 40, capabilities: Capabilities())
      }
    }
    let cases: [(String, () throws -> Void)] = [
      ("s on conv1_2 a(5, 2, 1), drawn", screen("conv1_2", cursor: [.down, .down, .down, .down, .right])),
      ("s on fc6 unit 5, drawn", screen("fc6", cursor: [.right, .right, .right, .right])),
      ("s on pool4, drawn", screen("pool4", cursor: [.down])),
      (
        "conv1_2 ∂J/∂W(5, 3, 2, 2), text",
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
