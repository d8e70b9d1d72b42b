/// The client of the pickle machine for torch.save's state dicts: it allows exactly the globals
/// such files use — `collections.OrderedDict`, `torch._utils._rebuild_tensor` (2017's files) and
/// `_rebuild_tensor_v2`, and the typed storages `torch.FloatStorage`, `HalfStorage`,
/// `BFloat16Storage` and `DoubleStorage` — and turns their REDUCEs and persistent ids into
/// descriptions of storages and tensors, checked as they come. Nothing is called.
struct TorchPickle: PickleClient {
  /// The storage classes allowed, with the element type each holds.
  static let storageTypes: [String: WeightsDType] = [
    "FloatStorage": .float32, "HalfStorage": .float16, "BFloat16Storage": .bfloat16,
    "DoubleStorage": .float64,
  ]

  /// The legacy layout's persistent ids end with view_metadata (which must be None); the zip's
  /// have no such slot.
  enum Layout { case legacy, zip }

  let layout: Layout
  /// Bytes the file holds: no storage may need more.
  let fileSize: Int
  /// Every storage named, by key, in order of first mention.
  private(set) var storages: [String: TorchStorage] = [:]
  private(set) var storageOrder: [String] = []
  /// What `.object(i)` stands for.
  private(set) var objects: [Object] = []

  enum Object {
    case storage(String)
    case tensor(TorchTensor)
  }

  init(layout: Layout, fileSize: Int) {
    self.layout = layout
    self.fileSize = fileSize
  }

  func allows(module: String, name: String) -> Bool {
    switch module {
    case "collections": name == "OrderedDict"
    case "torch._utils": name == "_rebuild_tensor" || name == "_rebuild_tensor_v2"
    case "torch": Self.storageTypes[name] != nil
    default: false
    }
  }

  mutating func reduce(_ callable: PickleValue, _ arguments: PickleValue, memory: inout PickleMemory) throws
    -> PickleValue
  {
    let operands = memory.sequence(arguments) ?? []
    switch callable {
    case .global("collections", "OrderedDict"):
      // OrderedDict() in Python 3's pickles; OrderedDict([[key, value], …]) in Python 2's.
      guard let items = operands.first else { return memory.dict([]) }
      guard operands.count == 1, let pairs = memory.sequence(items) else {
        throw TorchPickleFailure("OrderedDict called with other than a list of pairs")
      }
      var entries: [(key: PickleValue, value: PickleValue)] = []
      for pair in pairs {
        guard let both = memory.sequence(pair), both.count == 2 else {
          throw TorchPickleFailure("OrderedDict called with an item that is not a pair")
        }
        entries.append((both[0], both[1]))
      }
      return memory.dict(entries)
    case .global("torch._utils", let name):
      let count = operands.count
      guard name == "_rebuild_tensor" ? count == 4 : (count == 6 || count == 7) else {
        throw TorchPickleFailure("torch._utils.\(name) called with \(count) arguments")
      }
      if name == "_rebuild_tensor_v2" {
        guard case .bool = operands[4] else {
          throw TorchPickleFailure("requires_grad is \(operands[4].summary)")
        }
        guard case .dict(let hooks) = operands[5], memory.dicts[hooks].isEmpty else {
          throw TorchPickleFailure("a tensor with backward hooks")
        }
      }
      return try tensor(operands, memory: memory)
    default:
      throw TorchPickleFailure("\(callable.summary) cannot be called")
    }
  }

  mutating func build(_ object: PickleValue, state: PickleValue, memory: inout PickleMemory) throws
    -> PickleValue
  {
    // A module's state_dict carries `_metadata` (versions of its submodules): ignored.
    guard case .dict = object, case .dict = state else {
      throw TorchPickleFailure(
        "BUILD on \(object.summary) with \(state.summary): only a state dict's _metadata")
    }
    return object
  }

  mutating func persistentLoad(_ id: PickleValue, memory: inout PickleMemory) throws -> PickleValue {
    let length = layout == .legacy ? 6 : 5
    guard let parts = memory.sequence(id), parts.count == length, parts[0] == .string("storage") else {
      throw TorchPickleFailure(
        "a persistent id that is not ('storage', type, key, location, size\(layout == .legacy ? ", view" : ""))"
      )
    }
    guard case .global("torch", let typeName) = parts[1], let dtype = Self.storageTypes[typeName] else {
      throw TorchPickleFailure("a storage of type \(parts[1].summary)")
    }
    guard case .string(let key) = parts[2], case .string = parts[3] else {
      throw TorchPickleFailure("a storage whose key or location is not a string")
    }
    guard case .int(let count) = parts[4], count >= 0 else {
      throw TorchPickleFailure("storage \(key) of \(parts[4].summary) elements")
    }
    guard count <= fileSize / dtype.size else {
      throw TorchPickleFailure(
        "storage \(key) of \(count) elements needs \(count) × \(dtype.size) bytes; the file has \(fileSize)")
    }
    if layout == .legacy, parts[5] != .none {
      throw TorchPickleFailure(
        "storage \(key) is a view of another (view_metadata is not None): not supported")
    }
    let storage = TorchStorage(key: key, dtype: dtype, count: count)
    if let known = storages[key] {
      guard known == storage else {
        throw TorchPickleFailure(
          "storage \(key) named twice, as \(known.dtype) × \(known.count) and \(dtype) × \(count)")
      }
    } else {
      storages[key] = storage
      storageOrder.append(key)
    }
    objects.append(.storage(key))
    return .object(objects.count - 1)
  }

  /// `_rebuild_tensor(storage, offset, size, stride, …)`.
  private mutating func tensor(_ operands: [PickleValue], memory: PickleMemory) throws -> PickleValue {
    guard case .object(let index) = operands[0], case .storage(let key) = objects[index],
      let storage = storages[key]
    else { throw TorchPickleFailure("a tensor rebuilt from \(operands[0].summary), not a storage") }
    guard case .int(let offset) = operands[1] else {
      throw TorchPickleFailure("a tensor's offset is \(operands[1].summary)")
    }
    func integers(_ value: PickleValue, _ what: String) throws -> [Int] {
      guard let items = memory.sequence(value) else {
        throw TorchPickleFailure("a tensor's \(what) is \(value.summary)")
      }
      return try items.map {
        guard case .int(let n) = $0 else {
          throw TorchPickleFailure("a tensor's \(what) holds \($0.summary)")
        }
        return n
      }
    }
    let tensor = try TorchTensor(
      storage: storage, offset: offset, size: try integers(operands[2], "size"),
      stride: try integers(operands[3], "stride"))
    objects.append(.tensor(tensor))
    return .object(objects.count - 1)
  }
}
