import Testing

@testable import ConvTourIO

/// The restricted pickle machine on plain values, opcode by opcode (pickletools' names).
@Suite("Pickle machine")
struct PickleMachineTests {
  static func load(_ bytes: [UInt8]) throws -> (PickleValue, PickleMemory) {
    var machine = PickleMachine(bytes: [0x80, 0x02] + bytes + [0x2E], client: PlainPickle())
    let value = try machine.load()
    return (value, machine.memory)
  }

  @Test(
    "integers: BININT1, BININT2, BININT (signed), LONG1 (two's complement, wider than 64 bits kept as bytes)")
  func integers() throws {
    #expect(try Self.load([0x4B, 0xFF]).0 == .int(255))
    #expect(try Self.load([0x4D, 0xE9, 0x03]).0 == .int(1001))
    #expect(try Self.load([0x4A, 0xFE, 0xFF, 0xFF, 0xFF]).0 == .int(-2))
    #expect(try Self.load([0x8A, 0x01, 0xFF]).0 == .int(-1))
    #expect(try Self.load([0x8A, 0x02, 0x00, 0x01]).0 == .int(256))
    #expect(try Self.load([0x8A, 0x00]).0 == .int(0))
    #expect(
      try Self.load([0x8A, 0x09] + [UInt8](repeating: 0, count: 8) + [1]).0
        == .bigInt([0, 0, 0, 0, 0, 0, 0, 0, 1]))
  }

  @Test("strings (BINUNICODE, SHORT_BINSTRING, BINSTRING), BINFLOAT, None and booleans")
  func scalars() throws {
    #expect(try Self.load([0x58, 2, 0, 0, 0, 0xCE, 0xB7]).0 == .string("η"))
    #expect(try Self.load([0x55, 3] + Array("cpu".utf8)).0 == .string("cpu"))
    #expect(try Self.load([0x54, 1, 0, 0, 0, 0x30]).0 == .string("0"))
    #expect(try Self.load([0x47, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0]).0 == .float(1.5))
    #expect(try Self.load([0x4E]).0 == PickleValue.none)
    #expect(try Self.load([0x88]).0 == .bool(true))
    #expect(try Self.load([0x89]).0 == .bool(false))
  }

  @Test("containers: tuples of 0 to 3 and by MARK, lists and dicts item by item or in batches")
  func containers() throws {
    let (tuple, memory) = try Self.load([0x4B, 1, 0x4B, 2, 0x86])
    #expect(memory.sequence(tuple) == [.int(1), .int(2)])
    let (marked, more) = try Self.load([0x28, 0x4B, 1, 0x4B, 2, 0x4B, 3, 0x4B, 4, 0x74])
    #expect(more.sequence(marked)?.count == 4)
    let (list, lists) = try Self.load([0x5D, 0x4B, 1, 0x61, 0x28, 0x4B, 2, 0x4B, 3, 0x65])
    #expect(lists.sequence(list) == [.int(1), .int(2), .int(3)])
    let (dict, dicts) = try Self.load([0x7D, 0x55, 1, 0x61, 0x4B, 1, 0x73, 0x28, 0x55, 1, 0x62, 0x4E, 0x75])
    #expect(dicts.stringKeyed(dict)?.map(\.key) == ["a", "b"])
  }

  @Test("the memo: BINGET gives back the same list, so an APPEND through one shows in the other")
  func memo() throws {
    // (l, l) where l = [] is stored as 9 (LONG_BINPUT), fetched back (LONG_BINGET), and 7 appended.
    let (value, memory) = try Self.load([0x28, 0x5D, 0x72, 9, 0, 0, 0, 0x6A, 9, 0, 0, 0, 0x4B, 7, 0x61, 0x74])
    let items = try #require(memory.sequence(value))
    #expect(items.count == 2 && items[0] == items[1])
    #expect(memory.sequence(items[0]) == [.int(7)])
    #expect(throws: PickleError.self) { try Self.load([0x4E, 0x30]) }  // POP: not an opcode it knows
  }
}
