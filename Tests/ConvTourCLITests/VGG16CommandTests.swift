import ConvTourEngine
import ConvTourIO
import Foundation
import Testing

/// `convtour vgg16`: the table, and bad input files as one-line errors with exit status 2.
/// (A full-size run is in `make test`'s release check, .ci/vgg16-release-check: a debug build is too slow.)
@Suite("VGG-16 commands")
struct VGG16CommandTests {
  func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("convtour-\(UUID().uuidString)-\(name)")
  }

  @Test("the table lists every layer and the totals")
  func table() throws {
    let result = try Binary.run(["vgg16", "table"])
    #expect(result.status == 0)
    for name in ["conv1_1", "conv5_3", "pool5", "flatten", "fc6", "fc8", "softmax"] {
      #expect(result.stdout.contains("\n\(name) "), "\(name) missing")
    }
    #expect(result.stdout.contains("Parameters: 138,357,544"))
    #expect(result.stdout.contains("15,470,264,320"))
    // By default the table fits 100 columns; --wide adds the Jacobian and the rest.
    #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
    let wide = try Binary.run(["vgg16", "table", "--wide"])
    #expect(wide.stdout.contains("25,088 × 100,352 = 2,517,630,976"))
    let bad = try Binary.run(["vgg16", "table", "--size", "100"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("multiple of 32"))
  }

  @Test("broken weights files: one line naming the file and the tensor, exit 2")
  func brokenWeights() throws {
    let good = temporary("small.safetensors")
    defer { try? FileManager.default.removeItem(at: good) }
    try Safetensors.write(
      [(name: "features.0.weight", tensor: Tensor32(zeros: [64, 3, 3, 3]))], to: good.path)
    let truncated = temporary("truncated.safetensors")
    let bytes = try Data(contentsOf: good)
    try bytes.prefix(bytes.count - 100).write(to: truncated)
    let garbage = temporary("garbage.safetensors")
    try Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B]).write(to: garbage)
    defer { for f in [truncated, garbage] { try? FileManager.default.removeItem(at: f) } }
    for (file, fragment) in [
      (good, "features.0.bias"), (truncated, "features.0.weight"), (garbage, garbage.lastPathComponent),
      (URL(fileURLWithPath: "/no/such/file.safetensors"), "/no/such/file.safetensors"),
    ] {
      let result = try Binary.run(["vgg16", "run", "--weights", file.path])
      #expect(result.status == 2, "\(file.lastPathComponent): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
      #expect(result.stderr.contains(fragment), "\(result.stderr)")
    }
  }

  @Test("a .npy of the wrong shape and an unreadable image are clear errors, exit 2")
  func badInputs() throws {
    let npy = temporary("wrong.npy")
    try Numpy.writeFloat32(Tensor32(zeros: [1, 3, 32, 32]), to: npy.path)
    let image = temporary("not-an-image.png")
    try Data("hello".utf8).write(to: image)
    defer { for f in [npy, image] { try? FileManager.default.removeItem(at: f) } }
    let wrongShape = try Binary.run(["vgg16", "run", "--input", npy.path])
    #expect(wrongShape.status == 2)
    #expect(
      wrongShape.stderr.contains(npy.path) && wrongShape.stderr.contains("[M, 3, 224, 224]"),
      "\(wrongShape.stderr)")
    let unreadable = try Binary.run(["vgg16", "run", "--image", image.path])
    #expect(unreadable.status == 2)
    #expect(unreadable.stderr.contains(image.path), "\(unreadable.stderr)")
    let labels = try Binary.run(["vgg16", "run", "--labels", "1000"])
    #expect(labels.status == 2)
    #expect(labels.stderr.contains("label 1000"), "\(labels.stderr)")
  }
}
