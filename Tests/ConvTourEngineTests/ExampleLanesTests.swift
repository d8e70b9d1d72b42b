import Testing

@testable import ConvTourEngine

/// A small network's batch run as lanes of examples (`ExampleLanes`) against the same batch run
/// layer by layer, each layer split across the workers (the path VGG-16 takes).
@Suite("Lanes of examples")
struct ExampleLanesTests {
  static func networks() throws -> [NetworkArchitecture] {
    [
      try BuiltInNetworks.named("tiny-vgg")!, try BuiltInNetworks.named("lenet5")!,
      try BuiltInNetworks.named("textbook-convnet")!,
    ]
  }

  static func batch(_ architecture: NetworkArchitecture, _ m: Int, seed: UInt64) -> (Tensor32, [Int]) {
    var generator = SeededRandom(seed: seed)
    return (
      Tensor32(Tensor.random([m] + architecture.input, using: &generator)),
      (0..<m).map { ($0 * 7 + 3) % architecture.classes }
    )
  }

  static func relativeDistance(_ a: Tensor32, _ b: Tensor32) -> Double {
    var (difference, norm) = (0.0, 0.0)
    for (u, v) in zip(a.values, b.values) {
      difference += Double(u - v) * Double(u - v)
      norm += Double(v) * Double(v)
    }
    return (difference / max(norm, 1e-300)).squareRoot()
  }

  @Test("small networks split a batch of 2 or more into lanes; VGG-16 and batches of 1 do not")
  func whoSplits() throws {
    for architecture in try Self.networks() {
      #expect(ExampleLanes.splits(architecture, examples: 2))
      #expect(!ExampleLanes.splits(architecture, examples: 1))
    }
    #expect(!ExampleLanes.splits(try BuiltInNetworks.named("vgg16")!, examples: 8))
    #expect((0..<ExampleLanes.count).map { ExampleLanes.examples($0, of: 5).count }.reduce(0, +) == 5)
  }

  @Test("lanes give what the layer-by-layer pass gives: z, J, every gradient, ∂J/∂x (odd batch)")
  func lanesAgreeWithLayers() throws {
    for architecture in try Self.networks() {
      for m in [2, 5] {
        let parameters = NetworkParameters.random(architecture, seed: 11)
        let (x, labels) = Self.batch(architecture, m, seed: 12)
        let network = FastNetwork(parameters: parameters)
        let lanes = try network.run(x, labels: labels, backward: true)
        let request = FastNetwork.Request(
          labels: labels, backward: true, inputGradient: true, keepActivations: false, batch: m)
        let layers = try network.run(x, request, observer: nil, cancel: { false })
        let name = "\(architecture.name), batch \(m)"
        #expect(lanes.logits.shape == layers.logits.shape, "\(name)")
        #expect(Self.relativeDistance(lanes.logits, layers.logits) < 1e-6, "\(name) z")
        #expect(Self.relativeDistance(lanes.probabilities, layers.probabilities) < 1e-6, "\(name) ŷ")
        #expect(abs(lanes.loss! - layers.loss!) <= 1e-6 * abs(layers.loss!), "\(name) J")
        #expect(Self.relativeDistance(lanes.inputGradient!, layers.inputGradient!) < 1e-5, "\(name) ∂J/∂x")
        #expect(lanes.gradients.keys.sorted() == layers.gradients.keys.sorted())
        for (parameter, g) in layers.gradients {
          #expect(Self.relativeDistance(lanes.gradients[parameter]!, g) < 1e-5, "\(name) ∂J/∂\(parameter)")
        }
      }
    }
  }

  @Test("an observer hears each layer once, with the whole batch's tensors")
  func observerEvents() throws {
    let architecture = try BuiltInNetworks.named("textbook-convnet")!
    let parameters = NetworkParameters.random(architecture, seed: 2)
    let (x, labels) = Self.batch(architecture, 6, seed: 3)
    var lanes: [FastNetwork.Event] = []
    var layers: [FastNetwork.Event] = []
    let network = FastNetwork(parameters: parameters)
    _ = try network.run(x, labels: labels, backward: true, observer: { lanes.append($0) })
    let request = FastNetwork.Request(
      labels: labels, backward: true, inputGradient: true, keepActivations: false, batch: 6)
    _ = try network.run(x, request, observer: { layers.append($0) }, cancel: { false })
    #expect(lanes.count == layers.count)
    for (a, b) in zip(lanes, layers) {
      #expect(a.phase == b.phase && a.layer == b.layer && a.finished == b.finished)
      #expect(a.tensor?.shape == b.tensor?.shape, "layer \(a.layer)")
      if let t = a.tensor, let u = b.tensor {
        #expect(Self.relativeDistance(t, u) < 1e-5, "layer \(a.layer)")
      }
    }
  }

  @Test("a cancelled pass throws Cancelled, whichever lane sees it")
  func cancelled() throws {
    let architecture = try BuiltInNetworks.named("tiny-vgg")!
    let (x, labels) = Self.batch(architecture, 8, seed: 4)
    let network = FastNetwork(parameters: .random(architecture, seed: 1))
    #expect(throws: FastNetwork.Cancelled.self) {
      try FastPath.withWorkers(2) { _ = try network.run(x, labels: labels, backward: true, cancel: { true }) }
    }
  }
}
