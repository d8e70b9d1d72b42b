/// The client of the restricted pickle machine for CIFAR-10's python batches. It accepts exactly
/// what those files hold — a dict of plain values and one numpy array of uint8 — and nothing else:
///
/// - globals: `numpy.core.multiarray._reconstruct` (numpy 1, and the files of 2009) or
///   `numpy._core.multiarray._reconstruct` (numpy 2), `numpy.ndarray`, `numpy.dtype`, and
///   `_codecs.encode` (how Python 3 pickles bytes at protocol 2);
/// - REDUCE: `_reconstruct(ndarray, (0,), b'b')`, `dtype('u1', 0, 1)` (or `False, True`),
///   `_codecs.encode(text, 'latin1')` with every character below 256;
/// - BUILD: the dtype's state `(3, '|', None, None, None, -1, -1, 0)`, then the array's
///   `(1, (N, 3072), dtype, False, raw)` with exactly N × 3,072 raw bytes.
///
/// The raw bytes are Python 2's `BINSTRING` (kept where it lies in the pickle, not copied) or
/// Python 3's `_codecs.encode`. Nothing is imported or called.
struct CIFARPickle: PickleClient {
  /// The pickle's bytes, for the raw strings the machine leaves where they lie.
  let bytes: [UInt8]
  private(set) var objects: [Object] = []

  enum Object: Equatable {
    /// `_reconstruct(...)`, before its BUILD.
    case emptyArray
    /// `dtype('u1', ...)`, before and after its BUILD.
    case dtype(built: Bool)
    /// `_codecs.encode(...)`: Python 3's bytes.
    case raw([UInt8])
    /// A built array: its shape and where its bytes are.
    case array(shape: [Int], data: PickleValue)
  }

  var keepsBinaryStrings: Bool { true }
  var fileKind: String { "a CIFAR-10 batch" }
  var globalsNamed: String { "numpy arrays" }

  func allows(module: String, name: String) -> Bool {
    switch (module, name) {
    case ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
      ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"):
      true
    default: false
    }
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// The raw bytes of a Python 2 string, a binary string or Python 3's encoded bytes.
  func raw(_ value: PickleValue) -> [UInt8]? {
    switch value {
    case .string(let text): Array(text.utf8)
    case .bytes(let range): Array(bytes[range])
    case .object(let index): if case .raw(let data) = objects[index] { data } else { nil }
    default: nil
    }
  }

  /// The length of such bytes, without copying them.
  func rawCount(_ value: PickleValue) -> Int? {
    switch value {
    case .string(let text): text.utf8.count
    case .bytes(let range): range.count
    case .object(let index): if case .raw(let data) = objects[index] { data.count } else { nil }
    default: nil
    }
  }

  mutating func reduce(_ callable: PickleValue, _ arguments: PickleValue, memory: inout PickleMemory) throws
    -> PickleValue
  {
    let operands = memory.sequence(arguments) ?? []
    switch callable {
    case .global(_, "_reconstruct"):
      guard operands.count == 3, operands[0] == .global(module: "numpy", name: "ndarray"),
        memory.sequence(operands[1]) == [.int(0)], raw(operands[2]) == [UInt8(ascii: "b")]
      else { throw Failure(description: "_reconstruct called with other than (ndarray, (0,), b'b')") }
      objects.append(.emptyArray)
    case .global("numpy", "dtype"):
      let flags = operands.dropFirst()
      guard operands.count == 3, operands[0] == .string("u1"),
        flags == [.int(0), .int(1)] || flags == [.bool(false), .bool(true)]
      else { throw Failure(description: "numpy.dtype called with other than ('u1', 0, 1): only uint8 data") }
      objects.append(.dtype(built: false))
    case .global("_codecs", "encode"):
      guard operands.count == 2, case .string(let text) = operands[0], operands[1] == .string("latin1") else {
        throw Failure(description: "_codecs.encode called with other than (text, 'latin1')")
      }
      var data: [UInt8] = []
      data.reserveCapacity(text.utf8.count)
      for scalar in text.unicodeScalars {
        guard scalar.value < 256 else {
          throw Failure(description: "_codecs.encode of a character beyond latin-1 (U+\(scalar.value))")
        }
        data.append(UInt8(scalar.value))
      }
      objects.append(.raw(data))
    default:
      throw Failure(description: "\(callable.summary) cannot be called")
    }
    return .object(objects.count - 1)
  }

  mutating func build(_ object: PickleValue, state: PickleValue, memory: inout PickleMemory) throws
    -> PickleValue
  {
    guard case .object(let index) = object else {
      throw Failure(description: "BUILD on \(object.summary): only a numpy array or its dtype")
    }
    let items = memory.sequence(state) ?? []
    switch objects[index] {
    case .dtype(built: false):
      let expected: [PickleValue] = [.int(3), .string("|"), .none, .none, .none, .int(-1), .int(-1), .int(0)]
      guard case .tuple = state, items == expected else {
        throw Failure(description: "a dtype whose state is not uint8's (3, '|', None, None, None, -1, -1, 0)")
      }
      objects[index] = .dtype(built: true)
    case .emptyArray:
      guard case .tuple = state, items.count == 5, items[0] == .int(1), items[3] == .bool(false),
        case .object(let dtype) = items[2], objects[dtype] == .dtype(built: true)
      else {
        throw Failure(description: "an array whose state is not (1, shape, uint8, False, data) in C order")
      }
      guard let dimensions = memory.sequence(items[1]), dimensions.count == 2,
        case .int(let rows) = dimensions[0], case .int(3072) = dimensions[1], rows >= 0
      else { throw Failure(description: "an array whose shape is not (N, 3072)") }
      guard let count = rawCount(items[4]) else {
        throw Failure(description: "an array whose data is \(items[4].summary), not bytes")
      }
      guard count / 3072 == rows, count % 3072 == 0 else {
        throw Failure(description: "an array of shape (\(rows), 3072) with \(count) bytes of data")
      }
      objects[index] = .array(shape: [rows, 3072], data: items[4])
    default:
      throw Failure(description: "BUILD on an object that takes none")
    }
    return object
  }

  func persistentLoad(_ id: PickleValue, memory: inout PickleMemory) throws -> PickleValue {
    throw Failure(description: "a persistent id: not in a CIFAR-10 batch")
  }
}
