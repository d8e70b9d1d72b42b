#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// MNIST and Fashion-MNIST where torchvision puts them: `ROOT/MNIST/raw/` or
/// `ROOT/FashionMNIST/raw/`, holding `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
/// `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, or each as `.gz` only (the plain file
/// is read when both are there). The dataset's own split: train-* for training, t10k-* for testing.
public enum DatasetMNIST {
  public static let files = [
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  ]

  /// torchvision's `MNIST.classes` and `FashionMNIST.classes`.
  public static let digitNames = [
    "0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
    "8 - eight", "9 - nine",
  ]
  public static let fashionNames = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
  ]

  /// Whether `folder` holds the four files (or their `.gz`).
  static func holds(_ folder: String) -> Bool {
    files.allSatisfy { exists(folder + "/" + $0) || exists(folder + "/" + $0 + ".gz") }
  }

  /// Reads the raw folder; `name` is "MNIST" or "Fashion-MNIST" (which class names), `scale`
  /// maps each stored byte to a pixel (the shipped digits store 0–16).
  public static func read(
    raw folder: String, name: String, classNames: [String]? = nil, budget: DatasetBudget = .standard,
    scale: ((UInt8) -> UInt8)? = nil
  ) throws -> Dataset {
    let names = classNames ?? (name == "Fashion-MNIST" ? fashionNames : digitNames)
    var paths: [String] = []
    for file in files {
      let plain = folder + "/" + file
      if exists(plain) || !exists(plain + ".gz") { paths.append(plain) } else { paths.append(plain + ".gz") }
    }
    var used = 0
    func split(_ imagesPath: String, _ labelsPath: String) throws -> DatasetSplit {
      let images = try DatasetIDX.read(path: imagesPath, magic: DatasetIDX.images, budget: budget, used: used)
      used += images.data.count
      let labels = try DatasetIDX.read(path: labelsPath, magic: DatasetIDX.labels, budget: budget, used: used)
      let (count, rows, columns) = (images.dimensions[0], images.dimensions[1], images.dimensions[2])
      guard labels.data.count == count else {
        throw DatasetError(
          file: labelsPath,
          problem: "\(labels.data.count) labels for the \(count) images of \(imagesPath)")
      }
      guard rows > 0, columns > 0 else {
        throw DatasetError(file: imagesPath, problem: "images of \(rows)×\(columns) pixels")
      }
      let values = try DatasetLabels.check(labels.data.map(Int.init), classes: names.count, file: labelsPath)
      used += values.count * MemoryLayout<Int>.size
      let pixels = scale.map { images.data.map($0) } ?? images.data
      return DatasetSplit(
        images: .bytes(channels: 1, height: rows, width: columns, pixels: pixels), labels: values)
    }
    let train = try split(paths[0], paths[1])
    let test = try split(paths[2], paths[3])
    guard test.images.shape == train.images.shape else {
      throw DatasetError(
        file: paths[2],
        problem: "test images of \(test.images.sizeText), training images of \(train.images.sizeText)")
    }
    return Dataset(
      name: name, classNames: names, train: train, test: test,
      origin: [
        "\(name) from \(folder): \(train.count) training and \(test.count) test images of \(train.images.sizeText)",
        "test split: the dataset's own (t10k-*)",
      ], source: folder)
  }

  static func exists(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0
  }
}

/// Checks on labels shared by the readers.
enum DatasetLabels {
  /// Each label must lie in `0 ..< classes`; the first that does not is named with its index.
  static func check(_ labels: [Int], classes: Int, file: String) throws -> [Int] {
    if let index = labels.firstIndex(where: { !(0..<classes).contains($0) }) {
      throw DatasetError(
        file: file, problem: "label \(labels[index]) at index \(index) is out of range 0–\(classes - 1)")
    }
    return labels
  }
}

extension DatasetImages {
  /// `[C, H, W]` of byte images; nil for pictures and floats of other shapes.
  var shape: [Int]? {
    switch self {
    case .bytes(let c, let h, let w, _): [c, h, w]
    case .floats(let tensor): Array(tensor.shape.dropFirst())
    case .pictures: nil
    }
  }

  /// "28×28 grey", "32×32 RGB", "any size", "3×32×32 float32".
  var sizeText: String {
    switch self {
    case .bytes(let c, let h, let w, _): "\(h)×\(w) \(c == 1 ? "grey" : "RGB")"
    case .pictures: "various sizes (RGB)"
    case .floats(let tensor): tensor.shape.dropFirst().map(String.init).joined(separator: "×") + " float32"
    }
  }
}
