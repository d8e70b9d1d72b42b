import ConvTourEngine
import ConvTourIO
import Foundation

/// The fuzz corpora: regression inputs replayed by `make test`, and seeds made from real files.
enum FuzzCorpus {
  /// The repository this was built from (this file is Sources/convtour-fuzz/FuzzCorpus.swift).
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// Replays FOLDER/TARGET/regressions/* through each target; 0 when every input returns.
  static func replayAll(_ folder: String) -> Int32 {
    var total = 0
    for name in FuzzTargets.names {
      let regressions = URL(fileURLWithPath: folder).appendingPathComponent("\(name)/regressions")
      let files = (try? FileManager.default.contentsOfDirectory(atPath: regressions.path)) ?? []
      for file in files.sorted() {
        guard let data = FileManager.default.contents(atPath: regressions.appendingPathComponent(file).path)
        else { continue }
        _ = FuzzTargets.run(name, Array(data))
        total += 1
      }
    }
    print("\(total) regression inputs replayed: no crash")
    return 0
  }

  /// Writes FOLDER/TARGET/* seeds: the lessons, the image and weights fixtures, and .npy and safetensors
  /// files made by the project's own writers.
  static func writeSeeds(_ folder: String) -> Int32 {
    let out = URL(fileURLWithPath: folder)
    func copy(_ source: URL, extensions: [String], to target: String) {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? []
      for name in names where extensions.contains(where: { name.hasSuffix($0) }) {
        let destination = out.appendingPathComponent("\(target)/\(name)")
        try? FileManager.default.removeItem(at: destination)
        try? FileManager.default.copyItem(at: source.appendingPathComponent(name), to: destination)
      }
    }
    for name in FuzzTargets.names {
      try? FileManager.default.createDirectory(
        at: out.appendingPathComponent(name), withIntermediateDirectories: true)
    }
    copy(repository.appendingPathComponent("Lessons"), extensions: [".lesson"], to: "lesson")
    copy(repository.appendingPathComponent("Lessons/networks"), extensions: [".net"], to: "network")
    let images = repository.appendingPathComponent("Tests/ConvTourIOTests/Fixtures/Images")
    copy(images, extensions: [".png"], to: "png")
    copy(images, extensions: [".jpg"], to: "jpeg")
    copy(images, extensions: [".ppm"], to: "ppm")
    let weights = repository.appendingPathComponent("Tests/ConvTourIOTests/Fixtures/Weights")
    copy(weights, extensions: [".pth", ".safetensors"], to: "pth")
    let shapes: [[Int]] = [[], [3], [2, 3], [1, 3, 4, 4], [2, 1, 2, 2, 1]]
    for (k, shape) in shapes.enumerated() {
      let count = Shape.count(shape)
      let values = (0..<count).map { Float($0) - 1.5 }
      let tensor = (try? Tensor32(shape: shape, values: values)) ?? Tensor32(zeros: [])
      try? Numpy.writeFloat32(tensor, to: out.appendingPathComponent("npy/seed-\(k).npy").path)
      let tensors = [("a", tensor), ("features.0.weight", Tensor32(zeros: [2, 1, 1, 1]))]
      try? Safetensors.write(
        tensors.map { (name: $0.0, tensor: $0.1) },
        to: out.appendingPathComponent("safetensors/seed-\(k).safetensors").path,
        metadata: k % 2 == 0 ? ["format": "pt"] : [:])
    }
    FuzzDatasets.writeSeeds(out, repository: repository)
    print("seeds written to \(folder)")
    return 0
  }
}
