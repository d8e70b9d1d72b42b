import ConvTourEngine
import Foundation
import Testing

@testable import ConvTourIO

/// The weights fixtures (Fixtures/Weights, made by make_weights_fixtures.py with PyTorch, which
/// checked each with torch.load): a shrunk VGG-16 in every format and element type `--weights`
/// reads, each loading to the same tensors as expected.safetensors.
enum WeightsFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/Weights").path

  static func path(_ name: String) -> String { directory + "/" + name }

  /// The shrunk network the fixtures hold.
  static let expected = try! VGG16Architecture(size: 32, widths: [3, 4, 4, 5, 6], hidden: 7, classes: 5)
    .parameterShapes

  static let reference = try! Safetensors.read(path: path("expected.safetensors"))

  /// The one-line message reading `name` fails with ("" when it reads).
  static func problem(_ name: String, expected: [(name: String, shape: [Int])]? = nil) -> String {
    do {
      _ = try WeightsReader.read(path: path(name), expected: expected)
      return ""
    } catch {
      return "\(error)"
    }
  }
}

@Suite("Weights files: safetensors and torch.save's zip and legacy layouts")
struct WeightsReaderTests {
  @Test(
    "every fixture loads to the expected tensors",
    arguments: [
      ("expected.safetensors", WeightsFormat.safetensors, ""),
      ("zip.pth", .torchZip, ""), ("legacy.pth", .torchLegacy, ""), ("py2.pth", .torchLegacy, ""),
      ("legacy-f16.pth", .torchLegacy, "float16"), ("zip-bf16.pth", .torchZip, "bfloat16"),
      ("zip-f64.pth", .torchZip, "float64"), ("f16.safetensors", .safetensors, "float16"),
      ("bf16.safetensors", .safetensors, "bfloat16"), ("f64.safetensors", .safetensors, "float64"),
    ])
  func loads(name: String, format: WeightsFormat, converted: String) throws {
    let path = WeightsFixtures.path(name)
    let weights = try WeightsReader.read(path: path, expected: WeightsFixtures.expected)
    #expect(weights.format == format)
    #expect(weights.tensors.count == WeightsFixtures.expected.count)
    for (key, tensor) in WeightsFixtures.reference {
      #expect(weights.tensors[key]?.shape == tensor.shape, "\(key)")
      #expect(weights.tensors[key]?.values == tensor.values, "\(key)")
    }
    #expect(weights.notes == (converted.isEmpty ? [] : ["\(path): converted \(converted) → float32"]))
    // Without expected names, every tensor under its own name (safetensors' are sorted).
    let names = try WeightsReader.describe(path: path).entries.map(\.name)
    let expectedNames = WeightsFixtures.expected.map(\.name)
    #expect(names == (format == .safetensors ? expectedNames.sorted() : expectedNames))
  }

