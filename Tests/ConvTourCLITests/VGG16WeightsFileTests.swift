import ConvTourEngine
import ConvTourIO
import Foundation
import Testing

/// `--weights` with a torch.save .pth through the real binary: the same logits as the same
/// weights in safetensors, a note on the conversion, and a broken file as one line with exit 2.
@Suite("vgg16 run --weights: .pth files")
struct VGG16WeightsFileTests {
  func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("convtour-\(UUID().uuidString)-\(name)")
  }

  @Test("a legacy .pth of float16 runs as the same weights in safetensors do, and says it converted")
  func legacyHalf() throws {
    let architecture = try VGG16Architecture(size: 32)
    let parameters = VGG16Parameters.random(architecture, seed: 11)
    let tensors = try architecture.parameterShapes.map {
      (name: $0.name, tensor: try TorchLegacyWriter.rounded(parameters.tensors[$0.name]!))
    }
    let (pth, safetensors, truncated) = (temporary("w.pth"), temporary("w.safetensors"), temporary("cut.pth"))
    let (dumpPth, dumpSafetensors) = (temporary("a.safetensors"), temporary("b.safetensors"))
    defer {
      for file in [pth, safetensors, truncated, dumpPth, dumpSafetensors] {
        try? FileManager.default.removeItem(at: file)
      }
    }
    try TorchLegacyWriter.write(tensors, to: pth)
    try Safetensors.write(tensors, to: safetensors.path)
    let common = ["vgg16", "run", "--size", "32", "--seed", "3", "--algorithm", "direct"]
    let fromPth = try Binary.run(common + ["--weights", pth.path, "--dump", dumpPth.path])
    #expect(fromPth.status == 0, "\(fromPth.stderr)")
    #expect(
      fromPth.stderr.contains("convtour: \(pth.path): converted float16 → float32\n"), "\(fromPth.stderr)")
    let fromSafetensors = try Binary.run(
      common + ["--weights", safetensors.path, "--dump", dumpSafetensors.path])
    #expect(fromSafetensors.status == 0, "\(fromSafetensors.stderr)")
    #expect(!fromSafetensors.stderr.contains("converted"))
    let (a, b) = try (Safetensors.read(path: dumpPth.path), Safetensors.read(path: dumpSafetensors.path))
    #expect(a["logits"] != nil && a["logits"]?.values == b["logits"]?.values)

    // The same file cut short: one line naming the file, exit 2, no run.
    let bytes = try Data(contentsOf: pth)
    try bytes.prefix(bytes.count - 1000).write(to: truncated)
    let cut = try Binary.run(common + ["--weights", truncated.path])
    #expect(cut.status == 2)
    #expect(cut.stderr.split(separator: "\n").count == 1, "\(cut.stderr)")
    #expect(cut.stderr.hasPrefix("convtour: \(truncated.path): storage 31's "), "\(cut.stderr)")
    #expect(
      cut.stderr.hasSuffix("run past the end of the file (\(bytes.count - 1000) bytes): truncated\n"),
      "\(cut.stderr)")
    #expect(cut.stdout.isEmpty)
  }
}
