import Testing

@testable import ConvTourPresentation

/// The VGG-16 screen's training keys on the pure state, and the training panel rendered.
@Suite("Training VGG-16 from the tour: keys and panel")
struct VGGTrainStateTests {
  func vgg() -> TourState {
    var state = TourState(lessons: [])
    state.mode = .vgg
    return state
  }

  @Test("T starts training with the η and steps shown; any key then stops it and does nothing else")
  func startAndStop() {
    var state = vgg()
    #expect(state.handle(.character("T")) == .startVGGTraining(steps: 10, learningRate: 0.01))
    #expect(state.vgg.showsRun && state.vgg.showsTraining)
    #expect(state.vgg.training.running)
    #expect(state.handle(.character("?")) == .stopVGGTraining)
    #expect(state.mode == .vgg)
    #expect(state.vgg.training.status == .stopping)
    #expect(state.handle(.character("r")) == nil)  // while stopping: no run
    #expect(state.handle(.character("q")) == .quit)
  }

  @Test("+/− move η along 1, 3 per decade; </> the steps; r hides the panel")
  func ladders() {
    var state = vgg()
    state.handle(.character("T"))
    state.vgg.training.status = .done("10 steps taken")
    state.handle(.character("+"))
    #expect(state.vgg.training.learningRate == 0.03)
    state.handle(.character("-"))
    state.handle(.character("-"))
    #expect(state.vgg.training.learningRate == 0.003)
    state.handle(.character("<"))
    #expect(state.vgg.training.steps == 5)
    state.handle(.character(">"))
    state.handle(.character(">"))
    #expect(state.vgg.training.steps == 20)
    #expect(state.handle(.character("T")) == .startVGGTraining(steps: 20, learningRate: 0.003))
    state.vgg.training.status = .done("20 steps taken")
    #expect(state.handle(.character("r")) == .startVGGRun(backward: false))
    #expect(!state.vgg.showsTraining)
  }

  @Test("the panel at 80×24 and 160×48: η, steps, the step under way, the loss chart of the steps so far")
  func panel() {
    var state = vgg()
    state.handle(.character("T"))
    state.vgg.training.status = .training
    state.vgg.training.losses = [6.8422, 6.13178, 2.40747]
    state.vgg.training.gradientNorms = [8.9946, 14.44, 50.61]
    state.vgg.training.seconds = [1.19, 1.19, 1.11]
    state.vgg.training.totalSteps = 3
    for (w, h) in [(80, 24), (160, 48)] {
      let text = TourView.render(state, width: w, height: h, capabilities: Capabilities()).text
      #expect(text.contains("η = 0.01 (+/−) · 10 steps"))
      #expect(text.contains("step 4 of 10: conv1_1 forward"))
      #expect(text.contains("step 3: loss J = 2.40747"))
      #expect(text.contains("training step 4 of 10 · any key stops"))
      #expect(text.contains("6.8422 ┤"))
      #expect(text.contains("trained 3 SGD steps (T)"))
    }
    let ascii = TourView.render(state, width: 80, height: 24, capabilities: Capabilities(unicode: false)).text
    #expect(ascii.contains("6.8422 +"))
    // Spelled before it is wrapped: η and θ read eta and theta, and nothing runs past the edge.
    #expect(ascii.contains("eta = 0.01 (+/-)"))
    let rows = ascii.split(separator: "\n").map(String.init)
    // The panel's text alone: every row from the column where "Training:" starts.
    let heading = rows.first { $0.contains("Training:") } ?? ""
    let panel = heading.range(of: "Training:").map {
      heading.distance(from: heading.startIndex, to: $0.lowerBound)
    }
    let words = rows.map { String($0.dropFirst(panel ?? 0)) }.joined(separator: " ")
      .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(words.contains("||dJ/dtheta|| = 50.61 | 1.11 s/step"), "\(ascii)")
    state.vgg.training.status = .done("10 steps taken")
    state.mode = .help
    let help = TourView.render(state, width: 160, height: 80, capabilities: Capabilities()).text
    #expect(help.contains("convtour vgg16 compare runs the network with direct and with Winograd"))
    #expect(help.contains("network: train"))
  }
}
