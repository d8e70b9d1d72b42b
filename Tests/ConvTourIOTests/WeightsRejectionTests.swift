import Foundation
import Testing

@testable import ConvTourIO

/// Every problem issue 25 lists, each in its own fixture (make_weights_fixtures.py) or built here:
/// one line naming the file and the problem, and nothing returned.
@Suite("Weights files refused: one line naming the file and the problem")
struct WeightsRejectionTests {
  @Test(
    "each broken .pth is refused with its own message",
    arguments: [
      (
        "reject-truncated.pth",
        "storage 94000160's 8 bytes from byte 414 run past the end of the file (417 bytes): truncated"
      ),
      ("reject-count.pth", "storage 94000160 holds 3 elements by its count at byte 406; the pickle says 2"),
      ("reject-unnamed-key.pth", "storage key 123 in the list is named by no tensor"),
      (
        "reject-missing-key.pth",
        "storage 94000160 is named in the pickle but not in the list of storage keys"
      ),
      (
        "reject-view.pth",
        "byte 272: storage 94000000 is a view of another (view_metadata is not None): not supported"
      ),
      (
        "reject-noncontiguous.pth",
        "byte 315: a tensor of size [3, 2] with stride [1, 3] is not contiguous (expected stride [2, 1])"
      ),
      ("reject-negative-size.pth", "byte 276: a tensor of size [-1, 3]: a negative size"),
      (
        "reject-absurd-size.pth",
        "byte 285: a tensor of size [1099511627776, 1099511627776] holds more elements than its storage 94000000 (6)"
      ),
      (
        "reject-long.pth",
        "reject-long/data.pkl: byte 92: global torch.LongStorage is not allowed (a weights file names only tensors)"
      ),
      (
        "reject-parameter.pth",
        "reject-parameter/data.pkl: byte 13: global torch._utils._rebuild_parameter is not allowed (a weights file names only tensors)"
      ),
      ("reject-not-tensor.pth", "entry a is the integer 3, not a tensor"),
      ("reject-zip-missing-entry.pth", "storage 1: entry archive/data/1 is missing"),
      (
        "reject-zip-entry-size.pth",
        "storage 1: entry archive/data/1 holds 4 bytes; 2 elements of float32 take 8"
      ),
    ])
  func fixture(name: String, problem: String) {
    #expect(WeightsFixtures.problem(name) == "\(WeightsFixtures.path(name)): \(problem)")
  }

  /// A legacy file whose state-dict pickle is `body` (after PROTO 2), the other pickles valid.
  static func legacy(_ body: [UInt8], keys: [UInt8] = [0x5D, 0x2E]) -> [UInt8] {
    let info: [UInt8] = [0x80, 0x02, 0x7D, 0x55, 0x0D] + Array("little_endian".utf8) + [0x88, 0x73, 0x2E]
    return TorchLegacyFile.signature + [0x2E, 0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E] + info + [0x80, 0x02] + body
      + [0x2E] + [0x80, 0x02] + keys
  }

  static func problem(_ bytes: [UInt8]) throws -> String {
    try TestFiles.withDirectory { directory in
      let path = try TestFiles.write(bytes, named: "w.pth", in: directory)
      let message = TestFiles.errorText { _ = try WeightsReader.read(path: path) } ?? ""
      return message.replacingOccurrences(of: path + ": ", with: "")
    }
  }

