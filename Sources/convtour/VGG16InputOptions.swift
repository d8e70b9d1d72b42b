import ArgumentParser
import ConvTourEngine
import ConvTourIO
import Foundation

/// What a VGG-16 command runs on: weights, an input (images, an array, or seeded noise) and labels.
struct VGG16InputOptions: ParsableArguments {
  /// --network NAME|FILE (VGG-16 by default).
  @OptionGroup var networkOption: NetworkOption

  @Option(help: "Input height and width: a multiple of 32 (the VGGs; other networks have their own).")
  var size = 224

  @Option(help: "Seed for random weights and random input.")
  var seed: UInt64 = 0

  @Option(
    help:
      "Weights: safetensors or torch.save's .pth (zip or legacy), torchvision's or timm's VGG-16 names.",
    completion: .file())
  var weights: String?

  @Option(
    parsing: .upToNextOption,
    help: "Images (PNG, JPEG, binary PPM), preprocessed as torchvision does for VGG-16.",
    completion: .file())
  var image: [String] = []

  @Option(help: "Input: a NumPy .npy float32 array of shape [M, 3, N, N].", completion: .file())
  var input: String?

  @Option(parsing: .upToNextOption, help: "The class of each example (0-based ImageNet index).")
  var labels: [Int] = []

  /// Examples in the batch: one per image, the array's first axis (from its header: the data is
  /// read once it fits), or `batch` (1 when not given), which must agree with the files.
  func batchSize(_ batch: Int? = nil) throws -> Int {
    guard image.isEmpty || input == nil else { throw UsageError("give --image or --input, not both") }
    if !image.isEmpty {
      if let batch, batch != image.count {
        throw UsageError("--batch \(batch) but \(Limits.counted(image.count, "image", "images"))")
      }
      return image.count
    }
    if let input {
      let shape = try Numpy.shape(path: input)
      // The file's own fault, said before any comparison with --batch.
      guard let examples = shape.first else {
        throw UsageError("\(input): a 0-d array (shape ()), not images [M, C, H, W]")
      }
      guard examples > 0 else {
        throw UsageError("\(input): an empty array (shape \(shape)): no examples to run")
      }
      if let batch, examples != batch {
        throw UsageError(
          "--batch \(batch) but \(input) holds \(Limits.counted(examples, "example", "examples"))")
      }
      return examples
    }
    return batch ?? 1
  }

  /// The labels, checked against the batch and the classes (every example 0 when none are given).
  func classes(_ architecture: VGG16Architecture, _ m: Int) throws -> [Int] {
    let classes = labels.isEmpty ? Array(repeating: 0, count: m) : labels
    try Limits.labels(classes, examples: m, classes: architecture.classes)
    return classes
  }

  /// The network the options name, at `--size` for the VGGs.
  func architecture() throws -> NetworkArchitecture { try networkOption.architecture(size: size) }

  /// The weights file, or seeded random weights.
  func parameters(_ architecture: VGG16Architecture) throws -> VGG16Parameters {
    try weights.map { try WeightsFile.read($0, architecture: architecture) }
      ?? VGG16Parameters.random(architecture, seed: seed)
  }

  /// x: [M, C, H, W] from the images, the array, or seeded uniform noise in [−1, 1).
  func tensor(_ architecture: NetworkArchitecture, _ m: Int) throws -> Tensor32 {
    let n = architecture.size
    let shape = [m] + architecture.input
    if !image.isEmpty {
      var values: [Float] = []
      values.reserveCapacity(Shape.count(shape))
      // torchvision resizes VGG's images to 256 for a 224 crop (other sizes keep that ratio);
      // the other networks' images are resized to their input and centre-cropped.
      let vgg = architecture.normalisation == .imageNet
      let resize = vgg ? Int((Double(n) * 256 / 224).rounded()) : n
      for path in image {
        values +=
          try ImageInput.load(path: path, resize: resize, crop: n, normalisation: architecture.normalisation)
          .values
      }
      return try Tensor32(shape: shape, values: values)
    }
    if let input {
      return try Numpy.readFloat32(path: input) { given in
        guard given == shape else {
          let wanted = "[M, " + architecture.input.map(String.init).joined(separator: ", ") + "]"
          throw UsageError(
            "\(input): shape \(given) is not \(wanted)\(architecture.normalisation == .imageNet ? " (use --size to change N)" : "")"
          )
        }
      }
    }
    var generator = SeededRandom(seed: seed &+ 0x5EED)
    return Tensor32(Tensor.random(shape, using: &generator))
  }
}
