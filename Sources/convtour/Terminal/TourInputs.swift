import ArgumentParser
import ConvTourEngine
import ConvTourIO
import ConvTourPresentation
import Foundation

/// What the tour's VGG-16 screen runs on: `convtour [--image F…] [--weights F] [--labels K…]`,
/// or seeded weights and a seeded input.
struct TourInputOptions: ParsableArguments {
  @Option(
    parsing: .upToNextOption,
    help: "Images for the tour's VGG-16 screen (PNG, JPEG, binary PPM), preprocessed as torchvision does.",
    completion: .file())
  var image: [String] = []

  @Option(
    help: "Weights for the tour's VGG-16 screen: a safetensors file with torchvision's names.",
    completion: .file())
  var weights: String?

  @Option(parsing: .upToNextOption, help: "The class of each image (0-based ImageNet index), for the loss.")
  var labels: [Int] = []

  /// --network NAME|FILE: the network the tour's network screen opens (VGG-16 by default).
  @OptionGroup var networkOption: NetworkOption

  /// --class-names F: the names the network screen's top-k shows.
  @OptionGroup var classNamesOption: ClassNamesOption

  /// --data D (or --images X.npy --labels-file Y.npy), --epochs, --weight-decay, --no-shuffle:
  /// `net train`'s dataset options; the network screen then trains on the dataset (T).
  @OptionGroup var datasetOptions: EpochTrainOptions

  /// The options taken out of the arguments for the tour, and those of them that take one value.
  static let names = [
    "--image", "--weights", "--labels", "--network", "--class-names", "--data", "--images", "--labels-file",
    "--epochs", "--weight-decay", "--no-shuffle",
  ]
  static let single = [
    "--weights", "--network", "--class-names", "--data", "--images", "--labels-file", "--epochs",
    "--weight-decay",
  ]

  /// The tour's own options and the rest, when no subcommand is named: `--image` and `--labels`
  /// with the values after them, `--weights` with one (or `--name=value`).
  static func split(_ arguments: [String], subcommands: [String]) -> (tour: [String], rest: [String]) {
    if arguments.contains(where: { subcommands.contains($0) }) { return ([], arguments) }
    var (tour, rest) = ([String](), [String]())
    var k = 0
    while k < arguments.count {
      let argument = arguments[k]
      let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
      guard names.contains(name) else {
        rest.append(argument)
        k += 1
        continue
      }
      tour.append(argument)
      k += 1
      if argument.contains("=") || name == "--no-shuffle" { continue }
      while k < arguments.count, !arguments[k].hasPrefix("--") {
        tour.append(arguments[k])
        k += 1
        if single.contains(name) { break }
      }
    }
    return (tour, rest)
  }

  /// One line for a parse error of these options.
  static func message(for error: Error) -> String {
    let line = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    return line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
  }

  /// Reads the images now (a bad one is a one-line error before the tour starts); the weights
  /// are read by the first run, which shows it as its own phase.
  func load() throws -> TourInputs {
    let network = try networkOption.architecture(size: 224)
    let m = max(1, image.count)
    guard labels.isEmpty || labels.count == m else {
      throw UsageError(
        "--labels gives \(Limits.counted(labels.count, "class", "classes")) for \(Limits.counted(m, "image", "images"))"
      )
    }
    if let bad = labels.first(where: { !(0..<network.classes).contains($0) }) {
      throw UsageError(
        "label \(bad) is not a class of \(network.name): the classes are 0 to \(network.classes - 1)")
    }
    if let weights, !FileManager.default.isReadableFile(atPath: weights) {
      throw UsageError("\(weights): cannot read the weights file")
    }
    let x: Tensor32
    if image.isEmpty {
      var generator = SeededRandom(seed: 1)
      x = Tensor32(Tensor.random([1] + network.input, using: &generator))
    } else {
      let n = network.size
      let resize = network.normalisation == .imageNet ? Int((Double(n) * 256 / 224).rounded()) : n
      var values: [Float] = []
      for path in image {
        values += try ImageInput.load(
          path: path, resize: resize, crop: n, normalisation: network.normalisation
        ).values
      }
      x = try Tensor32(shape: [m] + network.input, values: values)
    }
    let source = VGGRunRecord.Source(
      images: image, weights: weights, labels: labels,
      preview: RGBImage(denormalising: x, normalisation: network.normalisation).pixels)
    var inputs = TourInputs(
      source: source, x: x, labels: labels.isEmpty ? Array(repeating: 0, count: m) : labels, network: network,
      classNames: try classNamesOption.classNames(for: network))
    if datasetOptions.asked {
      guard image.isEmpty, self.labels.isEmpty else {
        throw UsageError("--data (or --images) trains on a dataset: it takes no --image or --labels")
      }
      inputs.dataset = try TourDataset(datasetOptions, network: network)
    }
    return inputs
  }
}

/// The tour's VGG-16 input, loaded.
struct TourInputs: Sendable {
  var source: VGGRunRecord.Source
  var x: Tensor32
  var labels: [Int]
  var network: NetworkArchitecture
  var classNames: [String]
  /// The dataset T trains on, when the tour was given one.
  var dataset: TourDataset?
}
