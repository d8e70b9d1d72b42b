import ConvTourEngine
import Foundation
import Testing

@testable import ConvTourIO

/// The dataset fixtures in `Fixtures/Datasets/`, written by `make_dataset_fixtures.py` there,
/// which read each good one back as torchvision does and recorded what it found in
/// `expected.json`.
enum DatasetFixtures {
  static let directory: String = {
    let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    return here.appendingPathComponent("Fixtures/Datasets").path
  }()

  static func path(_ name: String) -> String { directory + "/" + name }

  nonisolated(unsafe) static let expected: [String: Any] = {
    let data = FileManager.default.contents(atPath: path("expected.json")) ?? Data()
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
  }()

  static func value(_ keys: String...) -> Any? {
    var current: Any? = expected
    for key in keys { current = (current as? [String: Any])?[key] }
    return current
  }

  static func hex(_ hash: UInt64) -> String {
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }

  /// Compares a split with the script's record of it (count, labels, FNV-1a of the pixels).
  static func check(_ split: DatasetSplit, _ keys: String...) {
    let record = keys.reduce(expected as Any?) { ($0 as? [String: Any])?[$1] } as? [String: Any] ?? [:]
    #expect(split.count == record["count"] as? Int)
    #expect(split.labels == record["labels"] as? [Int])
    guard case .bytes(_, _, _, let pixels) = split.images else {
      Issue.record("not bytes")
      return
    }
    #expect(hex(ImageFixtures.fnv1a(pixels)) == record["fnv"] as? String)
    #expect(pixels.prefix(8).map(Int.init) == record["first"] as? [Int])
  }

  /// Compares `prepared` with the script's PIL and float32 computation, bit for bit.
  static func checkPrepared(_ dataset: Dataset, _ split: DatasetSplit, _ keys: String...) throws {
    let record = keys.reduce(expected as Any?) { ($0 as? [String: Any])?[$1] } as? [String: Any] ?? [:]
    let input = try #require(record["input"] as? [Int])
    let mean = try #require(record["mean"] as? [Double]).map(Float.init)
    let std = try #require(record["std"] as? [Double]).map(Float.init)
    let tensor = try dataset.prepared(
      split, for: input, normalisation: InputNormalisation(mean: mean, std: std))
    #expect(tensor.shape == [split.count] + input)
    #expect(hex(ImageFixtures.fnv1a(floats: tensor.values)) == record["fnv"] as? String)
    let first = try #require(record["first"] as? [Double])
    #expect(tensor.values.prefix(6).map(Double.init) == first.map { Double(Float($0)) })
  }

  static let all = DatasetSeededSplit(testFraction: 0, seed: 0)
}

@Suite("Datasets read from fixtures as torchvision reads them")
struct DatasetTests {
  @Test("MNIST's raw folder, from the root, the MNIST folder or the raw folder itself")
  func mnist() throws {
    for path in ["mnist", "mnist/MNIST", "mnist/MNIST/raw", "mnist/MNIST/raw/"] {
      let dataset = try DatasetSource.open(DatasetFixtures.path(path))
      #expect(dataset.name == "MNIST")
      #expect(dataset.classNames == DatasetMNIST.digitNames)
      #expect(dataset.train.images.shape == [1, 4, 3])
      DatasetFixtures.check(dataset.train, "mnist", "train")
      DatasetFixtures.check(dataset.test, "mnist", "test")
      #expect(dataset.origin.last == "test split: the dataset's own (t10k-*)")
    }
  }

  @Test("Fashion-MNIST from .gz files only")
  func fashion() throws {
    let dataset = try DatasetSource.open(DatasetFixtures.path("fashion"))
    #expect(dataset.name == "Fashion-MNIST")
    #expect(dataset.classNames.last == "Ankle boot")
    DatasetFixtures.check(dataset.train, "fashion", "train")
    DatasetFixtures.check(dataset.test, "fashion", "test")
    let raw = try DatasetSource.open(DatasetFixtures.path("fashion/FashionMNIST/raw"))
    #expect(raw.name == "Fashion-MNIST")
  }

  @Test("CIFAR-10's python batches as Python 2's cPickle wrote them, and as Python 3 and numpy 2 write them")
  func cifarPython() throws {
    for folder in ["cifar-py2", "cifar-py2/cifar-10-batches-py", "cifar-py3"] {
      let dataset = try DatasetSource.open(DatasetFixtures.path(folder))
      #expect(dataset.name == "CIFAR-10")
      #expect(dataset.classNames == DatasetFixtures.value("cifar", "classes") as? [String])
      #expect(dataset.train.images.shape == [3, 32, 32])
      DatasetFixtures.check(dataset.train, "cifar", "train")
      DatasetFixtures.check(dataset.test, "cifar", "test")
    }
  }

