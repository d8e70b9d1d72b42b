import ConvTourEngine
import ConvTourIO
import Foundation
import Testing

/// The documents' programs, run by ConvTour and by PyTorch: 001 §12.4's ConvNet program (lesson
/// textbook-convnet-program) and 001 §11.5's listing (lesson jacobians). PyTorch's numbers are in
/// Golden/programs/, made by its make_programs_fixtures.py (by hand, with PyTorch).
@Suite("The documents' programs against PyTorch")
struct ProgramsTests {
  static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden/programs")

  /// Every tensor a lesson's JSON trace writes, by name (the last value written).
  static func trace(_ id: String, environment: [String: String] = [:], directory: URL? = nil) throws
    -> [String: (shape: [Int], values: [Double])]
  {
    let result = try Binary.run(
      ["trace", id, "--format", "json"], environment: environment, directory: directory)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    var tensors: [String: (shape: [Int], values: [Double])] = [:]
    for step in json?["steps"] as? [[String: Any]] ?? [] {
      for t in step["writes"] as? [[String: Any]] ?? [] {
        guard let name = t["name"] as? String, let shape = t["shape"] as? [Int] else { continue }
        tensors[name] = (shape, (t["values"] as? [NSNumber] ?? []).map(\.doubleValue))
      }
    }
    return tensors
  }

