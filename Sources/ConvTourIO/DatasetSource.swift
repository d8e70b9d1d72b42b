/// Where a dataset is: the shipped `digits`, a folder in one of the layouts torchvision writes, an
/// image folder, or a `.npy` pair.
public enum DatasetSource {
  /// What `open` recognised, for messages and tests.
  public enum Kind: Equatable, Sendable {
    case digits(folder: String)
    case mnist(raw: String, name: String)
    case cifar(folder: String, layout: DatasetCIFAR.Layout)
    case imageFolder(root: String)
  }

  /// Recognises `path`:
  /// - `digits`: the shipped digits, in `digitsFolder` (the caller finds it as it finds the
  ///   lessons: `Lessons/data/digits` of the repository, or the installed share folder);
  /// - a folder holding `MNIST/raw` or `FashionMNIST/raw` (torchvision's root), such a `MNIST` or
  ///   `FashionMNIST` folder, or the raw folder itself (named by its parent: Fashion-MNIST when
  ///   the parent is `FashionMNIST`, else MNIST);
  /// - `cifar-10-batches-py` or `cifar-10-batches-bin`, or a folder holding one (python first);
  /// - else a folder whose subfolders are the classes (an image folder).
  public static func kind(of path: String, digitsFolder: String? = nil) throws -> Kind {
    if path == "digits" {
      guard let folder = digitsFolder, DatasetMNIST.holds(folder) else {
        throw DatasetError(
          file: "digits",
          problem: "the shipped digits data was not found (Lessons/data/digits in the repository, "
            + "share/convtour/Lessons/data/digits where installed)")
      }
      return .digits(folder: folder)
    }
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    guard DatasetImageFolder.isDirectory(trimmed) else {
      throw DatasetError(
        file: path,
        problem: DatasetMNIST.exists(trimmed)
          ? "not a folder: a dataset is `digits`, a folder, or a .npy pair (--images X.npy --labels-file Y.npy)"
          : "no such file or folder")
    }
    for (folder, name) in [("MNIST", "MNIST"), ("FashionMNIST", "Fashion-MNIST")] {
      if DatasetMNIST.holds(trimmed + "/" + folder + "/raw") {
        return .mnist(raw: trimmed + "/" + folder + "/raw", name: name)
      }
      if last(trimmed) == folder, DatasetMNIST.holds(trimmed + "/raw") {
        return .mnist(raw: trimmed + "/raw", name: name)
      }
    }
    if DatasetMNIST.holds(trimmed) {
      return .mnist(raw: trimmed, name: last(parent(trimmed)) == "FashionMNIST" ? "Fashion-MNIST" : "MNIST")
    }
    for folder in [trimmed, trimmed + "/cifar-10-batches-py", trimmed + "/cifar-10-batches-bin"] {
      if let layout = DatasetCIFAR.layout(of: folder) { return .cifar(folder: folder, layout: layout) }
    }
    if last(trimmed).hasPrefix("cifar-10-batches") {
      let missing = last(trimmed) == "cifar-10-batches-bin" ? "test_batch.bin" : "test_batch and batches.meta"
      throw DatasetError(file: path, problem: "no \(missing): not a complete CIFAR-10 folder")
    }
    for folder in [trimmed, trimmed + "/MNIST/raw", trimmed + "/FashionMNIST/raw", trimmed + "/raw"] {
      let present = DatasetMNIST.files.filter {
        DatasetMNIST.exists(folder + "/" + $0) || DatasetMNIST.exists(folder + "/" + $0 + ".gz")
      }
      guard let name = present.first else { continue }
      let missing = DatasetMNIST.files.filter { !present.contains($0) }
      throw DatasetError(
        file: folder,
        problem:
          "\(name) is here but not \(missing.joined(separator: ", ")) (nor .gz): an incomplete MNIST raw folder"
      )
    }
    return .imageFolder(root: trimmed)
  }

