import ConvTourEngine

/// The bridge from any PyTorch dataset: `X.npy`, float32 `[N, C, H, W]` already preprocessed
/// (`np.save("X.npy", torch.stack([x for x, _ in ds]).numpy())`), and `Y.npy`, int64 `[N]`
/// (`np.save("Y.npy", np.array([y for _, y in ds]))`). The classes are `0 … max(label)`, named by
/// their numbers; there is no split of the dataset's own, so a seeded one is made.
public enum DatasetNumpyPair {
  public static func read(
    images: String, labels: String, budget: DatasetBudget = .standard, split: DatasetSeededSplit = .standard
  ) throws -> Dataset {
    let values: [Int64]
    do {
      values = try Numpy.readInt64(path: labels) { shape in
        guard shape.count == 1 else {
          throw DatasetError(
            file: labels, problem: "labels of shape \(shape): expected [N], one label an image")
        }
        try budget.check(Shape.count(shape) * 8, file: labels, what: "\(Shape.count(shape)) labels")
      }
    } catch let error as NumpyError { throw DatasetError(file: error.file, problem: error.problem) }
    let tensor: Tensor32
    do {
      tensor = try Numpy.readFloat32(path: images) { shape in
        guard shape.count == 4, [1, 3].contains(shape[1]), shape[2] > 0, shape[3] > 0 else {
          throw DatasetError(
            file: images,
            problem: "images of shape \(shape): expected float32 [N, C, H, W] with C = 1 or 3")
        }
        guard shape[0] == values.count else {
          throw DatasetError(
            file: labels, problem: "\(values.count) labels for the \(shape[0]) images of \(images)")
        }
        try budget.check(
          Shape.count(shape) * 4, used: values.count * 8, file: images,
          what: "images of shape \(shape) (float32)")
      }
    } catch let error as NumpyError { throw DatasetError(file: error.file, problem: error.problem) }
    guard let negative = values.firstIndex(where: { $0 < 0 || $0 >= 1 << 20 }) else {
      let classes = Int(values.max() ?? 0) + 1
      let all = DatasetSplit(images: .floats(tensor), labels: values.map(Int.init))
      let (train, test, note) = try split.apply(all, file: images)
      return Dataset(
        name: ".npy pair", classNames: (0..<classes).map(String.init), train: train, test: test,
        origin: [
          ".npy pair \(images) and \(labels): \(all.count) images of \(all.images.sizeText), \(classes) classes",
          note,
        ], source: images)
    }
    throw DatasetError(
      file: labels,
      problem: "label \(values[negative]) at index \(negative) is out of range (0 to 1,048,575)")
  }
}

extension Numpy {
  /// Reads a little-endian int64 array in C order ('<i8'); `accept` sees the shape first.
  static func readInt64(path: String, accept: ([Int]) throws -> Void = { _ in }) throws -> [Int64] {
    do {
      return try BinaryFile.withReader(path: path) { file in
        let header = try NumpyHeader(file: file, path: path, element: .int64)
        try accept(header.shape)
        var values = [Int64](repeating: 0, count: header.elementCount)
        try values.withUnsafeMutableBytes { try file.read(into: $0, at: header.dataStart) }
        return values.map { Int64(littleEndian: $0) }
      }
    } catch let failure as BinaryFile.Failure {
      throw NumpyError(file: path, problem: failure.message)
    }
  }
}

/// The split made when a dataset has none of its own: a seeded shuffle (SplitMix64, Fisher–Yates
/// from the last index down, `next() % (i + 1)`), whose first `round(fraction × N)` images are
/// for testing; both parts keep the original order.
public struct DatasetSeededSplit: Sendable {
  public var testFraction: Double
  public var seed: UInt64

  public init(testFraction: Double, seed: UInt64) {
    (self.testFraction, self.seed) = (testFraction, seed)
  }

  public static let standard = DatasetSeededSplit(testFraction: 0.2, seed: 0)

  /// The indices for testing, ascending.
  public func testIndices(count: Int) -> [Int] {
    var order = Array(0..<count)
    var generator = SeededRandom(seed: seed)
    if count > 1 {
      for i in stride(from: count - 1, to: 0, by: -1) {
        order.swapAt(i, Int(generator.next() % UInt64(i + 1)))
      }
    }
    let testCount = Int((Double(count) * testFraction).rounded())
    return order.prefix(min(max(testCount, 0), count)).sorted()
  }

  func apply(_ all: DatasetSplit, file: String) throws -> (DatasetSplit, DatasetSplit, String) {
    let test = testIndices(count: all.count)
    var isTest = [Bool](repeating: false, count: all.count)
    for i in test { isTest[i] = true }
    let train = (0..<all.count).filter { !isTest[$0] }
    let percent = Int((testFraction * 100).rounded())
    return (
      try all.subset(train), try all.subset(test),
      "seeded split: \(test.count) of \(all.count) images for testing (\(percent)%, seed \(seed)), the rest for training"
    )
  }
}

extension DatasetSplit {
  /// The images and labels at `indices`, in that order.
  public func subset(_ indices: [Int]) throws -> DatasetSplit {
    let labels = indices.map { self.labels[$0] }
    switch images {
    case .bytes(let c, let h, let w, let pixels):
      let size = c * h * w
      var out: [UInt8] = []
      out.reserveCapacity(indices.count * size)
      for i in indices { out += pixels[(i * size)..<((i + 1) * size)] }
      return DatasetSplit(images: .bytes(channels: c, height: h, width: w, pixels: out), labels: labels)
    case .pictures(let pictures):
      return DatasetSplit(images: .pictures(indices.map { pictures[$0] }), labels: labels)
    case .floats(let tensor):
      let size = tensor.shape.dropFirst().reduce(1, *)
      var out: [Float] = []
      out.reserveCapacity(indices.count * size)
      for i in indices { out += tensor.values[(i * size)..<((i + 1) * size)] }
      return DatasetSplit(
        images: .floats(try Tensor32(shape: [indices.count] + tensor.shape.dropFirst(), values: out)),
        labels: labels)
    }
  }
}
