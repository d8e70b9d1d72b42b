/// The state dict a torch.save pickle holds: tensor names in the file's order, each a contiguous
/// view of a storage. Made from the pickle's value once it has been read to its STOP.
struct TorchStateDict {
  var tensors: [(name: String, tensor: TorchTensor)]
  var storages: [String: TorchStorage]

  /// The top value must be a dict (an OrderedDict) of names to tensors, each name once. The
  /// tensors together may not hold more elements than the storages they view (tensors that
  /// overlap would make the allocation outgrow the file).
  init(_ value: PickleValue, memory: PickleMemory, pickle: TorchPickle) throws(TorchPickleFailure) {
    guard let items = memory.stringKeyed(value) else {
      throw TorchPickleFailure(
        "the object saved is \(value.summary) with string keys, not a state dict of tensors")
    }
    var seen = Set<String>()
    tensors = []
    for (name, item) in items {
      guard case .object(let index) = item, case .tensor(let tensor) = pickle.objects[index] else {
        throw TorchPickleFailure("entry \(name) is \(item.summary), not a tensor")
      }
      guard seen.insert(name).inserted else { throw TorchPickleFailure("entry \(name) appears twice") }
      tensors.append((name, tensor))
    }
    let used = Set(tensors.map(\.tensor.storage))
    storages = pickle.storages.filter { used.contains($0.key) }
    let stored = storages.values.reduce(0) { $0 + $1.count }
    var viewed = 0
    for item in tensors where viewed <= stored { viewed += item.tensor.count }
    guard viewed <= stored else {
      throw TorchPickleFailure(
        "the tensors overlap: \(viewed) elements in all, in storages of \(stored)")
    }
  }

  var entries: [WeightsEntry] {
    tensors.map {
      WeightsEntry(name: $0.name, dtype: storages[$0.tensor.storage]!.dtype, shape: $0.tensor.shape)
    }
  }
}