  /// Reads the dataset at `path` (see `kind(of:digitsFolder:)`). `budget` bounds the memory
  /// the images and labels take, estimated from the headers before anything is allocated;
  /// `split` is used where the dataset has no split of its own.
  public static func open(
    _ path: String, digitsFolder: String? = nil, budget: DatasetBudget = .standard,
    split: DatasetSeededSplit = .standard
  ) throws -> Dataset {
    switch try kind(of: path, digitsFolder: digitsFolder) {
    case .digits(let folder): return try DatasetDigits.read(folder: folder, budget: budget)
    case .mnist(let raw, let name): return try DatasetMNIST.read(raw: raw, name: name, budget: budget)
    case .cifar(let folder, let layout):
      return try DatasetCIFAR.read(folder: folder, layout: layout, budget: budget)
    case .imageFolder(let root): return try DatasetImageFolder.read(root: root, budget: budget, split: split)
    }
  }

  /// The `.npy` pair: `images` float32 [N, C, H, W], `labels` int64 [N].
  public static func open(
    images: String, labels: String, budget: DatasetBudget = .standard, split: DatasetSeededSplit = .standard
  ) throws -> Dataset {
    try DatasetNumpyPair.read(images: images, labels: labels, budget: budget, split: split)
  }

  static func last(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  static func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return String(path[..<slash])
  }
}

/// The 1,797 8×8 handwritten digits of the UCI collection that scikit-learn bundles
/// (`load_digits`), shipped as `Lessons/data/digits/` in MNIST's raw layout (made by
/// `Lessons/data/make_digits.py`): values 0–16 as scikit-learn has them, each read as the pixel
/// `(v × 255 + 8) / 16` (×255/16 rounded half up: 0 → 0, 8 → 128, 16 → 255), and a fixed seeded
/// split of 1,437 training and 360 test images.
public enum DatasetDigits {
  public static let classNames = (0...9).map(String.init)

  /// The shipped digits' folder: `data/digits` in the first of the lesson folders (the command
  /// line's candidates, in its order: `--lessons`, $CONVTOUR_LESSONS, the repository's
  /// `Lessons/`, the installed share folder) that holds its four files; nil when none does.
  public static func locate(lessonFolders: [String]) -> String? {
    lessonFolders.map { $0 + "/data/digits" }.first(where: DatasetMNIST.holds)
  }

  /// The pixel for a stored value (values above 16 are refused before this).
  public static func pixel(_ value: UInt8) -> UInt8 { UInt8((Int(value) * 255 + 8) / 16) }

  public static func read(folder: String, budget: DatasetBudget = .standard) throws -> Dataset {
    var dataset = try DatasetMNIST.read(raw: folder, name: "digits", classNames: classNames, budget: budget)
    for (split, file) in [
      (dataset.train, "train-images-idx3-ubyte"), (dataset.test, "t10k-images-idx3-ubyte"),
    ] {
      if case .bytes(_, let h, let w, let pixels) = split.images,
        (h, w) != (8, 8) || pixels.contains(where: { $0 > 16 })
      {
        throw DatasetError(
          file: folder + "/" + file, problem: "not the shipped digits: images of 8×8 values 0–16 expected")
      }
    }
    for keyPath in [\Dataset.train, \Dataset.test] {
      if case .bytes(let c, let h, let w, let pixels) = dataset[keyPath: keyPath].images {
        dataset[keyPath: keyPath].images = .bytes(channels: c, height: h, width: w, pixels: pixels.map(pixel))
      }
    }
    dataset.origin = [
      "digits (UCI ML hand-written digits via scikit-learn, CC BY 4.0): \(dataset.train.count) training "
        + "and \(dataset.test.count) test images of 8×8 grey, values 0–16 scaled to 0–255",
      "test split: the shipped one (seeded, made by Lessons/data/make_digits.py)",
    ]
    return dataset
  }
}
