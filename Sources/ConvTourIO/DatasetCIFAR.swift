#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// CIFAR-10 where torchvision puts it (`ROOT/cifar-10-batches-py/`), or the binary version
/// (`ROOT/cifar-10-batches-bin/`). Both hold `data_batch_1` … `data_batch_5` for training and
/// `test_batch` for testing (the dataset's own split), each image 3,072 bytes: 1,024 red, 1,024
/// green, 1,024 blue, each 32 rows of 32, top row first.
///
/// - python: each batch a pickle (protocol 2, Python 2's cPickle; also Python 3 and numpy 2's
///   rewrite) of `{'batch_label', 'labels', 'data', 'filenames'}` read by the restricted pickle
///   machine with `CIFARPickle`, which accepts that layout only; `batches.meta` gives
///   `label_names`.
/// - binary: `data_batch_N.bin`, `test_batch.bin`: records of 3,073 bytes, the label then the
///   pixels; `batches.meta.txt` gives the class names, one a line.
public enum DatasetCIFAR {
  public static let classNames = [
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
  ]
  static let imageBytes = 3072
  static let trainingBatches = (1...5).map { "data_batch_\($0)" }

  public enum Layout: Sendable { case python, binary }

  /// Whether `folder` looks like either layout: its test batch is there.
  static func layout(of folder: String) -> Layout? {
    if DatasetMNIST.exists(folder + "/test_batch"), DatasetMNIST.exists(folder + "/batches.meta") {
      return .python
    }
    if DatasetMNIST.exists(folder + "/test_batch.bin") { return .binary }
    return nil
  }

  /// Reads the six batches of `folder` in `layout`.
  public static func read(folder: String, layout: Layout, budget: DatasetBudget = .standard) throws -> Dataset
  {
    let suffix = layout == .binary ? ".bin" : ""
    let paths = (trainingBatches + ["test_batch"]).map { folder + "/" + $0 + suffix }
    // The files hold at least their images: their sizes bound what is read, before reading.
    var total = 0
    for path in paths {
      let opened: (descriptor: Int32, size: Int)
      do { opened = try RegularFile.open(path) } catch {
        throw DatasetError(file: path, problem: error.message)
      }
      _ = close(opened.descriptor)
      total += opened.size
    }
    try budget.check(total, file: folder, what: "the six batches (\(RegularFile.megabytes(total)))")
    let names: [String]
    switch layout {
    case .python: names = try meta(path: folder + "/batches.meta")
    case .binary: names = try metaText(path: folder + "/batches.meta.txt")
    }
    var trainPixels: [UInt8] = [], trainLabels: [Int] = []
    var test = DatasetSplit(images: .bytes(channels: 3, height: 32, width: 32, pixels: []), labels: [])
    for (k, path) in paths.enumerated() {
      let batch =
        layout == .binary
        ? try binaryBatch(path: path, limit: budget.bytes) : try pythonBatch(path: path, limit: budget.bytes)
      let labels = try DatasetLabels.check(batch.labels, classes: names.count, file: path)
      if k < 5 {
        trainPixels += batch.pixels
        trainLabels += labels
      } else {
        test = DatasetSplit(
          images: .bytes(channels: 3, height: 32, width: 32, pixels: batch.pixels), labels: labels)
      }
    }
    let train = DatasetSplit(
      images: .bytes(channels: 3, height: 32, width: 32, pixels: trainPixels), labels: trainLabels)
    let version = layout == .binary ? "binary" : "python"
    return Dataset(
      name: "CIFAR-10", classNames: names, train: train, test: test,
      origin: [
        "CIFAR-10 (\(version) version) from \(folder): \(train.count) training and \(test.count) test images of 32×32 RGB",
        "test split: the dataset's own (test_batch)",
      ], source: folder)
  }

  /// One batch file of `layout` on its own: 32×32 RGB images and their labels (checked against
  /// CIFAR-10's ten classes).
  public static func readBatch(path: String, layout: Layout, budget: DatasetBudget = .standard) throws
    -> DatasetSplit
  {
    let batch =
      layout == .binary
      ? try binaryBatch(path: path, limit: budget.bytes) : try pythonBatch(path: path, limit: budget.bytes)
    let labels = try DatasetLabels.check(batch.labels, classes: classNames.count, file: path)
    return DatasetSplit(
      images: .bytes(channels: 3, height: 32, width: 32, pixels: batch.pixels), labels: labels)
  }

  /// The class names of `batches.meta` (python) or `batches.meta.txt` (binary).
  public static func readClassNames(path: String, layout: Layout) throws -> [String] {
    layout == .binary ? try metaText(path: path) : try meta(path: path)
  }

  /// One binary batch: records of the label byte and 3,072 pixels.
  static func binaryBatch(path: String, limit: Int) throws -> (pixels: [UInt8], labels: [Int]) {
    let bytes: [UInt8]
    do { bytes = try RegularFile.read(path, limit: limit, what: "a CIFAR-10 batch") } catch {
      throw DatasetError(file: path, problem: error.message)
    }
    let record = imageBytes + 1
    guard !bytes.isEmpty, bytes.count % record == 0 else {
      throw DatasetError(
        file: path,
        problem: bytes.isEmpty
          ? "the file is empty: a batch holds records of 3,073 bytes (a label, then 32×32×3 pixels)"
          : "\(bytes.count) bytes is not a whole number of 3,073-byte records (truncated, or not a CIFAR-10 binary batch)"
      )
    }
    let count = bytes.count / record
    var pixels = [UInt8](repeating: 0, count: count * imageBytes)
    var labels = [Int](repeating: 0, count: count)
    for n in 0..<count {
      labels[n] = Int(bytes[n * record])
      pixels.withUnsafeMutableBufferPointer { target in
        bytes.withUnsafeBufferPointer { source in
          for i in 0..<imageBytes { target[n * imageBytes + i] = source[n * record + 1 + i] }
        }
      }
    }
    return (pixels, labels)
  }

