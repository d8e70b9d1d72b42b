import ConvTourEngine
import ConvTourIO
import ConvTourPresentation
import Foundation

/// The dataset the tour trains on (`convtour --network N --data D`, or `--images X.npy
/// --labels-file Y.npy`): both splits as the network's input, read and prepared before the tour
/// starts (a bad file is one line and exit 2, as for `net train`), with the options of
/// `net train --data` that apply (`--epochs`, `--weight-decay`, `--no-shuffle`).
struct TourDataset: Sendable {
  var name: String
  var classNames: [String]
  var train: LabelledImages
  var test: LabelledImages
  var normalisation: InputNormalisation
  var epochs: Int
  /// η the panel starts from: the network's suggested learning rate.
  var learningRate: Double
  var weightDecay: Double
  var shuffle: Bool

  /// Reads the dataset `options` name for `network` (the seeded split of seed 0 where the data
  /// has no split of its own).
  init(_ options: EpochTrainOptions, network: NetworkArchitecture) throws {
    let dataset = try options.dataset(seed: 0)
    (train, test) = try EpochTrainRun.prepare(dataset, for: network)
    guard train.count > 0 else { throw UsageError("\(dataset.source): no training images") }
    (name, classNames, normalisation) = (dataset.name, dataset.classNames, network.normalisation)
    learningRate = network.suggestedLearningRate
    (epochs, weightDecay, shuffle) = (options.epochs, options.weightDecay, !options.noShuffle)
  }

  /// The panel's state before any training: names, sizes, and the settings given.
  var initialState: DatasetTrainState {
    var state = DatasetTrainState(
      dataset: name, classNames: classNames, trainCount: train.count, testCount: test.count)
    state.settings.epochs = epochs
    state.settings.learningRate = learningRate
    return state
  }

  /// Example `k` of `images` as the eye sees it, averaged down to at most `side` pixels a side
  /// (the panel's thumbnails), or at full size (`side` nil).
  func picture(_ images: Tensor32, _ k: Int, side: Int? = 16) -> (side: Int, pixels: [UInt8]) {
    let full = RGBImage(denormalising: images, example: k, normalisation: normalisation)
    let n = full.width
    guard let side, n > side, full.height == n else { return (n, full.pixels) }
    var pixels = [UInt8](repeating: 0, count: side * side * 3)
    for y in 0..<side {
      for x in 0..<side {
        // The block of source pixels this one covers, averaged.
        let (y0, y1, x0, x1) = (y * n / side, (y + 1) * n / side, x * n / side, (x + 1) * n / side)
        for c in 0..<3 {
          var sum = 0
          for yy in y0..<y1 { for xx in x0..<x1 { sum += Int(full.pixels[(yy * n + xx) * 3 + c]) } }
          pixels[(y * side + x) * 3 + c] = UInt8(sum / max(1, (y1 - y0) * (x1 - x0)))
        }
      }
    }
    return (side, pixels)
  }

  /// An example of a split with its prediction, for the panel.
  func example(_ images: Tensor32, _ k: Int, label: Int, predicted: Int) -> DatasetTrainState.Example {
    let (side, pixels) = picture(images, k)
    return .init(index: k, label: label, predicted: predicted, side: side, picture: pixels)
  }

  /// What a run of test image `k` (0-based) reads: the image, its label, and the source the
  /// screen names ("digits test image 18").
  func testInputs(_ k: Int, weights: String?, network: NetworkArchitecture) -> TourInputs {
    let k = max(0, min(k, test.count - 1))
    let one = test.batch([k][...])
    let preview = picture(test.images, k, side: nil).pixels
    let source = VGGRunRecord.Source(
      images: ["\(name) test image \(k + 1)"], weights: weights, labels: one.labels, preview: preview)
    return TourInputs(
      source: source, x: one.images, labels: one.labels, network: network, classNames: classNames)
  }
}
