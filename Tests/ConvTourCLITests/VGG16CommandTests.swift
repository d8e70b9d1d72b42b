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

  @Test("--algorithm with an unknown name and --dump-activations without --dump: one line, exit 2")
  func badAlgorithmAndDumpOptions() throws {
    for arguments in [["vgg16", "run", "--algorithm", "fft"], ["bench", "vgg16", "--algorithm", "fft"]] {
      let result = try Binary.run(arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr == "convtour: --algorithm fft: expected direct or winograd\n", "\(result.stderr)")
    }
    let result = try Binary.run(["vgg16", "run", "--dump-activations"])
    #expect(result.status == 2)
    #expect(result.stderr == "convtour: --dump-activations needs --dump FILE\n", "\(result.stderr)")
  }

  @Test("--dump-activations: every layer's output as act.MODULE in torchvision's module names")
  func dumpActivations() throws {
    let dump = temporary("activations.safetensors")
    defer { try? FileManager.default.removeItem(at: dump) }
    let result = try Binary.run([
      "vgg16", "run", "--size", "32", "--algorithm", "direct", "--dump", dump.path, "--dump-activations",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let tensors = try Safetensors.read(path: dump.path)
    let expected: [(String, [Int])] = [
      ("features.1", [1, 64, 32, 32]), ("features.3", [1, 64, 32, 32]), ("features.4", [1, 64, 16, 16]),
      ("features.6", [1, 128, 16, 16]), ("features.8", [1, 128, 16, 16]), ("features.9", [1, 128, 8, 8]),
      ("features.11", [1, 256, 8, 8]), ("features.13", [1, 256, 8, 8]), ("features.15", [1, 256, 8, 8]),
      ("features.16", [1, 256, 4, 4]), ("features.18", [1, 512, 4, 4]), ("features.20", [1, 512, 4, 4]),
      ("features.22", [1, 512, 4, 4]), ("features.23", [1, 512, 2, 2]), ("features.25", [1, 512, 2, 2]),
      ("features.27", [1, 512, 2, 2]), ("features.29", [1, 512, 2, 2]), ("features.30", [1, 512, 1, 1]),
      ("classifier.1", [1, 4096]), ("classifier.4", [1, 4096]), ("classifier.6", [1, 1000]),
    ]
    #expect(tensors.keys.filter { $0.hasPrefix("act.") }.count == expected.count)
    for (module, shape) in expected {
      #expect(tensors["act.\(module)"]?.shape == shape, "act.\(module)")
    }
    // The last activation is the logits; the ReLUs' outputs are never negative.
    #expect(tensors["act.classifier.6"]?.values == tensors["logits"]?.values)
    #expect(tensors["act.features.1"]!.values.allSatisfy { $0 >= 0 })
  }

  @Test("vgg16 compare: a row per layer, the input gradient, and one line on why they differ")
  func compare() throws {
    let result = try Binary.run(["vgg16", "compare", "--size", "32"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    for layer in ["conv1_1", "pool1", "conv5_3", "pool5", "fc6", "fc8"] {
      #expect(lines.contains { $0.hasPrefix(layer + " ") }, "\(layer)")
    }
    #expect(lines.contains { $0.hasPrefix("input     ∂J/∂x ") })
    #expect(lines.last?.hasPrefix("Why: ") == true || lines.last?.hasPrefix("No ReLU or max-pool") == true)
    let bad = try Binary.run(["vgg16", "compare", "--size", "33"])
    #expect(bad.status == 2)
  }
}
