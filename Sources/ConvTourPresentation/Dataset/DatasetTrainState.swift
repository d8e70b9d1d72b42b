import ConvTourEngine

/// Training on a dataset from the network screen (`convtour --network N --data D`, then T): the
/// settings the keys change, the curves per batch, the batch under way, and — once paused or
/// done — the test images with their predictions (misclassified first) and the first layer's
/// filters. The terminal layer trains in the background and copies its progress here; the keys
/// own `settings` and `selected`.
public struct DatasetTrainState: Equatable, Sendable {
  /// What the next batches use: η, μ, the batch size and the epochs a T trains.
  public struct Settings: Equatable, Sendable {
    public var learningRate = 0.01
    public var momentum = 0.9
    public var batchSize = 32
    public var epochs = 10

    public init(learningRate: Double = 0.01, momentum: Double = 0.9, batchSize: Int = 32, epochs: Int = 10) {
      (self.learningRate, self.momentum, self.batchSize, self.epochs) = (
        learningRate, momentum, batchSize, epochs
      )
    }

    /// The ladders the keys move along (+/−, (/), [/], </>).
    public static let learningRates = VGGTrainState.learningRates
    public static let momenta: [Double] = [0, 0.5, 0.8, 0.9, 0.95, 0.99]
    public static let batchSizes = [1, 2, 4, 8, 16, 32, 64, 128, 256]
    public static let epochCounts = [1, 2, 3, 5, 10, 20, 50, 100]
  }

  public enum Status: Equatable, Sendable {
    case idle
    /// Reading or drawing the weights before the first batch.
    case preparing(String)
    case training
    /// A key asked to pause: the batch under way finishes first.
    case pausing
    /// Paused between two batches (T goes on); the test set is evaluated meanwhile.
    case paused
    case done
    case failed(String)
  }

  /// One image with its class and the network's prediction: `index` in its split, `picture` an
  /// RGB thumbnail (`side` × `side`, row-major, 3 bytes a pixel).
  public struct Example: Equatable, Sendable {
    public var index: Int
    public var label: Int
    public var predicted: Int
    public var side: Int
    public var picture: [UInt8]

    public init(index: Int, label: Int, predicted: Int, side: Int, picture: [UInt8]) {
      (self.index, self.label, self.predicted, self.side, self.picture) = (
        index, label, predicted, side, picture
      )
    }

    public var right: Bool { label == predicted }
  }

  /// "digits", "MNIST", …, its class names and the sizes of its splits.
  public var dataset: String
  public var classNames: [String]
  public var trainCount: Int
  public var testCount: Int
  public var settings = Settings()
  public var status = Status.idle
  /// The epoch under way (from 1) and the training images it has done.
  public var epoch = 0
  public var examplesDone = 0
  /// Per batch since the tour started: J (the batch's mean, before its update) and the fraction
  /// of the batch predicted right.
  public var losses: [Double] = []
  public var accuracies: [Double] = []
  /// Test accuracy at the end of each epoch.
  public var testAccuracies: [Double] = []
  /// The batch just taken: its first images with their predictions.
  public var batch: [Example] = []
  /// The test images evaluated on the weights as they are now, misclassified first, then by
  /// index; `evaluated` of `testCount` so far (the evaluation runs while paused).
  public var results: [Example] = []
  public var evaluated = 0
  /// When the results were computed: "after epoch 1, 352 of 1437 images".
  public var resultsWhen = ""
  /// The result chosen with ↑↓: r and b run it on the trained weights.
  public var selected = 0
  /// The first convolution's name and weights [K, C, k, k], as trained so far.
  public var filterLayer = ""
  public var filters: Tensor32?

  public init(dataset: String, classNames: [String], trainCount: Int, testCount: Int) {
    (self.dataset, self.classNames, self.trainCount, self.testCount) = (
      dataset, classNames, trainCount, testCount
    )
  }

  public var running: Bool {
    switch status {
    case .preparing, .training, .pausing: true
    default: false
    }
  }

  /// Batches taken over all trainings.
  public var batches: Int { losses.count }

  public var misclassified: Int { results.filter { !$0.right }.count }

  /// The selected test image, if any has been evaluated.
  public var selectedExample: Example? { results.indices.contains(selected) ? results[selected] : nil }

  /// A class's name as a caption: the name when short, else its number.
  public func caption(_ label: Int) -> String {
    let name = classNames.indices.contains(label) ? classNames[label] : String(label)
    return name.count <= 3 ? name : String(label)
  }

  /// A class's full name: "3", "cat (3)".
  public func name(_ label: Int) -> String {
    guard classNames.indices.contains(label), classNames[label] != String(label) else { return String(label) }
    return "\(classNames[label]) (\(label))"
  }

  /// Orders test results as the screen lists them: misclassified first, then by index.
  public static func ordered(_ results: [Example]) -> [Example] {
    results.sorted { ($0.right ? 1 : 0, $0.index) < ($1.right ? 1 : 0, $1.index) }
  }
}

extension DatasetTrainState {
  /// The training's progress as the background job reports it, with what the keys own kept from
  /// the screen's state: the settings and the chosen test image.
  public static func merged(_ progress: DatasetTrainState, keys shown: DatasetTrainState) -> DatasetTrainState
  {
    var merged = progress
    merged.settings = shown.settings
    merged.selected = max(0, min(shown.selected, progress.results.count - 1))
    return merged
  }
}