  @Test("timm's names map to torchvision's; fc6 and fc7 lose their 1×1 (or 7×7) convolution shape")
  func timm() throws {
    let path = WeightsFixtures.path("timm.safetensors")
    let weights = try WeightsReader.read(path: path, expected: WeightsFixtures.expected)
    for (key, tensor) in WeightsFixtures.reference {
      #expect(weights.tensors[key]?.shape == tensor.shape, "\(key)")
      #expect(weights.tensors[key]?.values == tensor.values, "\(key)")
    }
    #expect(
      weights.notes == [
        "\(path): timm's VGG names mapped to torchvision's: pre_logits.fc1 → classifier.0, pre_logits.fc2 → classifier.3, head.fc → classifier.6"
      ])
    let names = try WeightsReader.describe(path: path).entries.map(\.name)
    #expect(names.contains("pre_logits.fc1.weight") && names.contains("head.fc.bias"))
  }

  @Test("a naming that is neither torchvision's nor timm's lists what was expected and what was found")
  func unknownNaming() throws {
    let renamed = WeightsFixtures.expected.map { (name: "model." + $0.name, shape: $0.shape) }
    let message = WeightsFixtures.problem("legacy.pth", expected: renamed)
    #expect(
      message == "\(WeightsFixtures.path("legacy.pth")): the tensors are named otherwise: expected "
        + "model.features.0.weight, model.features.0.bias, model.features.2.weight, model.features.2.bias, … (32 names); "
        + "found features.0.weight, features.0.bias, features.2.weight, features.2.bias, … (32 names) "
        + "(torchvision's and timm's VGG names are read)")
  }

  @Test("a missing tensor, an extra one and a wrong shape are named")
  func namesAndShapes() throws {
    let path = WeightsFixtures.path("zip.pth")
    var more = WeightsFixtures.expected
    more.append((name: "classifier.9.weight", shape: [2]))
    #expect(
      WeightsFixtures.problem("zip.pth", expected: more)
        == "\(path): tensor classifier.9.weight: missing (expected shape [2])")
    let fewer = Array(WeightsFixtures.expected.dropLast())
    #expect(
      WeightsFixtures.problem("zip.pth", expected: fewer)
        == "\(path): tensor classifier.6.bias: unexpected tensor (float32 of shape [5]): the network has no such parameter"
    )
    var other = WeightsFixtures.expected
    other[0].shape = [3, 3, 5, 5]
    #expect(
      WeightsFixtures.problem("zip.pth", expected: other)
        == "\(path): tensor features.0.weight: shape [3, 3, 3, 3], expected [3, 3, 5, 5]")
  }

  @Test("the format is told by the first bytes, whatever the file's name")
  func detection() throws {
    #expect(WeightsFormat(prefix: Array("PK\u{3}\u{4}rest".utf8)) == .torchZip)
    #expect(WeightsFormat(prefix: TorchLegacyFile.signature) == .torchLegacy)
    #expect(WeightsFormat(prefix: [8, 0, 0, 0, 0, 0, 0, 0, UInt8(ascii: "{")]) == .safetensors)
    #expect(WeightsFormat(prefix: [0x80, 0x02, 0x7D]) == nil)
    try TestFiles.withDirectory { directory in
      let path = try TestFiles.write(Array("hello, world".utf8), named: "w.pth", in: directory)
      #expect(
        TestFiles.errorText { _ = try WeightsReader.describe(path: path) }
          == "\(path): not a weights file: it starts 68 65 6c 6c 6f 2c 20 77; safetensors has \"{\" at byte 8, "
          + "torch.save's zip starts 50 4b 03 04, its legacy layout 80 02 8a 0a 6c fc 9c 46")
      let copy = try TestFiles.write(
        TestFiles.read(WeightsFixtures.path("py2.pth")), named: "weights.safetensors", in: directory)
      #expect(try WeightsReader.describe(path: copy).format == .torchLegacy)
    }
  }

  @Test("float16, bfloat16 and float64 convert as torch's .float() does")
  func conversions() throws {
    #expect(WeightsDType.half(0x3C00) == 1)
    #expect(WeightsDType.half(0xC000) == -2)
    #expect(WeightsDType.half(0x0001) == 0x1p-24)
    #expect(WeightsDType.half(0x7BFF) == 65504)
    #expect(WeightsDType.half(0x7C00) == .infinity)
    #expect(WeightsDType.half(0x7E00).isNaN)
    let bytes: [UInt8] = [0x80, 0x3F, 0x00, 0xC0]  // bfloat16 1, -2
    let floats = try WeightsDType.bfloat16.floats(count: 2) { buffer in
      bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
    }
    #expect(floats == [1, -2])
    let third = (1.0 / 3.0).bitPattern
    let double = (0..<8).map { UInt8(truncatingIfNeeded: third >> (8 * $0)) }
    let rounded = try WeightsDType.float64.floats(count: 1) { buffer in
      double.withUnsafeBytes { buffer.copyMemory(from: $0) }
    }
    #expect(rounded == [Float(1.0 / 3.0)])
  }
}
