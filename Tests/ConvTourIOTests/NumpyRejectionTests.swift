import ConvTourEngine
import Foundation
import Testing

@testable import ConvTourIO

/// A malformed `.npy` file and the one-line error it must produce.
struct NumpyRejection: Sendable, CustomTestStringConvertible {
  var name: String
  var bytes: [UInt8]
  var fragment: String

  var testDescription: String { name }

  init(_ name: String, bytes: [UInt8], _ fragment: String) {
    self.name = name
    self.bytes = bytes
    self.fragment = fragment
  }

  /// A file with this header dict (plus a newline) and `data` zero bytes.
  init(_ name: String, _ dict: String, data: Int = 0, version: UInt8 = 1, _ fragment: String) {
    self.init(name, bytes: Self.npy(dict, data: data, version: version), fragment)
  }

  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  static func npy(_ dict: String, data: Int = 0, version: UInt8 = 1) -> [UInt8] {
    let text = Array((dict + "\n").utf8)
    let lengthBytes = version == 1 ? 2 : 4
    let length = (0..<lengthBytes).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) }
    return magic + [version, 0] + length + text + Array(repeating: 0, count: data)
  }

  static func dict(descr: String = "'<f4'", fortran: String = "False", shape: String = "(2, 3)") -> String {
    "{'descr': \(descr), 'fortran_order': \(fortran), 'shape': \(shape), }"
  }

  static let all: [NumpyRejection] = [
    .init("empty file", bytes: [], "not a .npy file: it does not start with \\x93NUMPY"),
    .init("a text file", bytes: Array("hello, world\n".utf8), "not a .npy file"),
    .init("magic only", bytes: magic, "6 bytes long, too short for a .npy header"),
    .init("magic and version only", bytes: magic + [1, 0], "8 bytes long, too short for a .npy header"),
    .init(
      "version 4.0", bytes: magic + [4, 0, 0, 0],
      ".npy format version 4.0 is not supported (only 1.0, 2.0, 3.0)"),
    .init("version 1.1", bytes: magic + [1, 1, 0, 0], ".npy format version 1.1 is not supported"),
    .init(
      "version 2 cut in its length", bytes: magic + [2, 0, 0, 0], "10 bytes long, too short for a .npy header"
    ),
    .init(
      "length past the end", bytes: magic + [1, 0, 0xFF, 0xFF] + Array("{}".utf8),
      "header length 65535 runs past the end of the file (12 bytes)"),
    .init(
      "huge version 2 length", bytes: magic + [2, 0, 0xFF, 0xFF, 0xFF, 0xFF] + Array("{}".utf8),
      "header length 4294967295 runs past the end of the file"),
    .init(
      "header over the limit",
      bytes: magic + [2, 0, 0x80, 0x84, 0x1E, 0] + Array(repeating: 0x20, count: 2_000_000),
      "header length 2000000 exceeds the limit of 1000000 bytes"),
    .init("not UTF-8", bytes: magic + [1, 0, 3, 0, 0x7B, 0xFF, 0x7D], "the header is not valid text"),
    .init(
      "not a literal", "{'descr': <f4}", "the header is not a Python literal: unexpected '<' at character 10"),
    .init(
      "unterminated", "{'descr': '<f4', ", "the header is not a Python literal: unexpected end of the header"),
    .init("newline in a string", "{'descr': '<f\\\n4'}", "unterminated string"),
    .init(
      "a float", dict(shape: "(2.5, 3)"), data: 24, "the header is not a Python literal: expected an integer"),
    .init("deep nesting", String(repeating: "(", count: 100_000), "nested too deeply"),
    .init("not a dict", "[1, 2]", "the header is not a dict: [1, 2]"),
    .init("missing key", "{'descr': '<f4', 'shape': (2,)}", data: 8, "the header lacks 'fortran_order'"),
    .init(
      "extra key", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", data: 8,
      "the header has an unexpected key 'x'"),
    .init(
      "key twice", "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", data: 8,
      "the header has the key 'descr' twice"),
    .init(
      "big-endian", dict(descr: "'>f4'"), data: 24,
      "big-endian float32 ('>f4') is not supported: only little-endian '<f4'"),
    .init(
      "float64", dict(descr: "'<f8'"), data: 48,
      "dtype '<f8' (float64) is not supported: only float32 ('<f4')"),
    .init("float16", dict(descr: "'<f2'"), data: 12, "dtype '<f2' (float16) is not supported"),
    .init("uint8", dict(descr: "'|u1'"), data: 6, "dtype '|u1' (uint8) is not supported"),
    .init(
      "big-endian int32", dict(descr: "'>i4'"), data: 24, "dtype '>i4' (big-endian int32) is not supported"),
    .init("bool", dict(descr: "'|b1'"), data: 6, "dtype '|b1' (bool) is not supported"),
    .init("object", dict(descr: "'|O'"), data: 48, "dtype '|O' is not supported: only float32 ('<f4')"),
    .init(
      "structured", dict(descr: "[('x', '<f4'), ('y', '<f4')]"), data: 48,
      "structured dtype [('x', '<f4'), ('y', '<f4')] is not supported"),
    .init(
      "fortran order", dict(fortran: "True"), data: 24,
      "fortran_order is True (column-major): only C-order arrays can be read"),
    .init(
      "fortran order not a bool", dict(fortran: "0"), data: 24, "fortran_order must be True or False, found 0"
    ),
    .init("shape a list", dict(shape: "[2, 3]"), data: 24, "shape must be a tuple of integers, found [2, 3]"),
    .init(
      "negative dimension", dict(shape: "(-1, 3)"), data: 24,
      "shape (-1, 3): dimension 0 is -1, not a non-negative integer"),
    .init(
      "dimension a string", dict(shape: "('2', 3)"), data: 24,
      "dimension 0 is '2', not a non-negative integer"),
    .init(
      "dimension past Int", dict(shape: "(99999999999999999999,)"),
      "dimension 0 is 99999999999999999999, not a non-negative integer"),
    .init(
      "element count overflows", dict(shape: "(4294967296, 4294967296, 0)"),
      "shape (4294967296, 4294967296, 0) has too many elements to count"),
    .init(
      "byte count overflows", dict(shape: "(4611686018427387904,)"), data: 8,
      "the data is truncated: shape (4611686018427387904,) of float32 needs more than 9223372036854775807 bytes, the file holds 8"
    ),
    .init(
      "huge shape, tiny file", dict(shape: "(1000000000000, 1000)"), data: 8,
      "the data is truncated: shape (1000000000000, 1000) of float32 needs 4000000000000000 bytes, the file holds 8"
    ),
    .init(
      "truncated", dict(), data: 20,
      "the data is truncated: shape (2, 3) of float32 needs 24 bytes, the file holds 20"),
    .init("truncated version 2", dict(), data: 23, version: 2, "needs 24 bytes, the file holds 23"),
    .init(
      "bytes after the data", dict(), data: 28,
      "4 bytes follow the data: shape (2, 3) of float32 needs 24 bytes, the file holds 28"),
  ]
}

