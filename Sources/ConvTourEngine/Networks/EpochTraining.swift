import Dispatch

/// Labelled examples for a network: images [N, C, H, W], already preprocessed for its input,
/// and one class per image.
public struct LabelledImages: Sendable {
  public var images: Tensor32
  public var labels: [Int]

  public init(images: Tensor32, labels: [Int]) throws {
    guard images.shape.count == 4, images.shape[0] == labels.count else {
      throw EngineError.shapeMismatch(
        op: "labelled images", shapes: [images.shape, [labels.count]],
        expected: "images [N, C, H, W] and one label per image")
    }
    self.images = images
    self.labels = labels
  }

  public var count: Int { labels.count }

  /// The examples at `indices`, in that order: images [k, C, H, W] and their labels.
  public func batch(_ indices: ArraySlice<Int>) -> (images: Tensor32, labels: [Int]) {
    let size = Shape.count(Array(images.shape.dropFirst()))
    var values = [Float]()
    values.reserveCapacity(indices.count * size)
    for i in indices { values += images.values[(i * size)..<((i + 1) * size)] }
    let shape = [indices.count] + images.shape.dropFirst()
    return (
      (try? Tensor32(shape: shape, values: values)) ?? Tensor32(zeros: shape), indices.map { labels[$0] }
    )
  }
}

/// Epochs of minibatch SGD over a training set, as a PyTorch loop with a `DataLoader` takes them:
/// each epoch visits every example once, in a seeded random order (or in order, `shuffle` false,
/// which is `shuffle=False`), in batches of `batchSize` (the last one smaller: `drop_last=False`),
/// one `VGG16Training` step each; then the test set is run forward.
public struct EpochTraining: Sendable {
  public var steps: VGG16Training
  public var batchSize: Int
  public var shuffle: Bool
  public var seed: UInt64

  public init(steps: VGG16Training, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0) {
    (self.steps, self.batchSize, self.shuffle, self.seed) = (steps, max(1, batchSize), shuffle, seed)
  }

  /// One epoch as it went.
  public struct Epoch: Sendable {
    public var number: Int
    /// The mean loss per example over the epoch's steps (each step's J taken before its update),
    /// and the fraction of training examples its step classified right.
    public var trainLoss: Double
    public var trainAccuracy: Double
    /// The fraction of the test set classified right after the epoch (nil without a test set).
    public var testAccuracy: Double?
    public var seconds: Double
    /// Why the epoch stopped before its end (a non-finite loss, or cancelled), if it did.
    public var stopped: String?
  }

  /// The order in which epoch `epoch` (from 1) visits `count` examples: 0, 1, … without
  /// shuffling, else a Fisher–Yates shuffle drawn from (seed, epoch).
  public func order(count: Int, epoch: Int) -> [Int] {
    var order = Array(0..<count)
    guard shuffle, count > 1 else { return order }
    var generator = SeededRandom(seed: seed, stream: [UInt64(epoch)])
    for i in stride(from: count - 1, to: 0, by: -1) {
      let j = Int(generator.uniform(0, Double(i + 1)))
      order.swapAt(i, min(j, i))
    }
    return order
  }

  /// Runs epoch `number` on `parameters` in place. `progress` is told after each batch (examples
  /// done, of all, and the batch's loss); `cancel` is asked between batches — a cancelled epoch
  /// ends after the batch under way, with `stopped` saying so.
  public mutating func epoch(
    _ number: Int, _ parameters: inout NetworkParameters, train: LabelledImages, test: LabelledImages?,
    progress: (_ done: Int, _ of: Int, _ loss: Double) -> Void = { _, _, _ in },
    cancel: () -> Bool = { false }
  ) throws -> Epoch {
    let start = DispatchTime.now().uptimeNanoseconds
    let order = order(count: train.count, epoch: number)
    let perExample = parameters.architecture.loss == .softmaxCrossEntropy
    var (lossSum, right, seen) = (0.0, 0, 0)
    var stopped: String? = nil
    var first = 0
    while first < order.count {
      if cancel() {
        stopped = "stopped after \(seen) of \(order.count) examples"
        break
      }
      let batch = train.batch(order[first..<min(order.count, first + batchSize)])
      let step = try steps.step(&parameters, batch.images, labels: batch.labels)
      guard step.updated else {
        stopped = "the loss became \(step.loss) at example \(seen + 1): stopped before its update"
        break
      }
      // J is the batch's mean for cross-entropy, its sum for the squared distance.
      lossSum += step.loss * (perExample ? Double(batch.labels.count) : 1)
      right += zip(step.predictions, batch.labels).filter { $0 == $1 }.count
      seen += batch.labels.count
      first += batchSize
      progress(seen, order.count, step.loss)
    }
    let testAccuracy = try test.map {
      try Self.evaluate(parameters, $0, batchSize: batchSize, algorithm: steps.algorithm).accuracy
    }
    return Epoch(
      number: number, trainLoss: seen == 0 ? .nan : lossSum / Double(seen),
      trainAccuracy: seen == 0 ? 0 : Double(right) / Double(seen), testAccuracy: testAccuracy,
      seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, stopped: stopped)
  }

  /// The network's predictions on `data`, its accuracy, and the confusion matrix:
  /// `confusion[true][predicted]` counts the examples of class `true` predicted as `predicted`.
  public struct Evaluation: Sendable {
    public var predictions: [Int]
    public var accuracy: Double
    public var confusion: [[Int]]
  }

  /// Runs `data` forward in batches (no backward pass) and compares the predictions with its labels.
  public static func evaluate(
    _ parameters: NetworkParameters, _ data: LabelledImages, batchSize: Int,
    algorithm: ConvolutionAlgorithm = .direct
  ) throws -> Evaluation {
    let classes = parameters.architecture.classes
    var predictions: [Int] = []
    predictions.reserveCapacity(data.count)
    var first = 0
    while first < data.count {
      let batch = data.batch(Array(first..<min(data.count, first + max(1, batchSize)))[...])
      let result = try FastNetwork(parameters: parameters, algorithm: algorithm).run(
        batch.images, labels: nil, backward: false)
      predictions += VGG16Training.predictions(result.logits)
      first += max(1, batchSize)
    }
    var confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    var right = 0
    for (p, y) in zip(predictions, data.labels) where (0..<classes).contains(y) && (0..<classes).contains(p) {
      confusion[y][p] += 1
      if p == y { right += 1 }
    }
    return Evaluation(
      predictions: predictions, accuracy: data.count == 0 ? 0 : Double(right) / Double(data.count),
      confusion: confusion)
  }
}
