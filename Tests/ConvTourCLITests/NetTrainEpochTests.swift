import ConvTourIO
import Foundation
import Testing

/// `net train --data`: epochs over a dataset, as a student runs them.
@Suite("net train on a dataset")
struct NetTrainEpochTests {
  static let digitsNet = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Lessons/networks/digits-cnn.net").path

  @Test("a seeded run on the shipped digits learns: ≥ 90 % test accuracy after 3 epochs, weights saved")
  func learnsDigits() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try Binary.run([
      "net", "train", "--network", Self.digitsNet, "--data", "digits", "--epochs", "3", "--lr", "0.05",
      "--momentum", "0.9", "--seed", "1", "--save-weights", out.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("    3  ") }
    let accuracy = try #require(
      rows.first?.split(separator: "%")[1].split(separator: " ").first.flatMap { Double($0) })
    #expect(accuracy >= 90, "\(result.stdout)")
    #expect(result.stdout.contains("1437 training and 360 test images"))
    #expect(result.stdout.contains("confusion matrix"))
    #expect(try Safetensors.read(path: out.path)["conv1.weight"]?.shape == [8, 1, 3, 3])
  }

  @Test("--format json writes one object per epoch")
  func json() throws {
    let result = try Binary.run([
      "net", "train", "--network", Self.digitsNet, "--data", "digits", "--epochs", "2", "--lr", "0.05",
      "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    for (k, line) in lines.enumerated() {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(object["epoch"] as? Int == k + 1)
      #expect((object["testAccuracy"] as? Double).map { (0...1).contains($0) } == true)
    }
  }

  @Test("a dataset that is not there, a network that does not fit it, mixed options: one line, exit 2")
  func badInput() throws {
    let missing = try Binary.run([
      "net", "train", "--network", "lenet5", "--data", "/nonexistent", "--lr", "0.1",
    ])
    #expect(missing.status == 2)
    #expect(missing.stderr.hasPrefix("convtour: /nonexistent"), "\(missing.stderr)")
    #expect(missing.stderr.split(separator: "\n").count == 1)
    let mixed = try Binary.run([
      "net", "train", "--network", "lenet5", "--data", "digits", "--steps", "3", "--lr", "0.1",
    ])
    #expect(mixed.status == 2)
    #expect(mixed.stderr.contains("takes no --steps"))
    let none = try Binary.run(["net", "train", "--network", "lenet5", "--lr", "0.1"])
    #expect(none.status == 2)
    #expect(none.stderr.contains("--steps"))
  }

  @Test("Ctrl-C stops after the batch under way, and the weights learned so far are saved (exit 130)")
  func interrupt() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("stopped-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: out) }
    let process = Process()
    process.executableURL = Binary.url
    process.arguments = [
      "net", "train", "--network", Self.digitsNet, "--data", "digits", "--epochs", "1000", "--lr", "0.01",
      "--save-weights", out.path,
    ]
    let (output, err) = (Pipe(), Pipe())
    (process.standardOutput, process.standardError) = (output, err)
    try process.run()
    // Interrupt once the first epoch has ended.
    var text = ""
    while !text.contains("\n    1  ") {
      let data = output.fileHandleForReading.availableData
      if data.isEmpty { break }
      text += String(decoding: data, as: UTF8.self)
    }
    process.interrupt()
    _ = output.fileHandleForReading.readDataToEndOfFile()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130, "\(message)")
    #expect(message.contains("stopped after"), "\(message)")  // a batch or a whole epoch
    #expect(try Safetensors.read(path: out.path).count == 6)  // digits-cnn: 3 layers with weights
  }

  @Test("a dataset too large at the network's input is refused from its count, before any image is made")
  func tooLarge() throws {
    // 1,797 digits at 3×2048×2048 would take about 90 GB.
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID()).net")
    try """
    network huge
    input 3x2048x2048
    loss cross-entropy
    conv1: conv 3 -> 1, 3x3
    pool1: maxpool 4
    flatten
    fc1: fc 261121 -> 10
    """.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try Binary.run(["net", "train", "--network", file.path, "--data", "digits", "--lr", "0.01"])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("its 1797 images at huge's input (3×2048×2048) need about 90.4 GB"),
      "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }
}
