/// Reading the operands of the pickle machine's opcodes: each length is checked against the
/// bytes left before anything is copied.
extension PickleMachine {
  mutating func byte() throws -> UInt8 {
    guard position < bytes.count else {
      throw PickleError(
        offset: fileOffset + position, problem: "the pickle ends before its STOP", ranOut: true)
    }
    position += 1
    return bytes[position - 1]
  }

  /// `count` bytes, after checking that the pickle holds them.
  mutating func take(_ count: UInt64) throws -> ArraySlice<UInt8> {
    guard count <= UInt64(bytes.count - position) else {
      throw PickleError(
        offset: fileOffset + position,
        problem: "an operand of \(count) bytes runs past the end (\(bytes.count - position) left)",
        ranOut: true)
    }
    let start = position
    position += Int(count)
    return bytes[start..<position]
  }

  /// A little-endian unsigned integer of `count` bytes (1, 2 or 4).
  mutating func unsigned(_ count: UInt64) throws -> UInt64 {
    try take(count).reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }

  mutating func bigEndian64() throws -> UInt64 {
    try take(8).reduce(0) { $0 << 8 | UInt64($1) }
  }

  /// GLOBAL's operands: text up to a newline, at most 256 bytes.
  mutating func line() throws -> String {
    guard let end = bytes[position...].prefix(257).firstIndex(of: 0x0A) else {
      throw PickleError(
        offset: fileOffset + position, problem: "GLOBAL's name has no newline in 256 bytes",
        ranOut: bytes.count - position < 257)
    }
    let text = String(decoding: bytes[position..<end], as: UTF8.self)
    position = end + 1
    return text
  }

  /// LONG1: a little-endian two's-complement integer of up to 255 bytes.
  mutating func long1() throws -> PickleValue {
    let digits = Array(try take(UInt64(try byte())))
    guard digits.count <= 8 else { return .bigInt(digits) }
    guard let last = digits.last else { return .int(0) }
    var value: UInt64 = last & 0x80 == 0 ? 0 : ~0
    for digit in digits.reversed() { value = value << 8 | UInt64(digit) }
    return .int(Int(bitPattern: UInt(value)))
  }

  /// A string's UTF-8 bytes (BINUNICODE) or a Python 2 string's bytes, which must be UTF-8 too (as
  /// torch.load's default encoding requires).
  mutating func text(length: UInt64, python2: Bool) throws -> String {
    let start = position
    guard let text = String(validating: try take(length), as: UTF8.self) else {
      throw PickleError(
        offset: fileOffset + start,
        problem: python2 ? "a Python 2 string that is not UTF-8" : "a string that is not UTF-8")
    }
    return text
  }

  /// The opcode's name in pickletools' spelling, or its byte.
  static func name(_ opcode: UInt8) -> String {
    let names: [UInt8: String] = [
      0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP", 0x46: "FLOAT", 0x49: "INT", 0x4C: "LONG", 0x50: "PERSID",
      0x53: "STRING", 0x56: "UNICODE", 0x64: "DICT", 0x67: "GET", 0x69: "INST", 0x6C: "LIST", 0x6F: "OBJ",
      0x70: "PUT", 0x81: "NEWOBJ", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x8B: "LONG4",
      0x8C: "SHORT_BINUNICODE", 0x8D: "BINUNICODE8", 0x8E: "BINBYTES8", 0x8F: "EMPTY_SET", 0x90: "ADDITEMS",
      0x91: "FROZENSET", 0x92: "NEWOBJ_EX", 0x93: "STACK_GLOBAL", 0x94: "MEMOIZE", 0x95: "FRAME",
      0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER", 0x42: "BINBYTES",
      0x43: "SHORT_BINBYTES",
    ]
    let hex = "0x" + String(opcode, radix: 16, uppercase: true)
    return names[opcode].map { "\($0) (\(hex))" } ?? hex
  }
}
