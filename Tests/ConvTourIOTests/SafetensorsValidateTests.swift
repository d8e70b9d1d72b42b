import ConvTourEngine
import Testing

@testable import ConvTourIO

@Suite("safetensors: comparing a file's tensors with a network's")
struct SafetensorsValidateTests {
  static let expected: [(name: String, shape: [Int])] = [
    ("conv.weight", [4, 3, 3, 3]), ("conv.bias", [4]), ("fc.weight", [10, 36]), ("fc.bias", [10]),
  ]

  static func header() -> [String: (dtype: String, shape: [Int])] {
    var header: [String: (dtype: String, shape: [Int])] = [:]
    for (name, shape) in expected {
      header[name] = ("F32", shape)
    }
    return header
  }

  func problem(_ header: [String: (dtype: String, shape: [Int])]) -> String? {
    TestFiles.errorText { try Safetensors.validate(header, expected: Self.expected, file: "vgg.safetensors") }
  }

  @Test func matchingFilePasses() {
    #expect(problem(Self.header()) == nil)
  }

  @Test func missingTensor() {
    var header = Self.header()
    header["fc.weight"] = nil
    #expect(problem(header) == "vgg.safetensors: tensor fc.weight: missing (expected F32 of shape [10, 36])")
  }

  @Test func unexpectedTensor() {
    var header = Self.header()
    header["fc.running_mean"] = ("F32", [10])
    header["extra"] = ("BF16", [])
    #expect(
      problem(header)
        == "vgg.safetensors: tensor extra: unexpected tensor (BF16 of shape []): the network has no such parameter"
    )
  }

  @Test func wrongShape() {
    var header = Self.header()
    header["conv.weight"] = ("F32", [4, 3, 5, 5])
    #expect(
      problem(header) == "vgg.safetensors: tensor conv.weight: shape [4, 3, 5, 5], expected [4, 3, 3, 3]")
  }

  @Test func wrongDtype() {
    var header = Self.header()
    header["conv.bias"] = ("F16", [4])
    #expect(problem(header) == "vgg.safetensors: tensor conv.bias: dtype F16, expected F32")
  }

  @Test func firstProblemInTheExpectedOrderWins() {
    var header = Self.header()
    header["fc.bias"] = nil
    header["conv.bias"] = ("F32", [5])
    header["zzz"] = ("F32", [1])
    #expect(problem(header)?.hasPrefix("vgg.safetensors: tensor conv.bias: shape [5]") == true)
  }

  @Test func readHeaderFeedsValidate() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/small.safetensors"
      try Safetensors.write(
        Self.expected.map { ($0.name, Tensor32(zeros: $0.shape)) }, to: path)
      try Safetensors.validate(try Safetensors.header(path: path), expected: Self.expected, file: path)
      let fewer = Array(Self.expected.dropLast())
      let text = TestFiles.errorText {
        try Safetensors.validate(try Safetensors.header(path: path), expected: fewer, file: path)
      }
      #expect(text?.hasPrefix("\(path): tensor fc.bias: unexpected tensor") == true)
    }
  }
}
