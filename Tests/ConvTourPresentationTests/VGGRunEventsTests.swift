import ConvTourEngine
import Testing

@testable import ConvTourPresentation

/// The VGG-16 screen's run state follows a network's events with no thread and no terminal;
/// keys ask for runs and cancellations as effects.
@Suite("VGG-16 run events and effects")
struct VGGRunEventsTests {
  @Test("each event moves the layer, records times, outputs and their gradients")
  func events() throws {
    let a = try VGG16Architecture(size: 32, widths: [3, 4, 4, 5, 6], hidden: 7, classes: 5)
    let parameters = VGG16Parameters.random(a, seed: 5)
    var random = SeededRandom(seed: 9)
    let x = Tensor32(Tensor.random([1, 3, 32, 32], using: &random))
    var state = VGGRunState()
    var events: [VGG16Network.Event] = []
    _ = try VGG16Network(parameters: parameters).run(x, labels: [1], backward: true) { events.append($0) }
    for event in events { state.apply(event) }
    #expect(state.forwardSeconds.count == a.layers.count)
    let backwardLayers = Set(events.filter { $0.phase == .backward && $0.finished }.map(\.layer))
    #expect(!backwardLayers.isEmpty && state.backwardSeconds.count == backwardLayers.count)
    #expect(state.outputs[0]?.shape == [1, 3, 32, 32])
    #expect(state.outputGradients[0]?.shape == [1, 3, 32, 32])
    #expect(state.layer == events.last?.layer)
  }

  @Test("r and b start a run, Esc cancels one under way, q quits: effects, not flags")
  func effects() {
    var state = TourState(lessons: [])
    state.handle(.character("v"))
    #expect(state.handle(.character("r")) == .startVGGRun(backward: false))
    state.vgg.run.status = .running(backward: false)
    #expect(state.handle(.character("b")) == nil)
    #expect(state.handle(.escape) == .cancelVGGRun)
    state.vgg.run.status = .cancelled
    #expect(state.handle(.character("q")) == .quit)
  }

  @Test("the layer table: a name as long as tiny-vgg's stays apart from its shape; a fused softmax finishes")
  func tableColumns() throws {
    let a = try #require(try BuiltInNetworks.named("tiny-vgg"))
    let parameters = VGG16Parameters.random(a, seed: 5)
    var random = SeededRandom(seed: 9)
    let x = Tensor32(Tensor.random([1] + a.input, using: &random))
    var state = TourState(lessons: [])
    state.handle(.character("v"))
    state.vgg.network = a
    state.vgg.showsRun = true
    _ = try VGG16Network(parameters: parameters).run(x, labels: [1], backward: true) {
      state.vgg.run.apply($0)
    }
    state.vgg.run.status = .done(backward: true)
    let text = TourView.render(state, width: 80, height: 24, capabilities: Capabilities()).text
    #expect(text.contains(" max_pool_1 10×30×30 "), "\(text)")
    let softmax = try #require(text.split(separator: "\n").first { $0.hasPrefix(" softmax ") })
    #expect(softmax.contains("████████") && !softmax.contains("·"), "\(softmax)")
  }
}
