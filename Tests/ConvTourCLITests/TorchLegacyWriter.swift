import ConvTourEngine
import Foundation

/// Writes tensors as torch.save's legacy layout with Python 3's opcodes (BINUNICODE,
/// `_rebuild_tensor_v2`) and float16 storages, for end-to-end runs of the binary at a size no
/// committed fixture could have (VGG-16 at 32×32 is 38 million parameters).
enum TorchLegacyWriter {
  static func write(_ tensors: [(name: String, tensor: Tensor32)], to url: URL) throws {
    var file = Data([
      0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E,
    ])
    file += [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]
    file += [0x80, 0x02, 0x7D, 0x28] + text("protocol_version") + [0x4D, 0xE9, 0x03] + text("little_endian")
    file += [0x88] + text("type_sizes") + [0x7D, 0x28] + text("short") + int(2) + text("int") + int(4)
    file += text("long") + int(4) + [0x75, 0x75, 0x2E]
    file += [0x80, 0x02] + global("collections", "OrderedDict") + [0x29, 0x52, 0x28]
    for (key, (name, tensor)) in tensors.enumerated() {
      file += text(name) + global("torch._utils", "_rebuild_tensor_v2") + [0x28, 0x28] + text("storage")
      file += global("torch", "HalfStorage") + text("\(key)") + text("cpu") + int(tensor.values.count)
      file += [0x4E, 0x74, 0x51] + int(0) + tuple(tensor.shape) + tuple(stride(tensor.shape)) + [0x89]
      file += global("collections", "OrderedDict") + [0x29, 0x52, 0x74, 0x52]
    }
    file += [0x75, 0x2E, 0x80, 0x02, 0x5D, 0x28] + tensors.indices.flatMap { text("\($0)") } + [0x65, 0x2E]
    for (_, tensor) in tensors {
      file += withUnsafeBytes(of: Int64(tensor.values.count).littleEndian) { Data($0) }
      file += tensor.values.map { Float16($0) }.withUnsafeBytes { Data($0) }
    }
    try file.write(to: url)
  }

  /// The values as float16 gives them back: what the file holds.
  static func rounded(_ tensor: Tensor32) throws -> Tensor32 {
    try Tensor32(shape: tensor.shape, values: tensor.values.map { Float(Float16($0)) })
  }

  static func text(_ string: String) -> [UInt8] {
    let bytes = Array(string.utf8)
    return [0x58] + withUnsafeBytes(of: UInt32(bytes.count).littleEndian, Array.init) + bytes
  }

  static func int(_ value: Int) -> [UInt8] {
    [0x4A] + withUnsafeBytes(of: Int32(value).littleEndian, Array.init)
  }

  static func global(_ module: String, _ name: String) -> [UInt8] { Array("c\(module)\n\(name)\n".utf8) }

  static func tuple(_ values: [Int]) -> [UInt8] { [0x28] + values.flatMap(int) + [0x74] }

  static func stride(_ shape: [Int]) -> [Int] {
    shape.indices.map { shape[($0 + 1)...].reduce(1, *) }
  }
}
