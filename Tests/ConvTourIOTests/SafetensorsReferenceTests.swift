import ConvTourEngine
import Foundation
import Testing

@testable import ConvTourIO

/// Files written once by the reference implementation (Python `safetensors` 0.8.0 with NumPy
/// 2.4.6) and embedded here: reading them, and writing the same tensors in the same order
/// reproduces them byte for byte.
@Suite("safetensors: files from the reference implementation")
struct SafetensorsReferenceTests {
  /// save({"weight": arange(6).reshape(2, 3) * 0.5 - 1, "bias": [1.5, -2, 3.25], "scale": 7.0},
  ///      metadata={"format": "pt"})  — float32; the reference sorts the tensors by name.
  static let model =
    "2AAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJwdCJ9LCJiaWFzIjp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsz"
    + "XSwiZGF0YV9vZmZzZXRzIjpbMCwxMl19LCJzY2FsZSI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbXSwiZGF0YV9vZmZzZXRz"
    + "IjpbMTIsMTZdfSwid2VpZ2h0Ijp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyLDNdLCJkYXRhX29mZnNldHMiOlsxNiw0MF19"
    + "fSAgICAgICAAAMA/AAAAwAAAUEAAAOBAAACAvwAAAL8AAAAAAAAAPwAAgD8AAMA/"

  /// save({"é\"\\\n\x01": [1.0]}, metadata={"k\t": "v\x7f€"}) — escapes and non-ASCII text.
  static let escapes =
    "aAAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJrXHQiOiJ2f+KCrCJ9LCLDqVwiXFxcblx1MDAwMSI6eyJkdHlwZSI6IkYzMiIs"
    + "InNoYXBlIjpbMV0sImRhdGFfb2Zmc2V0cyI6WzAsNF19fSAgICAgIAAAgD8="

  /// save({"x": [1.0]}) — no metadata.
  static let plain =
    "OAAAAAAAAAB7IngiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzFdLCJkYXRhX29mZnNldHMiOlswLDRdfX0gIAAAgD8="

  /// save({"b": zeros(0), "a": [1.0]}, metadata={}) — an empty __metadata__ object, and an empty
  /// tensor at the end of the buffer ([4, 4]).
  static let emptyMetadata =
    "gAAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6e30sImEiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzFdLCJkYXRhX29mZnNldHMi"
    + "OlswLDRdfSwiYiI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbMF0sImRhdGFfb2Zmc2V0cyI6WzQsNF19fSAgIAAAgD8="

  @Test func readsTheReferenceModel() throws {
    try TestFiles.withDirectory { directory in
      let path = try TestFiles.write(TestFiles.base64(Self.model), named: "model.safetensors", in: directory)
      let tensors = try Safetensors.read(path: path)
      #expect(tensors.count == 3)
      #expect(tensors["weight"] == (try Tensor32(shape: [2, 3], values: [-1, -0.5, 0, 0.5, 1, 1.5])))
      #expect(tensors["bias"] == (try Tensor32(shape: [3], values: [1.5, -2, 3.25])))
      #expect(tensors["scale"] == (try Tensor32(shape: [], values: [7])))
      #expect(try Safetensors.metadata(path: path) == ["format": "pt"])
    }
  }

  @Test func writesTheReferenceModelByteForByte() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/ours.safetensors"
      try Safetensors.write(
        [
          ("bias", try Tensor32(shape: [3], values: [1.5, -2, 3.25])),
          ("scale", try Tensor32(shape: [], values: [7])),
          ("weight", try Tensor32(shape: [2, 3], values: [-1, -0.5, 0, 0.5, 1, 1.5])),
        ], to: path, metadata: ["format": "pt"])
      #expect(try TestFiles.read(path) == TestFiles.base64(Self.model))
    }
  }

  @Test func escapesTextAsTheReferenceDoes() throws {
    try TestFiles.withDirectory { directory in
      let name = "é\"\\\n\u{01}"
      let reference = try TestFiles.write(
        TestFiles.base64(Self.escapes), named: "ref.safetensors", in: directory)
      #expect(try Safetensors.read(path: reference)[name] == (try Tensor32(shape: [1], values: [1])))
      #expect(try Safetensors.metadata(path: reference) == ["k\t": "v\u{7F}€"])
      let path = directory + "/ours.safetensors"
      try Safetensors.write(
        [(name, try Tensor32(shape: [1], values: [1]))], to: path, metadata: ["k\t": "v\u{7F}€"])
      #expect(try TestFiles.read(path) == TestFiles.base64(Self.escapes))
    }
  }

  @Test func withoutMetadata() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/ours.safetensors"
      try Safetensors.write([("x", try Tensor32(shape: [1], values: [1]))], to: path)
      #expect(try TestFiles.read(path) == TestFiles.base64(Self.plain))
    }
  }

  @Test func readsAnEmptyMetadataObjectAndAnEmptyTensor() throws {
    try TestFiles.withDirectory { directory in
      let path = try TestFiles.write(
        TestFiles.base64(Self.emptyMetadata), named: "e.safetensors", in: directory)
      let tensors = try Safetensors.read(path: path)
      #expect(tensors["a"] == (try Tensor32(shape: [1], values: [1])))
      #expect(tensors["b"] == Tensor32(zeros: [0]))
      #expect(try Safetensors.metadata(path: path) == [:])
    }
  }
}
