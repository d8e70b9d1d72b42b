/// A restricted unpickler for the opcodes of pickle protocol 2 that `torch.save` writes (under
/// Python 2 and 3), and nothing else: any other opcode is refused by name, every global goes
/// through the client's allow-list, and REDUCE, BUILD and BINPERSID are handed to the client,
/// which describes instead of calling. Nothing is imported or executed. Lengths are checked
/// against the bytes left before anything is copied; the stack, the marks and the memo grow at
/// most by one entry per opcode, so memory stays proportional to the pickle's length.
struct PickleMachine<Client: PickleClient> {
  /// The pickle's bytes (the file or its start, or a zip entry) and where reading starts.
  let bytes: [UInt8]
  var position: Int
  /// Added to positions in errors, so that they are offsets in the file.
  let fileOffset: Int
  var client: Client
  var memory = PickleMemory()
  private var stack: [PickleValue] = []
  private var marks: [Int] = []
  private var memo: [Int: PickleValue] = [:]

  init(bytes: [UInt8], at position: Int = 0, fileOffset: Int = 0, client: Client) {
    self.bytes = bytes
    self.position = position
    self.fileOffset = fileOffset
    self.client = client
  }

  /// Runs from `position` to STOP; returns the value left, with `position` just past the STOP.
  /// An error names the offset of the opcode that failed.
  mutating func load() throws -> PickleValue {
    while true {
      let start = position
      let opcode = try byte()
      do {
        if opcode == UInt8(ascii: ".") {
          guard marks.isEmpty, stack.count == 1 else { throw problem("STOP with \(stack.count) values left") }
          return stack.removeLast()
        }
        try run(opcode)
      } catch var error as PickleError {
        error.offset = fileOffset + start
        throw error
      } catch let failure as Failure {
        throw PickleError(offset: fileOffset + start, problem: failure.message)
      }
    }
  }

  /// A problem with the opcode being run; `load` adds where.
  struct Failure: Error {
    var message: String
  }

  private func problem(_ message: String) -> Failure { Failure(message: message) }

  private mutating func run(_ opcode: UInt8) throws {
    switch opcode {
    case 0x80:  // PROTO
      let version = try byte()
      guard version <= 2 else { throw problem("pickle protocol \(version): only protocol 2 is read") }
    case UInt8(ascii: "c"):  // GLOBAL
      let module = try line(), name = try line()
      guard client.allows(module: module, name: name) else {
        throw problem(
          "global \(module).\(name) is not allowed (\(client.fileKind) names only \(client.globalsNamed))")
      }
      stack.append(.global(module: module, name: name))
    case UInt8(ascii: "q"): memo[Int(try byte())] = try top()  // BINPUT
    case UInt8(ascii: "r"): memo[Int(try unsigned(4))] = try top()  // LONG_BINPUT
    case UInt8(ascii: "h"): try recall(Int(try byte()))  // BINGET
    case UInt8(ascii: "j"): try recall(Int(try unsigned(4)))  // LONG_BINGET
    case UInt8(ascii: "("): marks.append(stack.count)  // MARK
    case UInt8(ascii: "}"): stack.append(memory.dict([]))  // EMPTY_DICT
    case UInt8(ascii: "]"): stack.append(memory.list([]))  // EMPTY_LIST
    case UInt8(ascii: ")"): stack.append(memory.tuple([]))  // EMPTY_TUPLE
    case UInt8(ascii: "t"): stack.append(memory.tuple(try popMark()))  // TUPLE
    case 0x85, 0x86, 0x87:  // TUPLE1, TUPLE2, TUPLE3
      let count = Int(opcode) - 0x84
      guard stack.count - (marks.last ?? 0) >= count else { throw problem("TUPLE\(count) on too few values") }
      let items = Array(stack.suffix(count))
      stack.removeLast(count)
      stack.append(memory.tuple(items))
    case UInt8(ascii: "s"):  // SETITEM
      let value = try pop(), key = try pop()
      try setItems(of: try top(), [(key, value)])
    case UInt8(ascii: "u"):  // SETITEMS
      let items = try popMark()
      guard items.count % 2 == 0 else { throw problem("SETITEMS with an odd number of values") }
      let pairs = stride(from: 0, to: items.count, by: 2).map { (key: items[$0], value: items[$0 + 1]) }
      try setItems(of: try top(), pairs)
    case UInt8(ascii: "a"): try append(to: try top(below: 1), [try pop()])  // APPEND
    case UInt8(ascii: "e"):  // APPENDS
      let items = try popMark()
      try append(to: try top(), items)
    case UInt8(ascii: "J"): stack.append(.int(Int(Int32(bitPattern: UInt32(try unsigned(4))))))  // BININT
    case UInt8(ascii: "K"): stack.append(.int(Int(try byte())))  // BININT1
    case UInt8(ascii: "M"): stack.append(.int(Int(try unsigned(2))))  // BININT2
    case 0x8A: stack.append(try long1())  // LONG1
    case UInt8(ascii: "X"): stack.append(.string(try text(length: try unsigned(4), python2: false)))
    case UInt8(ascii: "U"): stack.append(try python2String(length: try unsigned(1)))  // SHORT_BINSTRING
    case UInt8(ascii: "T"):  // BINSTRING: a signed 4-byte length
      let length = Int32(bitPattern: UInt32(try unsigned(4)))
      guard length >= 0 else { throw problem("BINSTRING of negative length \(length)") }
      stack.append(try python2String(length: UInt64(length)))
    case UInt8(ascii: "G"): stack.append(.float(Double(bitPattern: try bigEndian64())))  // BINFLOAT
    case UInt8(ascii: "N"): stack.append(.none)
    case 0x88: stack.append(.bool(true))  // NEWTRUE
    case 0x89: stack.append(.bool(false))  // NEWFALSE
    case UInt8(ascii: "R"):  // REDUCE
      let arguments = try pop(), callable = try pop()
      guard case .tuple = arguments else { throw problem("REDUCE with \(arguments.summary) for arguments") }
      stack.append(try clientCall { try $0.reduce(callable, arguments, memory: &$1) })
    case UInt8(ascii: "b"):  // BUILD
      let state = try pop(), object = try pop()
      stack.append(try clientCall { try $0.build(object, state: state, memory: &$1) })
    case UInt8(ascii: "Q"):  // BINPERSID
      let id = try pop()
      stack.append(try clientCall { try $0.persistentLoad(id, memory: &$1) })
    default:
      throw problem("opcode \(Self.name(opcode)) is not one \(client.fileKind) uses")
    }
  }