  /// `batches.meta.txt`: the class names, one a line (blank lines ignored).
  static func metaText(path: String) throws -> [String] {
    let bytes: [UInt8]
    do { bytes = try RegularFile.read(path, limit: 1 << 16, what: "batches.meta.txt") } catch {
      throw DatasetError(file: path, problem: error.message)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw DatasetError(file: path, problem: "the class names are not UTF-8 text")
    }
    let names = text.split(whereSeparator: \.isNewline).map {
      String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }.filter { !$0.isEmpty }
    try checkNames(names, file: path)
    return names
  }

  static func checkNames(_ names: [String], file: String) throws {
    guard names.count == classNames.count else {
      throw DatasetError(file: file, problem: "\(names.count) class names; CIFAR-10 has \(classNames.count)")
    }
  }

  /// Runs the restricted machine over a whole pickle file; the top value and the client.
  static func unpickle(path: String, limit: Int) throws -> (PickleValue, PickleMemory, CIFARPickle) {
    let bytes: [UInt8]
    do { bytes = try RegularFile.read(path, limit: limit, what: "a CIFAR-10 batch") } catch {
      throw DatasetError(file: path, problem: error.message)
    }
    guard bytes.starts(with: [0x80, 0x02]) else {
      throw DatasetError(
        file: path, problem: "not a CIFAR-10 python batch: it does not start as a pickle of protocol 2")
    }
    var machine = PickleMachine(bytes: bytes, client: CIFARPickle(bytes: bytes))
    let value: PickleValue
    do { value = try machine.load() } catch let error as PickleError {
      throw DatasetError(
        file: path, problem: "\(error.ranOut ? "truncated: " : "")byte \(error.offset): \(error.problem)")
    }
    guard machine.position == bytes.count else {
      throw DatasetError(
        file: path,
        problem:
          "\(bytes.count - machine.position) byte(s) follow the pickle's STOP at byte \(machine.position - 1)"
      )
    }
    return (value, machine.memory, machine.client)
  }

  /// The dict's entries, which must be exactly `keys` (each once, in any order).
  static func entries(_ value: PickleValue, _ memory: PickleMemory, keys: [String], file: String) throws
    -> [String: PickleValue]
  {
    guard let items = memory.stringKeyed(value) else {
      throw DatasetError(
        file: file, problem: "the pickle holds \(value.summary), not a dict of strings: not CIFAR-10's layout"
      )
    }
    var result: [String: PickleValue] = [:]
    for (key, item) in items {
      guard keys.contains(key) else {
        throw DatasetError(
          file: file,
          problem: "unexpected key '\(key)': not CIFAR-10's layout (\(keys.joined(separator: ", ")))")
      }
      guard result.updateValue(item, forKey: key) == nil else {
        throw DatasetError(file: file, problem: "the key '\(key)' appears twice")
      }
    }
    if let missing = keys.first(where: { result[$0] == nil }) {
      throw DatasetError(
        file: file, problem: "no '\(missing)': not CIFAR-10's layout (\(keys.joined(separator: ", ")))")
    }
    return result
  }

  /// One python batch.
  static func pythonBatch(path: String, limit: Int) throws -> (pixels: [UInt8], labels: [Int]) {
    let (value, memory, client) = try unpickle(path: path, limit: limit)
    let items = try entries(value, memory, keys: ["batch_label", "labels", "data", "filenames"], file: path)
    guard case .string = items["batch_label"]! else {
      throw DatasetError(file: path, problem: "batch_label is \(items["batch_label"]!.summary), not a string")
    }
    guard case .list = items["labels"]!, let labelValues = memory.sequence(items["labels"]!) else {
      throw DatasetError(file: path, problem: "labels is \(items["labels"]!.summary), not a list")
    }
    let labels = try labelValues.enumerated().map { (index, item) in
      guard case .int(let label) = item else {
        throw DatasetError(file: path, problem: "label \(index) is \(item.summary), not an integer")
      }
      return label
    }
    guard case .object(let index) = items["data"]!, case .array(let shape, let data) = client.objects[index],
      let pixels = client.raw(data)
    else {
      throw DatasetError(file: path, problem: "data is \(items["data"]!.summary), not a numpy array of uint8")
    }
    guard shape[0] == labels.count else {
      throw DatasetError(file: path, problem: "\(labels.count) labels for \(shape[0]) images")
    }
    guard case .list = items["filenames"]!, let names = memory.sequence(items["filenames"]!),
      names.count == labels.count
    else {
      throw DatasetError(file: path, problem: "filenames is not a list of \(labels.count) names")
    }
    return (pixels, labels)
  }

  /// `batches.meta`: `{'num_cases_per_batch', 'label_names', 'num_vis'}`; the class names.
  static func meta(path: String) throws -> [String] {
    let (value, memory, _) = try unpickle(path: path, limit: 1 << 20)
    let items = try entries(
      value, memory, keys: ["num_cases_per_batch", "label_names", "num_vis"], file: path)
    guard items["num_vis"]! == .int(3072) else {
      throw DatasetError(file: path, problem: "num_vis is \(items["num_vis"]!.summary), not 3072")
    }
    guard case .int = items["num_cases_per_batch"]! else {
      throw DatasetError(file: path, problem: "num_cases_per_batch is not an integer")
    }
    let names = try (memory.sequence(items["label_names"]!) ?? [.none]).map { item in
      guard case .string(let name) = item else {
        throw DatasetError(file: path, problem: "label_names holds \(item.summary), not only strings")
      }
      return name
    }
    try checkNames(names, file: path)
    return names
  }
}
