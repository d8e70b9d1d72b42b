import ConvTourEngine
import ConvTourIO
import Foundation

/// The dataset readers' fuzz targets (issue 20): IDX files (plain and gzip), CIFAR-10's batches
/// in both layouts, and image folders built from the input.
enum FuzzDatasets {
  /// A budget small enough that a header declaring more is refused before any allocation, and
  /// large enough for every seed.
  static let budget = DatasetBudget(bytes: 4 << 20)

  /// The input as an IDX image file and as a label file; images read are prepared for a small
  /// RGB network (grey to RGB, resized).
  static func idx(_ bytes: [UInt8]) {
    let path = FuzzTargets.scratch(bytes)
    _ = try? DatasetIDX.read(path: path, magic: DatasetIDX.labels, budget: budget)
    guard let images = try? DatasetIDX.read(path: path, magic: DatasetIDX.images, budget: budget) else {
      return
    }
    let (count, rows, columns) = (images.dimensions[0], images.dimensions[1], images.dimensions[2])
    guard count > 0, rows > 0, columns > 0, count <= 64, rows * columns <= 4096 else { return }
    let split = DatasetSplit(
      images: .bytes(channels: 1, height: rows, width: columns, pixels: images.data),
      labels: [Int](repeating: 0, count: count))
    let dataset = Dataset(name: "fuzz", classNames: ["0"], train: split, test: split, origin: [])
    _ = try? dataset.prepared(split, for: [3, 5, 7], normalisation: .imageNet)
  }

  /// The input as a CIFAR-10 batch in both layouts, and as the class names of both.
  static func cifar(_ bytes: [UInt8]) {
    let path = FuzzTargets.scratch(bytes)
    for layout in [DatasetCIFAR.Layout.python, .binary] {
      _ = try? DatasetCIFAR.readClassNames(path: path, layout: layout)
      guard let split = try? DatasetCIFAR.readBatch(path: path, layout: layout, budget: budget),
        split.count <= 8
      else { continue }
      let dataset = Dataset(
        name: "fuzz", classNames: DatasetCIFAR.classNames, train: split, test: split, origin: [])
      _ = try? dataset.prepared(split, for: [1, 8, 8], normalisation: .mnist)
    }
  }

  /// The separator between the files of an image folder in the input.
  static let separator = Array("\nFILE".utf8)
  static let extensions = [".png", ".jpg", ".ppm", ".txt", ".PNG", ".bmp", ".jpeg", ""]

  /// The files an input describes: chunks between separators, at most 8; in each, byte 0 picks
  /// the class folder (c0, c1, c2, or a file at the root), byte 1 the extension, byte 2 whether
  /// the file sits in a nested folder; the rest is the file's content.
  static func files(_ bytes: [UInt8]) -> [(path: String, content: [UInt8])] {
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    var i = 0
    while i + separator.count <= bytes.count, chunks.count < 7 {
      if bytes[i..<(i + separator.count)].elementsEqual(separator) {
        chunks.append(bytes[start..<i])
        i += separator.count
        start = i
      } else {
        i += 1
      }
    }
    chunks.append(bytes[start...])
    return chunks.compactMap { chunk in
      guard chunk.count >= 3 else { return nil }
      let header = Array(chunk.prefix(3))
      let folder = header[0] % 4 == 3 ? "" : "c\(header[0] % 4)/"
      let nested = header[2] & 1 == 1 && !folder.isEmpty ? "sub/" : ""
      let name = folder + nested + "f\(header[2] >> 1)" + extensions[Int(header[1]) % extensions.count]
      return (name, Array(chunk.dropFirst(3)))
    }
  }

  /// Builds the image folder the input describes in a scratch folder, reads it with a small
  /// budget and seeded split, and prepares both splits for small networks.
  static func imageFolder(_ bytes: [UInt8]) {
    ImageInput.maxPixels = 65536
    let root = FuzzTargets.scratchPath + "-folder"
    try? FileManager.default.removeItem(atPath: root)
    defer { try? FileManager.default.removeItem(atPath: root) }
    for (path, content) in files(bytes) {
      let url = URL(fileURLWithPath: root + "/" + path)
      try? FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      FileManager.default.createFile(atPath: url.path, contents: Data(content))
    }
    guard let dataset = try? DatasetSource.open(root, budget: budget) else { return }
    _ = try? dataset.prepared(dataset.train, for: [3, 6, 5], normalisation: .half)
    _ = try? dataset.prepared(dataset.test, for: [1, 4, 4], normalisation: .mnist)
  }
}

extension FuzzDatasets {
  /// Seeds from the dataset fixtures (Tests/ConvTourIOTests/Fixtures/Datasets) and the shipped
  /// digits: every IDX file (plain and .gz), every CIFAR-10 batch and meta file of both layouts
  /// (Python 2's and Python 3's pickles), and the image folder as one input.
  static func writeSeeds(_ out: URL, repository: URL) {
    let fixtures = repository.appendingPathComponent("Tests/ConvTourIOTests/Fixtures/Datasets")
    func copy(_ folder: String, to target: String, prefix: String, into seeds: inout [String: Data]) {
      let source =
        folder.hasPrefix("/") ? URL(fileURLWithPath: folder) : fixtures.appendingPathComponent(folder)
      for name in (try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? [] {
        guard let data = FileManager.default.contents(atPath: source.appendingPathComponent(name).path) else {
          continue
        }
        seeds["\(target)/\(prefix)-\(name)"] = data
      }
    }
    var seeds: [String: Data] = [:]
    copy("mnist/MNIST/raw", to: "idx", prefix: "mnist", into: &seeds)
    copy("fashion/FashionMNIST/raw", to: "idx", prefix: "fashion", into: &seeds)
    copy(
      repository.appendingPathComponent("Lessons/data/digits").path, to: "idx", prefix: "digits", into: &seeds
    )
    copy("cifar-py2/cifar-10-batches-py", to: "cifar", prefix: "py2", into: &seeds)
    copy("cifar-py3/cifar-10-batches-py", to: "cifar", prefix: "py3", into: &seeds)
    copy("cifar-bin/cifar-10-batches-bin", to: "cifar", prefix: "bin", into: &seeds)
    // The image folder fixture as one input: class, extension, name byte, then the content.
    let images = fixtures.appendingPathComponent("images")
    var folder: [UInt8] = []
    let entries: [(String, [UInt8])] = [
      ("cat/a.PNG", [0, 4, 0]), ("cat/b.png", [0, 0, 2]), ("cat/more/c.png", [0, 0, 5]),
      ("dog/x.jpg", [1, 1, 0]), ("dog/y.png", [1, 0, 2]), ("dog/notes.txt", [1, 3, 4]),
    ]
    for (k, (path, header)) in entries.enumerated() {
      guard let data = FileManager.default.contents(atPath: images.appendingPathComponent(path).path) else {
        continue
      }
      folder += (k == 0 ? [] : separator) + header + [UInt8](data)
      seeds["imagefolder/seed-\(k)"] = Data(folder)
    }
    for (name, data) in seeds {
      FileManager.default.createFile(atPath: out.appendingPathComponent(name).path, contents: data)
    }
  }
}
