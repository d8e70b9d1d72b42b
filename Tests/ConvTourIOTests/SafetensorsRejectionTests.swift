import Foundation
import Testing

@testable import ConvTourIO

/// A malformed safetensors file and the one-line error it must produce.
struct SafetensorsRejection: Sendable, CustomTestStringConvertible {
  var name: String
  var bytes: [UInt8]
  /// The tensor the error names, or nil for the file as a whole.
  var tensor: String?
  var fragment: String
  /// Whether `header(path:)` accepts the file (only `read` refuses it).
  var headerAccepts = false

  var testDescription: String { name }

  /// A file with this header text and `data` zero bytes after it.
  init(_ name: String, _ header: String, data: Int = 0, tensor: String? = nil, _ fragment: String) {
    self.init(
      name, bytes: TestFiles.safetensors(header: header, data: Array(repeating: 0, count: data)),
      tensor: tensor, fragment)
  }

  init(_ name: String, bytes: [UInt8], tensor: String? = nil, _ fragment: String) {
    self.name = name
    self.bytes = bytes
    self.tensor = tensor
    self.fragment = fragment
  }

  static func entry(_ name: String, _ dtype: String, _ shape: String, _ begin: Int, _ end: Int) -> String {
    #""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":[\#(begin),\#(end)]}"#
  }

