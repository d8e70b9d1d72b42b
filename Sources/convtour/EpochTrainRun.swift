import ConvTourEngine
import ConvTourIO
import ConvTourPresentation
import Foundation

/// The epochs of `net train --data`: the table (or JSON lines) per epoch, a progress bar on a
/// terminal, the confusion matrix and the curves at the end; Ctrl-C stops after the batch under
/// way, and the weights are still saved.
enum EpochTrainRun {
  /// Set by SIGINT while epochs run.
  nonisolated(unsafe) static var interrupted: sig_atomic_t = 0

  /// From here on, Ctrl-C (SIGINT) only asks the epochs to stop after the batch under way.
  static func catchInterrupt() {
    interrupted = 0
    _ = signal(SIGINT) { _ in EpochTrainRun.interrupted = 1 }
  }

  struct Settings {
    var learningRate: Float
    var momentum: Float
    var batch: Int
    var seed: UInt64
    var algorithm: ConvolutionAlgorithm
  }

  /// Trains `parameters` in place; returns why training stopped early, if it did.
  static func run(
    _ parameters: inout NetworkParameters, dataset: Dataset, options: EpochTrainOptions, settings: Settings
  ) throws -> String? {
    let network = parameters.architecture
    let (train, test) = try prepare(dataset, for: network)
    let json = options.format == "json"
    if !json {
      print(
        "\(network.name) on \(dataset.name): \(train.count) training and \(test.count) test images, "
          + "batch \(settings.batch), η = \(settings.learningRate), μ = \(settings.momentum), "
          + "λ = \(options.weightDecay), \(options.noShuffle ? "in order" : "shuffled (seed \(settings.seed))")"
      )
      for line in dataset.origin { print("  " + line) }
      print("epoch  train loss   train acc  test acc  seconds")
    }
    var training = EpochTraining(
      steps: VGG16Training(
        learningRate: settings.learningRate, momentum: settings.momentum,
        weightDecay: Float(options.weightDecay),
        algorithm: settings.algorithm),
      batchSize: settings.batch, shuffle: !options.noShuffle, seed: settings.seed)
    let bar = ProgressBar()
    var epochs: [EpochTraining.Epoch] = []
    var stopped: String? = nil
    for k in 1...options.epochs {
      // Ctrl-C between two epochs: the one before was whole.
      if interrupted != 0, k > 1 {
        stopped = "stopped after epoch \(k - 1) of \(options.epochs)"
        break
      }
      let epoch = try training.epoch(
        k, &parameters, train: train, test: test.count > 0 ? test : nil,
        progress: { done, all, loss in
          bar.show(epoch: k, of: options.epochs, done: done, all: all, loss: loss)
        },
        cancel: { interrupted != 0 })
      bar.clear()
      epochs.append(epoch)
      print(json ? jsonLine(epoch) : textLine(epoch))
      fflush(nil)  // every stream: the epoch's line shows as it ends
      if let why = epoch.stopped {
        stopped = "epoch \(k): \(why)"
        break
      }
    }
    if !json, test.count > 0 {
      let evaluation = try EpochTraining.evaluate(
        parameters, test, batchSize: settings.batch, algorithm: settings.algorithm)
      print("")
      print(ConfusionMatrix(classNames: dataset.classNames, counts: evaluation.confusion).render())
      curves(epochs)
    }
    return stopped
  }

  /// The splits as the network's input, with their labels checked against its classes.
  static func prepare(_ dataset: Dataset, for network: NetworkArchitecture) throws -> (
    LabelledImages, LabelledImages
  ) {
    // Both splits at the network's input, as Float32: estimated before any is made.
    let images = dataset.train.count + dataset.test.count
    let (perImage, o1) = Shape.count(network.input).multipliedReportingOverflow(by: 4)
    let (bytes, o2) = perImage.multipliedReportingOverflow(by: images)
    if let (available, reason) = SystemMemory.availableWithReason(), o1 || o2 || bytes > available {
      throw UsageError(
        "\(dataset.source): its \(images) images at \(network.name)'s input "
          + "(\(network.input.map(String.init).joined(separator: "×"))) need about "
          + "\(o1 || o2 ? "more than any machine has" : ShapeTable.bytes(bytes)) and "
          + "\(ShapeTable.bytes(available)) is available\(reason)")
    }
    do {
      var splits: [LabelledImages] = []
      for split in [dataset.train, dataset.test] {
        if let bad = split.labels.first(where: { !(0..<network.classes).contains($0) }) {
          throw UsageError(
            "\(dataset.source): label \(bad) is not a class of \(network.name) (0 to \(network.classes - 1))")
        }
        let images = try dataset.prepared(split, for: network.input, normalisation: network.normalisation)
        splits.append(try LabelledImages(images: images, labels: split.labels))
      }
      return (splits[0], splits[1])
    } catch let error as DatasetError {
      throw UsageError(error.description)
    }
  }

  static func textLine(_ e: EpochTraining.Epoch) -> String {
    String(format: "%5d  %-11.6g  %8.2f %%  ", e.number, e.trainLoss, 100 * e.trainAccuracy)
      + (e.testAccuracy.map { String(format: "%6.2f %%", 100 * $0) } ?? "     —  ")
      + String(format: "  %7.2f", e.seconds)
  }

  static func jsonLine(_ e: EpochTraining.Epoch) -> String {
    var fields: [(String, JSONValue)] = [
      ("epoch", .number(Double(e.number))), ("trainLoss", .number(e.trainLoss)),
      ("trainAccuracy", .number(e.trainAccuracy)), ("seconds", .number(e.seconds)),
    ]
    if let t = e.testAccuracy { fields.append(("testAccuracy", .number(t))) }
    if let s = e.stopped { fields.append(("stopped", .string(s))) }
    // One line per epoch (JSON Lines): every member is a scalar.
    let members = fields.map { key, value in
      JSONValue.string(key).rendered().dropLast() + ": " + value.rendered().dropLast()
    }
    return "{" + members.joined(separator: ", ") + "}"
  }

  /// The loss and accuracy per epoch as terminal charts.
  static func curves(_ epochs: [EpochTraining.Epoch]) {
    guard epochs.count >= 2 else { return }
    let unicode = ProcessInfo.processInfo.environment["LANG"]?.uppercased().contains("UTF-8") ?? false
    print("\ntrain loss per epoch")
    print(LossPlot.text(epochs.map(\.trainLoss), label: "epoch", width: 64, height: 10, unicode: unicode))
    if epochs.allSatisfy({ $0.testAccuracy != nil }) {
      print("\ntest accuracy per epoch (%)")
      print(
        LossPlot.text(
          epochs.map { 100 * $0.testAccuracy! }, label: "epoch", width: 64, height: 10, unicode: unicode))
    }
  }
}

/// A one-line progress bar on standard error, when it is a terminal.
final class ProgressBar {
  let terminal = isatty(2) == 1

  func show(epoch: Int, of epochs: Int, done: Int, all: Int, loss: Double) {
    guard terminal else { return }
    let width = 30
    let filled = all == 0 ? width : width * done / all
    let text =
      "\r epoch \(epoch)/\(epochs) [" + String(repeating: "#", count: filled)
      + String(repeating: ".", count: width - filled) + "] \(done)/\(all)  loss "
      + String(format: "%.4g", loss)
    FileHandle.standardError.write(Data(text.utf8))
  }

  func clear() {
    guard terminal else { return }
    FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 79) + "\r").utf8))
  }
}
