import ConvTourEngine
import Testing

/// Epochs of minibatch SGD: the order of the examples, and a small CNN that must learn.
@Suite("Epochs of SGD")
struct EpochTrainingTests {
  /// 8×8 grey images of two classes — a bright bar across the top half (0) or the bottom half
  /// (1) — with seeded noise.
  static func bars(_ count: Int, seed: UInt64) throws -> LabelledImages {
    var random = SeededRandom(seed: seed)
    var values: [Float] = []
    var labels: [Int] = []
    for k in 0..<count {
      let label = k % 2
      for i in 0..<8 {
        for _ in 0..<8 {
          let bright = (label == 0) == (i < 4)
          values.append(Float((bright ? 0.8 : 0.1) + random.uniform(-0.3, 0.3)))
        }
      }
      labels.append(label)
    }
    return try LabelledImages(images: Tensor32(shape: [count, 1, 8, 8], values: values), labels: labels)
  }

  static let network: NetworkArchitecture = {
    let specs = [
      LayerSpec(.convolution(outputs: 4, kernel: 3, stride: 1, padding: 1)), LayerSpec(.relu),
      LayerSpec(.maxPool(kernel: 2, stride: 2)), LayerSpec(.flatten), LayerSpec(.fullyConnected(outputs: 2)),
    ]
    return try! NetworkArchitecture(name: "bars", input: [1, 8, 8], specs: specs, loss: .softmaxCrossEntropy)
  }()

  @Test("without shuffling the order is the data's; shuffled, a seeded permutation that changes by epoch")
  func order() {
    let plain = EpochTraining(steps: VGG16Training(learningRate: 0.1), batchSize: 4, shuffle: false)
    #expect(plain.order(count: 10, epoch: 3) == Array(0..<10))
    let shuffled = EpochTraining(
      steps: VGG16Training(learningRate: 0.1), batchSize: 4, shuffle: true, seed: 7)
    let one = shuffled.order(count: 50, epoch: 1)
    #expect(one.sorted() == Array(0..<50))
    #expect(one != Array(0..<50))
    #expect(one == shuffled.order(count: 50, epoch: 1))
    #expect(one != shuffled.order(count: 50, epoch: 2))
  }

  @Test("a small CNN learns the bars: test accuracy ≥ 95 % within 5 epochs; the loss falls")
  func learns() throws {
    let (train, test) = (try Self.bars(200, seed: 1), try Self.bars(100, seed: 2))
    var parameters = NetworkParameters.random(Self.network, seed: 3)
    var training = EpochTraining(
      steps: VGG16Training(learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4), batchSize: 16, seed: 4)
    var epochs: [EpochTraining.Epoch] = []
    var examples = 0
    for k in 1...5 {
      epochs.append(
        try training.epoch(
          k, &parameters, train: train, test: test, progress: { done, _, _ in examples = done }))
    }
    #expect(examples == 200)
    #expect(epochs.last!.testAccuracy! >= 0.95, "\(epochs.map { $0.testAccuracy! })")
    #expect(epochs.last!.trainLoss < epochs.first!.trainLoss)
    let evaluation = try EpochTraining.evaluate(parameters, test, batchSize: 32)
    #expect(evaluation.confusion.flatMap { $0 }.reduce(0, +) == 100)
    #expect(evaluation.accuracy == epochs.last!.testAccuracy!)
  }

  @Test("a cancelled epoch stops after the batch under way and says so")
  func cancel() throws {
    var parameters = NetworkParameters.random(Self.network, seed: 3)
    var training = EpochTraining(steps: VGG16Training(learningRate: 0.1), batchSize: 10, shuffle: false)
    var batches = 0
    let epoch = try training.epoch(
      1, &parameters, train: try Self.bars(40, seed: 1), test: nil, progress: { _, _, _ in batches += 1 },
      cancel: { batches >= 2 })
    #expect(batches == 2)
    #expect(epoch.stopped == "stopped after 20 of 40 examples")
    #expect(epoch.testAccuracy == nil)
  }
}