  static func length(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  static let all: [SafetensorsRejection] = [
    // The length prefix.
    .init("empty file", bytes: [], "0 bytes long, too short for the 8-byte header length"),
    .init("7 bytes", bytes: [1, 0, 0, 0, 0, 0, 0], "7 bytes long, too short"),
    .init(
      "length past the end", bytes: length(100) + Array("{}".utf8),
      "header length 100 runs past the end of the file (10 bytes)"),
    .init(
      "length over the limit", bytes: length(200_000_000) + Array("{}".utf8),
      "header length 200000000 exceeds safetensors' limit of 100000000 bytes"),
    .init(
      "length UInt64.max", bytes: length(.max),
      "header length 18446744073709551615 exceeds safetensors' limit"),
    // The JSON.
    .init(
      "not JSON", #"{"w": "#,
      "header is not valid JSON: unexpected end of the JSON text at byte 6 of the header"),
    .init("unterminated object", #"{"w":{}"#, "header is not valid JSON: expected ',' or '}'"),
    .init("trailing text", #"{} x"#, "unexpected text after the JSON value"),
    .init("not UTF-8", bytes: length(3) + [0x7B, 0xFF, 0x7D], "header is not valid UTF-8"),
    .init("an array", "[1, 2]", "header is not a JSON object (found an array)"),
    .init("a string", #""{}""#, #"header is not a JSON object (found the string "{}")"#),
    .init(
      "repeated key", "{\(entry("a", "F32", "[1]", 0, 4)),\(entry("a", "F32", "[1]", 4, 8))}", data: 8,
      "header: key \"a\" appears twice at byte"),
    .init(
      "deep nesting", String(repeating: "[", count: 100_000),
      "header: nested more than 32 levels deep at byte 32"),
    .init(
      "a 1025-dimensional shape",
      "{\(entry("w", "F32", "[" + Array(repeating: "1", count: 1025).joined(separator: ",") + "]", 0, 4))}",
      data: 4, "header: an array longer than 1024 elements at byte"),
    .init("control character", "{\"a\u{01}\":1}", "control character in a string"),
    .init("lone surrogate", #"{"\ud800":1}"#, "lone surrogate"),
    // One entry.
    .init(
      "entry not an object", #"{"w": [1]}"#, tensor: "w",
      "entry must be an object with dtype, shape and data_offsets, found an array"),
    .init(
      "missing dtype", #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: 4, tensor: "w", "missing dtype"),
    .init(
      "missing shape", #"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, data: 4, tensor: "w", "missing shape"),
    .init(
      "missing data_offsets", #"{"w":{"dtype":"F32","shape":[1]}}"#, data: 4, tensor: "w",
      "missing data_offsets"),
    .init(
      "dtype a number", #"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#, tensor: "w",
      "dtype must be a string, found 32"),
    .init(
      "unknown dtype", "{\(entry("w", "F33", "[1]", 0, 4))}", data: 4, tensor: "w", #"unknown dtype "F33""#),
    .init(
      "shape a string", "{\(entry("w", "F32", "\"2x3\"", 0, 24))}", tensor: "w",
      #"shape must be an array of non-negative integers, found the string "2x3""#),
    .init(
      "shape null", "{\(entry("w", "F32", "null", 0, 24))}", tensor: "w",
      "shape must be an array of non-negative integers, found null"),
    .init(
      "negative dimension", "{\(entry("w", "F32", "[2,-3]", 0, 24))}", tensor: "w",
      "shape: dimension 1 is -3, not a non-negative integer"),
    .init(
      "fractional dimension", "{\(entry("w", "F32", "[2.5]", 0, 8))}", tensor: "w",
      "shape: dimension 0 is 2.5, not a non-negative integer"),
    .init(
      "dimension 2.0", "{\(entry("w", "F32", "[2.0]", 0, 8))}", tensor: "w",
      "shape: dimension 0 is 2.0, not a non-negative integer"),
    .init(
      "dimension 1e3", "{\(entry("w", "F32", "[1e3]", 0, 4000))}", tensor: "w",
      "dimension 0 is 1e3, not a non-negative integer"),
    .init(
      "dimension true", "{\(entry("w", "F32", "[true]", 0, 4))}", tensor: "w",
      "dimension 0 is true, not a non-negative integer"),
    .init(
      "dimension past Int", "{\(entry("w", "F32", "[99999999999999999999]", 0, 4))}", tensor: "w",
      "dimension 0 is 99999999999999999999, not a non-negative integer"),
    .init(
      "element count overflows", "{\(entry("w", "F32", "[4294967296,4294967296,0]", 0, 0))}", tensor: "w",
      "shape [4294967296, 4294967296, 0] has too many elements to count"),
    .init(
      "byte count overflows", "{\(entry("w", "F32", "[4611686018427387904]", 0, 4))}", tensor: "w",
      "shape [4611686018427387904] of F32 has too many bytes to count"),
    .init(
      "offsets not a pair", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, tensor: "w",
      "data_offsets must be [BEGIN, END], two non-negative integers, found an array"),
    .init(
      "offsets an object", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":{}}}"#, tensor: "w",
      "data_offsets must be [BEGIN, END], two non-negative integers, found an object"),
    .init(
      "negative begin", "{\(entry("w", "F32", "[1]", -4, 0))}", tensor: "w",
      "data_offsets: begin is -4, not a non-negative integer"),
    .init(
      "fractional end", "{\(entry("w", "F32", "[1]", 0, 4).replacingOccurrences(of: ",4]", with: ",4.5]"))}",
      tensor: "w", "data_offsets: end is 4.5, not a non-negative integer"),
    .init(
      "end before begin", "{\(entry("w", "F32", "[1]", 8, 4))}", data: 8, tensor: "w",
      "data_offsets [8, 4] are out of order: end < begin"),
    .init(
      "wrong byte length", "{\(entry("w", "F32", "[3]", 0, 8))}", data: 8, tensor: "w",
      "data_offsets [0, 8] hold 8 bytes, but shape [3] of F32 needs 12 (3 elements × 4 bytes)"),
    .init(
      "F4 odd count", "{\(entry("w", "F4", "[3]", 0, 2))}", data: 2, tensor: "w",
      "shape [3] of F4 is 12 bits, not a whole number of bytes"),
    // The layout of the buffer.
    .init(
      "overlap", "{\(entry("a", "F32", "[2]", 0, 8)),\(entry("b", "F32", "[2]", 4, 12))}", data: 12,
      tensor: "b", "data_offsets [4, 12] overlap tensor a's [0, 8]"),
    .init(
      "empty tensor inside another", "{\(entry("a", "F32", "[2]", 0, 8)),\(entry("e", "F32", "[0]", 4, 4))}",
      data: 8, tensor: "e", "data_offsets [4, 4] overlap tensor a's [0, 8]"),
    .init(
      "same range twice", "{\(entry("a", "F32", "[1]", 0, 4)),\(entry("b", "F32", "[1]", 0, 4))}", data: 4,
      tensor: "b", "data_offsets [0, 4] overlap tensor a's [0, 4]"),
    .init(
      "hole between", "{\(entry("a", "F32", "[1]", 0, 4)),\(entry("b", "F32", "[1]", 8, 12))}", data: 12,
      tensor: "b", "data_offsets [8, 12] leave a hole: bytes 4 ..< 8 of the data buffer belong to no tensor"),
    .init(
      "hole at the start", "{\(entry("a", "F32", "[1]", 4, 8))}", data: 8, tensor: "a",
      "leave a hole: bytes 0 ..< 4"),
    .init(
      "bytes after the last tensor", "{\(entry("a", "F32", "[1]", 0, 4))}", data: 8,
      "the data buffer has 4 bytes after the last tensor that belong to no tensor"),
    .init(
      "truncated", "{\(entry("a", "F32", "[1]", 0, 4)),\(entry("b", "F32", "[4]", 4, 20))}", data: 12,
      tensor: "b",
      "data_offsets [4, 20] go beyond the data buffer (12 bytes): the file is truncated, its header describes 20 bytes of data"
    ),
    .init(
      "huge tensor, tiny file",
      "{\(entry("w", "F32", "[2305843009213693951]", 0, 9_223_372_036_854_775_804))}", data: 16, tensor: "w",
      "go beyond the data buffer (16 bytes): the file is truncated"),
    // Metadata.
    .init(
      "metadata not an object", #"{"__metadata__":[]}"#,
      "__metadata__ must be an object of strings, found an array"),
    .init(
      "metadata value a number", #"{"__metadata__":{"epoch":3}}"#,
      #"__metadata__: "epoch" must be a string, found 3"#),
  ]

  static let readOnly: [SafetensorsRejection] = [
    .init(
      "F16", "{\(entry("a", "F32", "[1]", 0, 4)),\(entry("h", "F16", "[2]", 4, 8))}", data: 8, tensor: "h",
      "dtype F16 is not supported: only F32 tensors can be read"),
    .init(
      "BF16", "{\(entry("h", "BF16", "[2, 2]", 0, 8))}", data: 8, tensor: "h", "dtype BF16 is not supported"),
    .init("F64", "{\(entry("d", "F64", "[1]", 0, 8))}", data: 8, tensor: "d", "dtype F64 is not supported"),
  ]
}

@Suite("safetensors: malformed files")
struct SafetensorsRejectionTests {
  @Test(arguments: SafetensorsRejection.all)
  func readAndHeaderRefuse(_ rejection: SafetensorsRejection) throws {
    try TestFiles.withDirectory { directory in
      let path = try TestFiles.write(rejection.bytes, named: "bad.safetensors", in: directory)
      let prefix = rejection.tensor.map { "\(path): tensor \($0): " } ?? "\(path): "
      for (function, attempt) in [
        ("read", { _ = try Safetensors.read(path: path) }),
        ("header", { _ = try Safetensors.header(path: path) }),
      ] as [(String, () throws -> Void)] {
        let text = TestFiles.errorText(attempt)
        #expect(text?.hasPrefix(prefix) == true, "\(function): \(text ?? "no error")")
        #expect(text?.contains(rejection.fragment) == true, "\(function): \(text ?? "no error")")
        #expect(text?.contains("\n") == false)
      }
    }
  }

  @Test(arguments: SafetensorsRejection.readOnly)
  func onlyReadRefusesOtherDtypes(_ rejection: SafetensorsRejection) throws {
    try TestFiles.withDirectory { directory in
      let path = try TestFiles.write(rejection.bytes, named: "other.safetensors", in: directory)
      let text = TestFiles.errorText { _ = try Safetensors.read(path: path) }
      #expect(text?.hasPrefix("\(path): tensor \(rejection.tensor ?? "?"): ") == true)
      #expect(text?.contains(rejection.fragment) == true)
      let header = try Safetensors.header(path: path)
      #expect(header[rejection.tensor ?? ""]?.dtype == rejection.name)
    }
  }

  @Test func missingFileAndDirectory() throws {
    try TestFiles.withDirectory { directory in
      let missing = directory + "/none.safetensors"
      #expect(
        TestFiles.errorText { _ = try Safetensors.read(path: missing) }
          == "\(missing): cannot read: no such file")
      #expect(
        TestFiles.errorText { _ = try Safetensors.header(path: directory) }
          == "\(directory): cannot read: is a directory, not a regular file")
    }
  }

  @Test func errorDescriptions() {
    #expect(
      "\(SafetensorsError(file: "a.safetensors", tensor: "w", problem: "bad"))"
        == "a.safetensors: tensor w: bad")
    #expect("\(SafetensorsError(file: "a.safetensors", problem: "bad"))" == "a.safetensors: bad")
    let controls = SafetensorsError(file: "a.safetensors", tensor: "x\ny\t", problem: "unknown dtype \"F\r\"")
    #expect("\(controls)" == #"a.safetensors: tensor x\u{A}y\u{9}: unknown dtype "F\u{D}""#)
    #expect(controls.tensor == "x\ny\t")
  }
}