  /// Runs a client hook; the client's own errors become this opcode's.
  private mutating func clientCall(_ body: (inout Client, inout PickleMemory) throws -> PickleValue) throws
    -> PickleValue
  {
    do {
      return try body(&client, &memory)
    } catch let failure as Failure {
      throw failure
    } catch {
      throw problem("\(error)")
    }
  }

  /// A Python 2 string: text when it is UTF-8; else where its bytes lie, when the client keeps
  /// binary strings (CIFAR-10's pixels), or an error.
  private mutating func python2String(length: UInt64) throws -> PickleValue {
    guard client.keepsBinaryStrings else { return .string(try text(length: length, python2: true)) }
    let start = position
    let slice = try take(length)
    if let text = String(validating: slice, as: UTF8.self) { return .string(text) }
    return .bytes(start..<position)
  }

  private mutating func setItems(of target: PickleValue, _ items: [(key: PickleValue, value: PickleValue)])
    throws
  {
    guard case .dict(let index) = target else { throw problem("SETITEM(S) on \(target.summary), not a dict") }
    memory.dicts[index].append(contentsOf: items)
  }

  private mutating func append(to target: PickleValue, _ items: [PickleValue]) throws {
    guard case .list(let index) = target else { throw problem("APPEND(S) on \(target.summary), not a list") }
    memory.lists[index].append(contentsOf: items)
  }

  private mutating func recall(_ index: Int) throws {
    guard let value = memo[index] else { throw problem("BINGET \(index): nothing stored there") }
    stack.append(value)
  }

  /// The value `depth` below the top, which must lie above the last mark.
  private func top(below depth: Int = 0) throws -> PickleValue {
    guard stack.count - (marks.last ?? 0) > depth else { throw problem("the stack is empty") }
    return stack[stack.count - 1 - depth]
  }

  private mutating func pop() throws -> PickleValue {
    let value = try top()
    stack.removeLast()
    return value
  }

  /// The values above the last mark, removed with it.
  private mutating func popMark() throws -> [PickleValue] {
    guard let mark = marks.popLast() else { throw problem("no MARK to close") }
    let items = Array(stack[mark...])
    stack.removeSubrange(mark...)
    return items
  }
}
