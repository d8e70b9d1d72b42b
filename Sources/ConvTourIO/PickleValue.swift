/// A value on the restricted pickle machine's stack. Containers (tuples, lists, dicts) live in
/// `PickleMemory` and are named here by their index there, so a value is never nested: however
/// deep a pickle nests its tuples, nothing is destroyed recursively, and whoever walks the values
/// bounds its own depth.
enum PickleValue: Equatable, Sendable {
  case none
  case bool(Bool)
  case int(Int)
  /// A LONG1 integer wider than 64 bits: its little-endian two's-complement bytes (torch's magic
  /// number is one).
  case bigInt([UInt8])
  case float(Double)
  /// BINUNICODE, or a Python 2 string (SHORT_BINSTRING, BINSTRING) that is valid UTF-8.
  case string(String)
  /// A Python 2 string that is not UTF-8, when the client keeps binary strings: where its bytes
  /// lie in the pickle's bytes (nothing is copied).
  case bytes(Range<Int>)
  /// `module.name`, pushed by GLOBAL once the client allowed it.
  case global(module: String, name: String)
  case tuple(Int)
  case list(Int)
  case dict(Int)
  /// Something the client made by REDUCE or BINPERSID: an index into its own table.
  case object(Int)

  /// How an error names the value: "a string", "the tuple", "global torch.FloatStorage".
  var summary: String {
    switch self {
    case .none: "None"
    case .bool(let value): value ? "True" : "False"
    case .int(let value): "the integer \(value)"
    case .bigInt(let bytes): "an integer of \(bytes.count) bytes"
    case .float(let value): "the float \(value)"
    case .string(let text): "the string \"\(text.prefix(40))\""
    case .bytes(let range): "a binary string of \(range.count) bytes"
    case .global(let module, let name): "global \(module).\(name)"
    case .tuple: "a tuple"
    case .list: "a list"
    case .dict: "a dict"
    case .object: "an object"
    }
  }
}

/// The containers a pickle built: each tuple's, list's and dict's items, in order of creation.
struct PickleMemory: Sendable {
  var tuples: [[PickleValue]] = []
  var lists: [[PickleValue]] = []
  /// Each dict's items in insertion order (a key set twice appears twice; readers decide).
  var dicts: [[(key: PickleValue, value: PickleValue)]] = []

  mutating func tuple(_ items: [PickleValue]) -> PickleValue {
    tuples.append(items)
    return .tuple(tuples.count - 1)
  }

  mutating func list(_ items: [PickleValue]) -> PickleValue {
    lists.append(items)
    return .list(lists.count - 1)
  }

  mutating func dict(_ items: [(key: PickleValue, value: PickleValue)]) -> PickleValue {
    dicts.append(items)
    return .dict(dicts.count - 1)
  }

  /// The items of a tuple or a list; nil for any other value.
  func sequence(_ value: PickleValue) -> [PickleValue]? {
    switch value {
    case .tuple(let index): tuples[index]
    case .list(let index): lists[index]
    default: nil
    }
  }

  /// The items of a dict keyed by strings; nil when it is no dict or a key is not a string.
  func stringKeyed(_ value: PickleValue) -> [(key: String, value: PickleValue)]? {
    guard case .dict(let index) = value else { return nil }
    var result: [(key: String, value: PickleValue)] = []
    for item in dicts[index] {
      guard case .string(let key) = item.key else { return nil }
      result.append((key, item.value))
    }
    return result
  }
}

/// What a pickle machine's client decides: which globals may be named, and what REDUCE, BUILD and
/// BINPERSID make of their operands. Nothing is ever imported or called: the client builds
/// descriptions from the operands, or refuses them.
protocol PickleClient {
  /// Whether GLOBAL may push `module.name`; any other is refused by name.
  func allows(module: String, name: String) -> Bool
  /// REDUCE: `callable(*arguments)`; `arguments` is a tuple.
  mutating func reduce(_ callable: PickleValue, _ arguments: PickleValue, memory: inout PickleMemory) throws
    -> PickleValue
  /// BUILD: sets `state` on `object`; returns the object to leave on the stack.
  mutating func build(_ object: PickleValue, state: PickleValue, memory: inout PickleMemory) throws
    -> PickleValue
  /// BINPERSID: what the persistent id `id` stands for.
  mutating func persistentLoad(_ id: PickleValue, memory: inout PickleMemory) throws -> PickleValue
  /// Whether a Python 2 string that is not UTF-8 becomes `.bytes` (else it is refused).
  var keepsBinaryStrings: Bool { get }
  /// How refusals name the file and what its globals may be: "a weights file", "tensors".
  var fileKind: String { get }
  var globalsNamed: String { get }
}

extension PickleClient {
  var keepsBinaryStrings: Bool { false }
  var fileKind: String { "a weights file" }
  var globalsNamed: String { "tensors" }
}

/// Why a pickle was refused: where (the opcode's byte offset in the file) and what.
struct PickleError: Error, Equatable {
  var offset: Int
  var problem: String
  /// The bytes ran out: the pickle may go on past what was read.
  var ranOut = false
}

/// The client for pickles of plain values (torch's magic number, sys_info, the list of keys):
/// no global, no REDUCE, BUILD or persistent id.
struct PlainPickle: PickleClient {
  struct Refusal: Error, CustomStringConvertible {
    var description: String
  }

  func allows(module: String, name: String) -> Bool { false }

  func reduce(_ callable: PickleValue, _ arguments: PickleValue, memory: inout PickleMemory) throws
    -> PickleValue
  {
    throw Refusal(description: "REDUCE where only plain values are expected")
  }

  func build(_ object: PickleValue, state: PickleValue, memory: inout PickleMemory) throws -> PickleValue {
    throw Refusal(description: "BUILD where only plain values are expected")
  }

  func persistentLoad(_ id: PickleValue, memory: inout PickleMemory) throws -> PickleValue {
    throw Refusal(description: "a persistent id where only plain values are expected")
  }
}
