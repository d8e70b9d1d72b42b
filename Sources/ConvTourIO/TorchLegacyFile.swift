/// torch.save's legacy layout (before PyTorch 1.6; torchvision's VGG files of 2017): five
/// pickles of protocol 2 one after another, then the storages' raw data —
///
///     1. the magic number 0x1950a86a20f9469cfc6c      2. the protocol version 1001
///     3. sys_info: {protocol_version, little_endian, type_sizes}
///     4. the state dict: an OrderedDict of tensors (TorchPickle), storages as persistent ids
///        ('storage', torch.FloatStorage, key, location, size, view_metadata)
///     5. the list of storage keys
///     then for each key in that list's order: its element count (int64, little-endian) and its
///     elements, little-endian.
///
/// Every count is checked against the pickle and every storage's bytes against the file's length
/// before any tensor is read.
struct TorchLegacyFile {
  /// The first bytes of every such file: PROTO 2, then LONG1 of 10 bytes, the magic number.
  static let signature: [UInt8] = [
    0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19,
  ]
  /// The pickles are read from the file's first megabyte, or more (up to 64 MB) when they go on.
  static let pickleLimit = 64 << 20

  let stateDict: TorchStateDict
  /// Where each storage's elements start in the file.
  let dataStart: [String: Int]

  init(file: BinaryFile.Reader, path: String) throws {
    var window = min(file.size, 1 << 20)
    while true {
      let bytes = try file.bytes(window, at: 0)
      do {
        (stateDict, dataStart) = try Self.parse(bytes, file: file)
        return
      } catch let error as PickleError where error.ranOut && window < min(file.size, Self.pickleLimit) {
        window = min(file.size, Self.pickleLimit, window * 8)
      }
    }
  }

  private static func parse(_ bytes: [UInt8], file: BinaryFile.Reader) throws -> (
    TorchStateDict, [String: Int]
  ) {
    var position = 0
    func next<Client: PickleClient>(_ client: Client) throws -> (PickleValue, PickleMemory, Client) {
      var machine = PickleMachine(bytes: bytes, at: position, client: client)
      let value = try machine.load()
      position = machine.position
      return (value, machine.memory, machine.client)
    }
    guard try next(PlainPickle()).0 == .bigInt(Array(signature[4...])) else {
      throw TorchPickleFailure("the first pickle is not torch's magic number")
    }
    let version = try next(PlainPickle()).0
    guard version == .int(1001) else {
      throw TorchPickleFailure("protocol version \(version.summary), expected 1001")
    }
    let (info, infoMemory, _) = try next(PlainPickle())
    guard let fields = infoMemory.stringKeyed(info), fields.contains(where: { $0.key == "little_endian" })
    else {
      throw TorchPickleFailure("sys_info is not a dict with little_endian")
    }
    guard fields.allSatisfy({ $0.key != "little_endian" || $0.value == .bool(true) }) else {
      throw TorchPickleFailure("the file was written on a big-endian machine: not supported")
    }
    let (object, memory, pickle) = try next(TorchPickle(layout: .legacy, fileSize: file.size))
    let stateDict = try TorchStateDict(object, memory: memory, pickle: pickle)
    let (list, listMemory, _) = try next(PlainPickle())
    guard case .list(let index) = list else {
      throw TorchPickleFailure("the storage keys are \(list.summary), not a list")
    }
    var dataStart: [String: Int] = [:]
    var cursor = position
    for item in listMemory.lists[index] {
      guard case .string(let key) = item else { throw TorchPickleFailure("a storage key is \(item.summary)") }
      guard let storage = pickle.storages[key] else {
        throw TorchPickleFailure("storage key \(key) in the list is named by no tensor")
      }
      guard dataStart[key] == nil else { throw TorchPickleFailure("storage key \(key) is listed twice") }
      guard cursor <= file.size - 8 else {
        throw TorchPickleFailure(
          "the file ends (at byte \(file.size)) before storage \(key)'s element count: truncated")
      }
      let count = try file.bytes(8, at: cursor).reversed().reduce(0) { $0 << 8 | UInt64($1) }
      guard count == UInt64(storage.count) else {
        throw TorchPickleFailure(
          "storage \(key) holds \(Int64(bitPattern: count)) elements by its count at byte \(cursor); the pickle says \(storage.count)"
        )
      }
      let length = storage.count * storage.dtype.size
      guard length <= file.size - cursor - 8 else {
        throw TorchPickleFailure(
          "storage \(key)'s \(length) bytes from byte \(cursor + 8) run past the end of the file (\(file.size) bytes): truncated"
        )
      }
      dataStart[key] = cursor + 8
      cursor += 8 + length
    }
    if let missing = pickle.storageOrder.first(where: { dataStart[$0] == nil }) {
      throw TorchPickleFailure(
        "storage \(missing) is named in the pickle but not in the list of storage keys")
    }
    return (stateDict, dataStart)
  }
}
