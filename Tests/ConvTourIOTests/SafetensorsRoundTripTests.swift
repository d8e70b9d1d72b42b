import ConvTourEngine
import Foundation
import Testing

@testable import ConvTourIO

@Suite("safetensors: writing and reading back")
struct SafetensorsRoundTripTests {
  /// A scalar, an empty tensor, infinities, a negative zero and extremes among them.
  static func tensors() throws -> [(name: String, tensor: Tensor32)] {
    [
      ("conv1.weight", try Tensor32(shape: [2, 1, 2, 2], values: (0..<8).map { Float($0) * 0.25 - 1 })),
      ("conv1.bias", try Tensor32(shape: [2], values: [0.5, -Float.infinity])),
      ("temperature", try Tensor32(shape: [], values: [3.5])),
      ("unused", Tensor32(zeros: [0, 3])),
      (
        "fc.weight",
        try Tensor32(shape: [3, 2], values: [1, -2, 3e-30, 4e30, -0.0, .greatestFiniteMagnitude])
      ),
    ]
  }

  @Test func severalTensorsWithMetadata() throws {
    let tensors = try Self.tensors()
    try TestFiles.withDirectory { directory in
      let path = directory + "/model.safetensors"
      try Safetensors.write(tensors, to: path, metadata: ["format": "pt", "note": "a \"quoted\"\nline"])
      let read = try Safetensors.read(path: path)
      #expect(read.count == tensors.count)
      for (name, tensor) in tensors {
        #expect(read[name] == tensor, "\(name)")
      }
      #expect(read["fc.weight"]?.values[4].sign == .minus)
      #expect(try Safetensors.metadata(path: path) == ["format": "pt", "note": "a \"quoted\"\nline"])
      let header = try Safetensors.header(path: path)
      #expect(header.count == tensors.count)
      #expect(header["temperature"]?.dtype == "F32")
      #expect(header["temperature"]?.shape == [])
      #expect(header["conv1.weight"]?.shape == [2, 1, 2, 2])
    }
  }

  @Test func emptyMetadataWritesNoMetadataEntry() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/plain.safetensors"
      try Safetensors.write([("x", try Tensor32(shape: [], values: [2]))], to: path)
      let text = String(decoding: try TestFiles.read(path), as: UTF8.self)
      #expect(!text.contains("__metadata__"))
      #expect(try Safetensors.metadata(path: path) == [:])
      #expect(try Safetensors.read(path: path)["x"] == (try Tensor32(shape: [], values: [2])))
    }
  }

  @Test func noTensorsAtAll() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/empty.safetensors"
      try Safetensors.write([], to: path)
      #expect(try TestFiles.read(path) == TestFiles.safetensors(header: "{}      "))
      #expect(try Safetensors.read(path: path).isEmpty)
    }
  }

  /// The layout of the format, built by hand: length, JSON padded with spaces to a multiple of 8,
  /// then the tensors' little-endian floats one after another in the order given.
  @Test func bytesFollowTheSpecification() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/hand.safetensors"
      try Safetensors.write(
        [
          ("w", try Tensor32(shape: [2, 2], values: [1, 2, 3, 4])),
          ("b", try Tensor32(shape: [], values: [-1])),
        ],
        to: path, metadata: ["k": "vv"])
      let json =
        #"{"__metadata__":{"k":"vv"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"#
        + #""b":{"dtype":"F32","shape":[],"data_offsets":[16,20]}}"#
      #expect(json.utf8.count == 137)  // 7 spaces make 144
      let expected =
        [144, 0, 0, 0, 0, 0, 0, 0] + Array(json.utf8) + Array("       ".utf8)
        + [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x40, 0x40, 0x00, 0x00, 0x80, 0x40]
        + [0x00, 0x00, 0x80, 0xBF]
      #expect(try TestFiles.read(path) == expected)
    }
  }

  @Test func headerIsPaddedToAMultipleOfEight() throws {
    try TestFiles.withDirectory { directory in
      for length in 1...9 {
        let path = directory + "/pad\(length).safetensors"
        try Safetensors.write([(String(repeating: "n", count: length), Tensor32(zeros: [1]))], to: path)
        let bytes = try TestFiles.read(path)
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(headerLength % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 4)
        #expect(
          bytes[8 + headerLength - 1] == UInt8(ascii: " ") || bytes[8 + headerLength - 1] == UInt8(ascii: "}")
        )
      }
    }
  }

  @Test func manyDimensions() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/many.safetensors"
      let tensor = Tensor32(zeros: Array(repeating: 1, count: 1023) + [2])
      try Safetensors.write([("deep", tensor)], to: path)
      #expect(try Safetensors.read(path: path)["deep"] == tensor)
    }
  }

  @Test func writeReplacesAnExistingFile() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/again.safetensors"
      try Safetensors.write([("a", Tensor32(zeros: [100]))], to: path)
      try Safetensors.write([("b", Tensor32(zeros: [1]))], to: path)
      #expect(Array(try Safetensors.read(path: path).keys) == ["b"])
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["again.safetensors"])
    }
  }

  @Test func writeRefusesBadLists() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/bad.safetensors"
      let twice = TestFiles.errorText {
        try Safetensors.write([("a", Tensor32(zeros: [1])), ("a", Tensor32(zeros: [2]))], to: path)
      }
      #expect(twice == "\(path): tensor a: appears twice in the list to write")
      let reserved = TestFiles.errorText {
        try Safetensors.write([("__metadata__", Tensor32(zeros: [1]))], to: path)
      }
      #expect(reserved?.contains("reserved for metadata") == true)
      let nowhere = directory + "/no/such/folder/x.safetensors"
      let missingFolder = TestFiles.errorText {
        try Safetensors.write([("a", Tensor32(zeros: [1]))], to: nowhere)
      }
      #expect(
        missingFolder == "\(nowhere): cannot write: the folder \(directory)/no/such/folder does not exist")
      var drifted = Tensor32(zeros: [2, 2])
      drifted.values.removeLast()
      let mismatch = TestFiles.errorText { try Safetensors.write([("d", drifted)], to: path) }
      #expect(mismatch == "\(path): tensor d: has 3 values for shape [2, 2] (4)")
      #expect(!FileManager.default.fileExists(atPath: path))
    }
  }
}
