/// What a torch.save pickle says of a storage: its element type and element count, keyed by the
/// name under which its bytes are stored (a zip entry `data/KEY`, or a key of the legacy layout's
/// list).
struct TorchStorage: Equatable {
  var key: String
  var dtype: WeightsDType
  var count: Int
}

/// What a torch.save pickle says of one tensor: a contiguous view of `count` elements of a
/// storage, starting at element `offset`.
struct TorchTensor: Equatable {
  var storage: String
  var offset: Int
  var shape: [Int]

  var count: Int { shape.reduce(1, *) }

  /// Checks `_rebuild_tensor`'s operands against the storage and makes the record: sizes not
  /// negative, strides those of a contiguous tensor (as torch's `is_contiguous` decides: a
  /// dimension of size 1 may have any stride), and the elements inside the storage.
  init(storage: TorchStorage, offset: Int, size: [Int], stride: [Int]) throws(TorchPickleFailure) {
    guard size.count == stride.count else {
      throw TorchPickleFailure("a tensor of \(size.count) sizes and \(stride.count) strides")
    }
    guard size.count <= 16 else { throw TorchPickleFailure("a tensor of \(size.count) dimensions") }
    var count = 1
    for dimension in size {
      guard dimension >= 0 else { throw TorchPickleFailure("a tensor of size \(size): a negative size") }
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      guard !overflow, product <= storage.count || dimension == 0 else {
        throw TorchPickleFailure(
          "a tensor of size \(size) holds more elements than its storage \(storage.key) (\(storage.count))")
      }
      count = product
    }
    var expected = 1
    for (dimension, step) in zip(size, stride).reversed() where dimension != 1 {
      guard count == 0 || step == expected else {
        throw TorchPickleFailure(
          "a tensor of size \(size) with stride \(stride) is not contiguous (expected stride \(Self.contiguousStride(size)))"
        )
      }
      expected *= dimension
    }
    guard offset >= 0, offset <= storage.count - count else {
      throw TorchPickleFailure(
        "a tensor of \(count) elements at offset \(offset) runs past the end of storage \(storage.key) (\(storage.count) elements)"
      )
    }
    self.storage = storage.key
    self.offset = offset
    self.shape = size
  }

  static func contiguousStride(_ size: [Int]) -> [Int] {
    var result = [Int](repeating: 1, count: size.count)
    for axis in size.indices.dropLast().reversed() { result[axis] = result[axis + 1] &* size[axis + 1] }
    return result
  }
}

/// A problem with a torch.save pickle's content, said in words; the file layer adds the file.
struct TorchPickleFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
