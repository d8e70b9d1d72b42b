/// Float32 elements stored little-endian, four bytes each, as safetensors (F32) and NumPy (`<f4`)
/// keep them. Moved between files and `[Float]` storage as one block, never element by element;
/// swapped only on a big-endian host. Shared by the safetensors and `.npy` code.
enum LittleEndianFloat32 {
  /// `count` floats whose bytes `fill` writes into the new array's storage (`count` × 4 bytes,
  /// e.g. straight from a file).
  static func floats(
    count: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void
  ) rethrows -> [Float] {
    let values = try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      try fill(UnsafeMutableRawBufferPointer(buffer))
      initialized = count
    }
    #if _endian(big)
      return values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
    #else
      return values
    #endif
  }

  /// Calls `body` with the little-endian bytes of `values`: the array's own storage on a
  /// little-endian host, a swapped copy on a big-endian one.
  static func withBytes<Result>(
    of values: [Float], _ body: (UnsafeRawBufferPointer) throws -> Result
  ) rethrows -> Result {
    #if _endian(big)
      let swapped = values.map { Float(bitPattern: $0.bitPattern.littleEndian) }
      return try swapped.withUnsafeBytes(body)
    #else
      return try values.withUnsafeBytes(body)
    #endif
  }
}
