import ConvTourEngine

/// A labelled image dataset as its files hold it: the training and test images (bytes,
/// channels-first, C = 1 or 3; decoded pictures of any size for an image folder; float32 for a
/// `.npy` pair, already preprocessed), their labels in `0 ..< classNames.count`, and where they
/// came from. `prepared(_:for:normalisation:)` turns a split into a network's input.
public struct Dataset: Sendable {
  /// "MNIST", "Fashion-MNIST", "CIFAR-10", "digits", "image folder", ".npy pair".
  public var name: String
  /// The class names in label order.
  public var classNames: [String]
  public var train: DatasetSplit
  public var test: DatasetSplit
  /// Where the data came from and how it was split, one line each, for the program's output:
  /// e.g. "test split: the dataset's own (t10k-*)", "seeded split: 20% for testing (seed 0)".
  public var origin: [String]
  /// The folder or file it was read from (the images of a `.npy` pair); errors of `prepared`
  /// name it.
  public var source: String

  public init(
    name: String, classNames: [String], train: DatasetSplit, test: DatasetSplit, origin: [String],
    source: String = ""
  ) {
    (self.name, self.classNames, self.train, self.test, self.origin) = (name, classNames, train, test, origin)
    self.source = source.isEmpty ? name : source
  }
}

/// One split of a dataset: `count` images and their labels.
public struct DatasetSplit: Sendable, Equatable {
  public var images: DatasetImages
  public var labels: [Int]

  public init(images: DatasetImages, labels: [Int]) {
    (self.images, self.labels) = (images, labels)
  }

  public var count: Int { labels.count }
}

/// Images as a dataset's files hold them.
public enum DatasetImages: Sendable, Equatable {
  /// `count × channels × height × width` bytes, channels-first (image `n`, channel `c`, row `y`,
  /// column `x` at `((n * channels + c) * height + y) * width + x`); C is 1 (grey) or 3 (RGB).
  case bytes(channels: Int, height: Int, width: Int, pixels: [UInt8])
  /// Decoded RGB pictures of any size (an image folder, as PIL's `convert("RGB")` gives them).
  case pictures([RGBImage])
  /// Float32 `[N, C, H, W]`, already preprocessed (a `.npy` pair): used as they are.
  case floats(Tensor32)

  /// The number of images.
  public var count: Int {
    switch self {
    case .bytes(let c, let h, let w, let pixels): c * h * w == 0 ? 0 : pixels.count / (c * h * w)
    case .pictures(let pictures): pictures.count
    case .floats(let tensor): tensor.shape.first ?? 0
    }
  }
}

/// Why a dataset could not be read, as one line: `FILE: PROBLEM`.
public struct DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
  public var file: String
  public var problem: String

  public init(file: String, problem: String) {
    (self.file, self.problem) = (file, problem)
  }

  public var description: String { escapingControlCharacters("\(file): \(problem)") }
}

/// The memory a reader may use for a dataset's images and labels, checked against what the
/// headers declare before anything is allocated for the data.
public struct DatasetBudget: Sendable {
  public var bytes: Int

  public init(bytes: Int) { self.bytes = bytes }

  /// 4 GB: beyond any of the supported datasets (CIFAR-10 is 180 MB, MNIST 55 MB).
  public static let standard = DatasetBudget(bytes: 4 << 30)

  /// Throws unless `count` more bytes fit beside the `used` already counted; `what` says what.
  func check(_ count: Int, used: Int = 0, file: String, what: String) throws {
    let (total, overflow) = count.addingReportingOverflow(used)
    guard !overflow, count >= 0, total <= bytes else {
      throw DatasetError(
        file: file,
        problem:
          "\(what) would need about \(RegularFile.megabytes(max(count, 0)))\(used > 0 ? " more" : ""), "
          + "over the limit of \(RegularFile.megabytes(bytes))")
    }
  }
}

/// Products of sizes read from headers, refusing any that overflows.
enum DatasetSize {
  static func product(_ factors: [Int]) -> Int? {
    var result = 1
    for factor in factors {
      guard factor >= 0 else { return nil }
      let (next, overflow) = result.multipliedReportingOverflow(by: factor)
      guard !overflow else { return nil }
      result = next
    }
    return result
  }
}