  @Test("any other global is refused by name, before anything is called")
  func globals() throws {
    let system = Array("cos\nsystem\n".utf8) + [0x58, 2, 0, 0, 0] + Array("ls".utf8) + [0x85, 0x52]
    #expect(
      try Self.problem(Self.legacy(system))
        == "byte 44: global os.system is not allowed (a weights file names only tensors)")
    let builtins = Array("c__builtin__\neval\n".utf8)
    #expect(try Self.problem(Self.legacy(builtins)).contains("global __builtin__.eval is not allowed"))
    // An allowed global may still not be called with anything: a storage class is no function.
    let storage = Array("ctorch\nFloatStorage\n".utf8) + [0x29, 0x52]
    #expect(try Self.problem(Self.legacy(storage)) == "byte 65: global torch.FloatStorage cannot be called")
  }

  @Test("opcodes beyond protocol 2 and those no weights file uses are refused by name")
  func opcodes() throws {
    #expect(
      try Self.problem(Self.legacy([0x93]))
        == "byte 44: opcode STACK_GLOBAL (0x93) is not one a weights file uses")
    #expect(
      try Self.problem(Self.legacy([0x69])) == "byte 44: opcode INST (0x69) is not one a weights file uses")
    #expect(
      try Self.problem(Self.legacy([0x80, 0x04])) == "byte 44: pickle protocol 4: only protocol 2 is read")
  }

  @Test("lengths past the end, bad strings, a bad stack: refused, nothing allocated for them")
  func structure() throws {
    let huge = Self.legacy([0x58, 0xFF, 0xFF, 0xFF, 0x7F])
    #expect(try Self.problem(huge) == "byte 44: an operand of 2147483647 bytes runs past the end (5 left)")
    #expect(
      try Self.problem(Self.legacy([0x54, 0xFF, 0xFF, 0xFF, 0xFF]))
        == "byte 44: BINSTRING of negative length -1")
    #expect(
      try Self.problem(Self.legacy([0x55, 2, 0xC3, 0x28])) == "byte 44: a Python 2 string that is not UTF-8")
    #expect(try Self.problem(Self.legacy([0x68, 7])) == "byte 44: BINGET 7: nothing stored there")
    #expect(try Self.problem(Self.legacy([0x65])) == "byte 44: no MARK to close")
    #expect(try Self.problem(Self.legacy([0x4E, 0x4E])) == "byte 46: STOP with 2 values left")
    #expect(
      try Self.problem(Self.legacy([0x4E]))
        == "the object saved is None with string keys, not a state dict of tensors")
    #expect(
      try Self.problem(Array(TorchLegacyFile.signature.prefix(12)))
        == "byte 2: an operand of 10 bytes runs past the end (8 left)")
    // A string key is fine; BINSTRING spells a Python 2 string of 256 bytes or more.
    let long = [UInt8](repeating: UInt8(ascii: "k"), count: 300)
    let keys: [UInt8] = [0x5D, 0x28, 0x54, 44, 1, 0, 0] + long + [0x65, 0x2E]
    #expect(
      try Self.problem(Self.legacy([0x7D], keys: keys))
        == "storage key \(String(repeating: "k", count: 300)) in the list is named by no tensor")
  }

  @Test("a nesting a million tuples deep is only values in a table: no recursion, no crash")
  func deepNesting() throws {
    let body: [UInt8] = [0x4E] + [UInt8](repeating: 0x85, count: 1_000_000)
    #expect(
      try Self.problem(Self.legacy(body))
        == "the object saved is a tuple with string keys, not a state dict of tensors")
  }

  @Test("tensors that overlap in one storage would outgrow the file: refused")
  func overlap() throws {
    // {'a': t, 'b': t} with t viewing all of storage '0': 2 × 2 elements from a storage of 2.
    let pid: [UInt8] =
      [0x28, 0x58, 7, 0, 0, 0] + Array("storage".utf8) + Array("ctorch\nFloatStorage\n".utf8)
      + [0x58, 1, 0, 0, 0, 0x30, 0x58, 3, 0, 0, 0] + Array("cpu".utf8) + [0x4B, 2, 0x4E, 0x74, 0x51]
    let tensor: [UInt8] =
      Array("ctorch._utils\n_rebuild_tensor\n".utf8) + [0x28] + pid + [
        0x4B, 0, 0x4B, 2, 0x85, 0x4B, 1, 0x85, 0x74, 0x52, 0x71, 1,
      ]
    let body: [UInt8] =
      [0x7D, 0x28, 0x58, 1, 0, 0, 0, 0x61] + tensor + [0x58, 1, 0, 0, 0, 0x62, 0x68, 1, 0x75]
    let keys: [UInt8] = [0x5D, 0x58, 1, 0, 0, 0, 0x30, 0x61, 0x2E]
    let data: [UInt8] = [2, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8)
    #expect(
      try Self.problem(Self.legacy(body, keys: keys) + data)
        == "the tensors overlap: 4 elements in all, in storages of 2")
  }
}
