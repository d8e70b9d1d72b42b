import ConvTourEngine
import Testing

/// A training step's results do not depend on how many workers computed them, nor on whether
/// the step is a process's first or a later one (whatever buffers a step keeps or reuses).
@Suite("Training steps, bit for bit")
struct TrainingStepBitsTests {
  /// Two SGD steps with momentum from seeded weights on a seeded batch: every parameter's bits.
  static func twoSteps(
    _ architecture: NetworkArchitecture, workers: Int, batch: Int = 3
  ) throws -> [String: [UInt32]] {
    try FastPath.withWorkers(workers) {
      var parameters = NetworkParameters.random(architecture, seed: 5)
      var generator = SeededRandom(seed: 9)
      let x = Tensor32(Tensor.random([batch] + architecture.input, using: &generator))
      let labels = (0..<batch).map { $0 % architecture.classes }
      var training = VGG16Training(learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4)
      for _ in 0..<2 { _ = try training.step(&parameters, x, labels: labels) }
      return parameters.tensors.mapValues { $0.values.map(\.bitPattern) }
    }
  }

  static func networks() throws -> [NetworkArchitecture] {
    [
      try BuiltInNetworks.named("tiny-vgg")!, try BuiltInNetworks.named("lenet5")!,
      try BuiltInNetworks.named("textbook-convnet")!,
      // VGG-16's layers at 32×32 with narrow widths: the im2col + sgemm path and its close calls.
      try .vgg(depth: 16, size: 32, widths: [8, 16, 32, 32, 32], hidden: 32, classes: 10),
    ]
  }

  /// Every piece of work whose size reaches the BLAS or whose results are summed is cut by
  /// `FastPath.lanes`, not by the workers (`PixelTiles`, the lanes' accumulators).
  @Test("1, 2 and 3 workers give the same weights after two steps")
  func workerCounts() throws {
    for architecture in try Self.networks() {
      let one = try Self.twoSteps(architecture, workers: 1)
      for workers in [2, 3] {
        let many = try Self.twoSteps(architecture, workers: workers)
        let differing = one.keys.sorted().filter { one[$0] != many[$0] }
        #expect(differing.isEmpty, "\(architecture.name) with \(workers) workers: \(differing) differ")
      }
    }
  }

  @Test("a later run of the same steps gives the same bits as the first")
  func repeatable() throws {
    for architecture in try Self.networks() {
      let first = try Self.twoSteps(architecture, workers: 2)
      _ = try Self.twoSteps(architecture, workers: 2, batch: 5)  // other sizes in between
      #expect(try Self.twoSteps(architecture, workers: 2) == first, "\(architecture.name)")
    }
  }

  @Test("1, 2 and 3 workers give the same outputs, input gradient and gradients of one pass")
  func onePass() throws {
    for architecture in try Self.networks() {
      func run(_ workers: Int) throws -> [[UInt32]] {
        try FastPath.withWorkers(workers) {
          var generator = SeededRandom(seed: 4)
          let x = Tensor32(Tensor.random([2] + architecture.input, using: &generator))
          let result = try FastNetwork(parameters: .random(architecture, seed: 6)).run(
            x, labels: [1, 0], backward: true)
          let gradients = result.gradients.keys.sorted().map { result.gradients[$0]! }
          return ([result.logits, result.inputGradient!] + gradients).map { $0.values.map(\.bitPattern) }
        }
      }
      let one = try run(1)
      for workers in [2, 3] { #expect(try run(workers) == one, "\(architecture.name), \(workers) workers") }
    }
  }
}