  /// The `__metadata__` of a safetensors file.
  static func metadata(_ path: String) throws -> [String: String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any]
    return header?["__metadata__"] as? [String: String] ?? [:]
  }

  /// A folder with no `data/` in it, and no $CONVTOUR_CIFAR10: the lesson takes the shipped digit.
  static func withoutCIFAR<T>(_ body: (URL) throws -> T) throws -> T {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-cifar-\(UUID())")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    return try body(empty)
  }

  @Test("§12.4: output, loss, every gradient and every updated weight are PyTorch's, to float32's own error")
  func convnetStep() throws {
    let path = Self.golden.appendingPathComponent("textbook-convnet-step.safetensors").path
    let torch = try Safetensors.read(path: path)
    let meta = try Self.metadata(path)
    let ours = try Self.withoutCIFAR { folder in
      try Self.trace("textbook-convnet-program", environment: ["CONVTOUR_CIFAR10": ""], directory: folder)
    }
    let parameters = ["conv1", "conv2", "fc1", "fc2"].flatMap { ["\($0).weight", "\($0).bias"] }
    // PyTorch's name → the lesson's.
    var names = ["x": "x", "output": "output", "loss": "loss"]
    for p in parameters {
      let lesson = p.replacingOccurrences(of: ".", with: "_")
      names["grad." + p] = "g_" + lesson
      names["new." + p] = lesson + "_new"
    }
    #expect(torch.count == names.count)
    for (torchName, lessonName) in names.sorted(by: { $0.key < $1.key }) {
      let theirs = try #require(torch[torchName], "\(torchName) missing from the fixture")
      let mine = try #require(ours[lessonName], "\(lessonName) missing from the trace")
      #expect(mine.values.count == theirs.values.count, "\(lessonName)")
      guard mine.values.count == theirs.values.count else { continue }
      // float32's own error: PyTorch's float32 run against its float64 run of the same program.
      // ConvTour computes in Double, so it must be as close to PyTorch's float32 as that is
      // (twice, and at least a few float32 roundings of the largest value).
      let error = Double(meta["error." + torchName] ?? "") ?? .nan
      let scale = Double(meta["scale." + torchName] ?? "") ?? .nan
      let tolerance = max(2 * error, 4 * scale * 0x1p-24)
      let worst = zip(mine.values, theirs.values).map { abs($0 - Double($1)) }.max() ?? 0
      #expect(worst <= tolerance, "\(lessonName): |ConvTour − PyTorch| = \(worst) > \(tolerance)")
    }
  }

  @Test("§12.4: without CIFAR-10 the image is the shipped digit, and the note says so")
  func convnetImageNote() throws {
    let result = try Self.withoutCIFAR { folder in
      try Binary.run(
        ["trace", "textbook-convnet-program"], environment: ["CONVTOUR_CIFAR10": ""], directory: folder)
    }
    #expect(result.status == 0)
    #expect(result.stdout.contains("digits train image 1 (no CIFAR-10 in data: the shipped digits)"))
    #expect(result.stdout.contains("Pillow's bilinear resize to 32×32, grey copied to R, G and B"))
  }

  @Test("$CONVTOUR_CIFAR10 set to what is not CIFAR-10: one line on stderr says so and what the lesson takes")
  func brokenCIFARVariable() throws {
    try Self.withoutCIFAR { folder in
      for (path, why) in [
        (folder.path + "/missing", "no such file or folder"), (folder.path, "not CIFAR-10 (expected"),
      ] {
        let result = try Binary.run(
          ["trace", "textbook-convnet-program"], environment: ["CONVTOUR_CIFAR10": path], directory: folder)
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("convtour: $CONVTOUR_CIFAR10: \(path): \(why)"), "\(result.stderr)")
        #expect(result.stderr.contains("— lesson textbook-convnet-program takes the shipped digits instead"))
        // The image's note says why too.
        #expect(result.stdout.contains("digits train image 1 ($CONVTOUR_CIFAR10: \(path): \(why)"))
        // A lesson that reads no CIFAR-10 says nothing.
        let other = try Binary.run(
          ["trace", "neuron"], environment: ["CONVTOUR_CIFAR10": path], directory: folder)
        #expect(other.status == 0 && other.stderr.isEmpty, "\(other.stderr)")
      }
    }
  }

  @Test("§11.5: the listing's y_pred, loss and hidden1.weight.grad are what PyTorch prints")
  func ffnnListing() throws {
    let data = try Data(contentsOf: Self.golden.appendingPathComponent("ffnn-listing.json"))
    let torch = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let ours = try Self.trace("jacobians")
    // The forward pass is exact in float32: small whole numbers.
    #expect(ours["y_pred"]?.values == (torch["y_pred"] as? [Double]))
    // The loss and the gradient go through softmax's 1 − 1.1e−7, which float32 rounds to a
    // multiple of 2⁻²⁴: ConvTour's Double values differ from PyTorch's by less than that rounding
    // (times |x| ≤ 3 for the gradient).
    let loss = try #require(torch["loss"] as? Double)
    #expect(abs((ours["loss"]?.values.first ?? .nan) - loss) < 0x1p-23)
    let grad = try #require(torch["hidden1.weight.grad"] as? [Double])
    let mine = try #require(ours["g_W_hidden1"]?.values)
    #expect(mine[0] == 0 && mine[1] == 0 && grad[0] == 0 && grad[1] == 0)
    for k in 2..<4 { #expect(abs(mine[k] - grad[k]) < 3 * 0x1p-23) }
    // What the lesson's prose says PyTorch prints is what it prints.
    let printed = (torch["printed"] as? [String] ?? []).joined(separator: "\n")
    let lesson = try String(
      contentsOf: Self.golden.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Lessons/05-jacobians.lesson"), encoding: .utf8)
    for number in ["1.1921e-07", "-7.3528e-07", "-2.4509e-07"] {
      #expect(printed.contains(number), "PyTorch printed \(printed)")
      #expect(lesson.contains(number.replacingOccurrences(of: "-", with: "−")) || lesson.contains(number))
    }
  }

  @Test(
    "§12.4: with CIFAR-10 ($CONVTOUR_CIFAR10) the image is its first training image, and the note says so")
  func convnetCIFAR() throws {
    let cifar = Self.golden.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("ConvTourIOTests/Fixtures/Datasets/cifar-py3").path
    let ours = try Self.withoutCIFAR { folder in
      try Self.trace("textbook-convnet-program", environment: ["CONVTOUR_CIFAR10": cifar], directory: folder)
    }
    let data = try DatasetSource.open(cifar)
    let first = try data.prepared(data.train, for: [3, 32, 32], normalisation: .unit)
    // The trace prints Doubles to 17 digits: read back as float32 they are the image's values.
    let image = ours["image_raw"]?.values.map(Float.init) ?? []
    #expect(image.count == 3 * 32 * 32 && image == Array(first.values.prefix(3 * 32 * 32)))
    let text = try Self.withoutCIFAR { folder in
      try Binary.run(
        ["trace", "textbook-convnet-program"], environment: ["CONVTOUR_CIFAR10": cifar], directory: folder)
    }
    #expect(text.stdout.contains("CIFAR-10 train image 1, ToTensor() only, for textbook-convnet"))
  }

  @Test(
    "a CNN learns digits: test accuracy under 20 % before training, at least 90 % after two seeded epochs")
  func cnnLearnsDigits() throws {
    let ours = try Self.trace("cnn-learns-digits")
    let before = try #require(ours["accuracy_before"]?.values.first)
    let after = try #require(ours["accuracy_after"]?.values.first)
    #expect(before < 0.2, "before: \(before)")
    #expect(after >= 0.9, "after: \(after)")
    #expect(ours["W1_trained"]?.shape == [8, 1, 3, 3])
    #expect(ours["maps_after"]?.shape == [1, 8, 8, 8])
  }

  @Test("a bad dataset, network or parameter in a lesson is a load error at its line, exit 2")
  func badRequests() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let cases: [(String, String)] = [
      (
        "tensor x [1] = labels(data: \"mnist\", split: train)", "data: \"mnist\": expected digits or cifar-10"
      ),
      ("tensor x [3] = init(network: \"nothing\", parameter: \"w\")", "no network \"nothing\""),
      ("tensor x [3] = init(network: \"lenet5\", parameter: \"w\")", "lenet5 has no parameter w"),
      ("tensor x [3] = image(data: \"digits\", network: \"lenet5\")", "needs index:"),
      (
        "tensor x [3] = init(network: \"lenet5\", parameter: \"conv1.bias\", colour: 1)",
        "no parameter \"colour\""
      ),
    ]
    for (k, (line, message)) in cases.enumerated() {
      let text = "id: bad\(k)\ntitle: Bad\nsource: 001_fccaba08b6e11e45.txt, 12.4\n\(line)\n"
      try text.write(to: folder.appendingPathComponent("bad\(k).lesson"), atomically: true, encoding: .utf8)
    }
    let result = try Binary.run(["check", "--lessons", folder.path])
    #expect(result.status == 2)
    for (k, (_, message)) in cases.enumerated() {
      #expect(result.stderr.contains("bad\(k).lesson:4:8: "), "\(result.stderr)")
      #expect(result.stderr.contains(message), "\(message) in \(result.stderr)")
    }
  }
}
