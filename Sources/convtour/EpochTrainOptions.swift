import ArgumentParser
import ConvTourEngine
import ConvTourIO
import Foundation

/// `net train --data D` (or `--images X.npy --labels-file Y.npy`): epochs over a dataset instead
/// of steps on one batch.
struct EpochTrainOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Train on a dataset: digits (shipped), or a folder as torchvision writes it (MNIST, "
        + "FashionMNIST, cifar-10-batches-py, cifar-10-batches-bin, one subfolder per class).",
      valueName: "dataset"))
  var data: String?

  @Option(
    help: "Train on a .npy pair: float32 images [N, C, H, W], already preprocessed.", completion: .file())
  var images: String?

  @Option(help: "The .npy of int64 labels [N] for --images.", completion: .file())
  var labelsFile: String?

  @Option(help: "Epochs: passes over the training set.")
  var epochs = 10

  @Option(help: "The weight decay λ (torch.optim.SGD's weight_decay).")
  var weightDecay: Double = 0

  @Flag(help: "Visit the examples in the dataset's order (shuffle=False), not a seeded random one.")
  var noShuffle = false

  @Option(help: "text (a table, then the confusion matrix and the curves) or json (one object per epoch).")
  var format = "text"

  /// Whether epochs were asked for.
  var asked: Bool { data != nil || images != nil || labelsFile != nil }

  /// The dataset, checked before any training.
  func dataset(seed: UInt64) throws -> Dataset {
    guard epochs >= 1, epochs <= 100_000 else { throw UsageError("--epochs must be from 1 to 100,000") }
    guard weightDecay.isFinite, weightDecay >= 0 else {
      throw UsageError("--weight-decay must be a finite number ≥ 0, got \(weightDecay)")
    }
    guard ["text", "json"].contains(format) else {
      throw UsageError("--format \(format): expected text or json")
    }
    let split = DatasetSeededSplit(testFraction: 0.2, seed: seed)
    do {
      if let data {
        guard images == nil, labelsFile == nil else { throw UsageError("give --data or --images, not both") }
        let lessons = LessonLibrary.candidates(explicit: nil).map(\.0.path)
        return try DatasetSource.open(
          data, digitsFolder: DatasetDigits.locate(lessonFolders: lessons), split: split)
      }
      guard let images, let labelsFile else {
        throw UsageError("--images and --labels-file go together: the images and their labels")
      }
      return try DatasetSource.open(images: images, labels: labelsFile, split: split)
    } catch let error as DatasetError {
      throw UsageError(error.description)
    }
  }
}