@Suite("NumPy .npy: malformed files")
struct NumpyRejectionTests {
  @Test(arguments: NumpyRejection.all)
  func refuses(_ rejection: NumpyRejection) throws {
    try TestFiles.withDirectory { directory in
      let path = try TestFiles.write(rejection.bytes, named: "bad.npy", in: directory)
      let text = TestFiles.errorText { _ = try Numpy.readFloat32(path: path) }
      #expect(text?.hasPrefix("\(path): ") == true, "\(text ?? "no error")")
      #expect(text?.contains(rejection.fragment) == true, "\(text ?? "no error")")
      #expect(text?.contains("\n") == false)
    }
  }

  @Test func missingFile() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/none.npy"
      #expect(
        TestFiles.errorText { _ = try Numpy.readFloat32(path: path) } == "\(path): cannot read: no such file")
    }
  }

  @Test func unwritablePath() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/missing/folder/x.npy"
      let text = TestFiles.errorText { try Numpy.writeFloat32(Tensor32(zeros: []), to: path) }
      #expect(text == "\(path): cannot write: the folder \(directory)/missing/folder does not exist")
      var drifted = Tensor32(zeros: [3])
      drifted.values.append(1)
      let here = directory + "/drifted.npy"
      let mismatch = TestFiles.errorText { try Numpy.writeFloat32(drifted, to: here) }
      #expect(mismatch == "\(here): the tensor has 4 values for shape [3] (3)")
      #expect(!FileManager.default.fileExists(atPath: here))
    }
  }
}