  @Test("CIFAR-10's binary version: the same images and labels")
  func cifarBinary() throws {
    let dataset = try DatasetSource.open(DatasetFixtures.path("cifar-bin"))
    #expect(
      try DatasetSource.kind(of: DatasetFixtures.path("cifar-bin"))
        == .cifar(
          folder: DatasetFixtures.path("cifar-bin/cifar-10-batches-bin"), layout: .binary))
    #expect(dataset.classNames == DatasetCIFAR.classNames)
    DatasetFixtures.check(dataset.train, "cifar", "train")
    DatasetFixtures.check(dataset.test, "cifar", "test")
  }

  @Test("an image folder: torchvision's classes, order and RGB pixels")
  func imageFolder() throws {
    let dataset = try DatasetSource.open(DatasetFixtures.path("images"), split: DatasetFixtures.all)
    #expect(dataset.classNames == DatasetFixtures.value("images", "classes") as? [String])
    #expect(dataset.train.labels == DatasetFixtures.value("images", "labels") as? [Int])
    #expect(dataset.test.count == 0)
    guard case .pictures(let pictures) = dataset.train.images else {
      Issue.record("not pictures")
      return
    }
    #expect(pictures.map { [$0.width, $0.height] } == DatasetFixtures.value("images", "sizes") as? [[Int]])
    #expect(
      pictures.map { DatasetFixtures.hex(ImageFixtures.fnv1a($0.pixels)) }
        == DatasetFixtures.value("images", "fnv") as? [String])
    try DatasetFixtures.checkPrepared(dataset, dataset.train, "images", "prepared")
    try DatasetFixtures.checkPrepared(dataset, dataset.train, "images", "prepared_grey")
  }

  @Test("the seeded split: stated, reproducible, and a partition")
  func seededSplit() throws {
    let dataset = try DatasetSource.open(DatasetFixtures.path("images"))
    #expect(dataset.train.count == 5 && dataset.test.count == 1)
    #expect(
      dataset.origin.last == "seeded split: 1 of 6 images for testing (20%, seed 0), the rest for training")
    let split = DatasetSeededSplit(testFraction: 0.3, seed: 7)
    let test = split.testIndices(count: 100)
    #expect(test.count == 30 && test == test.sorted() && Set(test).count == 30)
    #expect(test == split.testIndices(count: 100))
    #expect(test != DatasetSeededSplit(testFraction: 0.3, seed: 8).testIndices(count: 100))
  }

  @Test("a .npy pair: float32 images used as they are, int64 labels")
  func numpyPair() throws {
    let dataset = try DatasetSource.open(
      images: DatasetFixtures.path("pair/X.npy"), labels: DatasetFixtures.path("pair/Y.npy"),
      split: DatasetFixtures.all)
    #expect(dataset.classNames == ["0", "1", "2", "3"])
    #expect(dataset.train.labels == DatasetFixtures.value("pair", "labels") as? [Int])
    guard case .floats(let tensor) = dataset.train.images else {
      Issue.record("not floats")
      return
    }
    #expect(tensor.shape == [7, 1, 4, 4])
    #expect(
      DatasetFixtures.hex(ImageFixtures.fnv1a(floats: tensor.values)) == DatasetFixtures.value("pair", "fnv")
        as? String)
    let same = try dataset.prepared(dataset.train, for: [1, 4, 4], normalisation: .mnist)
    #expect(same == tensor)
    #expect(throws: DatasetError.self) {
      try dataset.prepared(dataset.train, for: [1, 5, 4], normalisation: .mnist)
    }
    let split = try DatasetSource.open(
      images: DatasetFixtures.path("pair/X.npy"), labels: DatasetFixtures.path("pair/Y.npy"))
    #expect(split.train.count == 6 && split.test.count == 1)
  }

  @Test(
    "prepared: grey to RGB and resized (MNIST), RGB resized and to grey (CIFAR-10), as PIL and torchvision")
  func prepared() throws {
    let mnist = try DatasetSource.open(DatasetFixtures.path("mnist"))
    try DatasetFixtures.checkPrepared(mnist, mnist.train, "mnist", "prepared")
    let cifar = try DatasetSource.open(DatasetFixtures.path("cifar-py2"))
    let first = try cifar.train.subset([0, 1])
    try DatasetFixtures.checkPrepared(cifar, first, "cifar", "prepared")
    try DatasetFixtures.checkPrepared(cifar, first, "cifar", "prepared_grey")
    #expect(
      Dataset.grey(255, 255, 255) == 255 && Dataset.grey(255, 0, 0) == 76 && Dataset.grey(0, 0, 255) == 29)
  }

  @Test("the shipped digits: 1,437 training and 360 test images of 8×8, values 0–16 read as 0–255")
  func digits() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Lessons/data/digits").path
    let lessons = URL(fileURLWithPath: folder).deletingLastPathComponent().deletingLastPathComponent().path
    #expect(DatasetDigits.locate(lessonFolders: ["/nonexistent", lessons]) == lessons + "/data/digits")
    #expect(DatasetDigits.locate(lessonFolders: ["/nonexistent"]) == nil)
    let dataset = try DatasetSource.open("digits", digitsFolder: folder)
    #expect(dataset.name == "digits")
    #expect(dataset.train.count == 1437 && dataset.test.count == 360)
    #expect(dataset.train.images.shape == [1, 8, 8])
    #expect(dataset.classNames == (0...9).map(String.init))
    guard case .bytes(_, _, _, let pixels) = dataset.train.images else { return }
    #expect(Set(pixels).isSubset(of: Set((0...16).map { DatasetDigits.pixel(UInt8($0)) })))
    #expect(pixels.max() == 255)
    #expect(DatasetDigits.pixel(8) == 128 && DatasetDigits.pixel(1) == 16)
    // The first test image is load_digits' index 2, a 2 (make_digits.py prints it).
    #expect(dataset.test.labels.first == 2)
    #expect(throws: DatasetError.self) { try DatasetSource.open("digits", digitsFolder: "/nonexistent") }
  }

  @Test("a budget refuses a dataset before reading it, with the estimate")
  func budget() {
    let small = DatasetBudget(bytes: 1000)
    #expect(throws: DatasetError.self) {
      try DatasetSource.open(DatasetFixtures.path("cifar-bin"), budget: small)
    }
    #expect(throws: DatasetError.self) {
      try DatasetSource.open(DatasetFixtures.path("mnist"), budget: DatasetBudget(bytes: 40))
    }
  }
}
