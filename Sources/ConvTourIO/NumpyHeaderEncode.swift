extension NumpyHeader {
  /// The magic, version, length and header `np.save` writes for a float32 array of `shape`, e.g.
  ///
  ///     \x93NUMPY \x01 \x00 \x76 \x00 {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }␣…␣\n
  ///
  /// As NumPy (1.24 and later) does: the dict, then 21 − (digits of the first dimension) spaces of
  /// room to grow that dimension in place, then spaces and a newline up to a multiple of 64 bytes
  /// from the start of the file — a full 64 spaces when it is already there. Format 1.0 unless
  /// the length does not fit its UInt16; then 2.0 (UInt32).
  static func encode(shape: [Int]) -> [UInt8] {
    let dimensions = shape.map(String.init)
    let tuple = "(" + dimensions.joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }"
    if let first = dimensions.first {
      dict += String(repeating: " ", count: max(0, 21 - first.count))
    }
    let text = Array(dict.utf8)
    let fitsVersion1 = paddedLength(text.count, lengthBytes: 2) <= Int(UInt16.max)
    let (version, lengthBytes): (UInt8, Int) = fitsVersion1 ? (1, 2) : (2, 4)
    let length = paddedLength(text.count, lengthBytes: lengthBytes)
    var bytes = magic + [version, 0]
    for i in 0..<lengthBytes {
      bytes.append(UInt8(truncatingIfNeeded: length >> (8 * i)))
    }
    bytes += text
    bytes += repeatElement(UInt8(ascii: " "), count: length - text.count - 1)
    bytes.append(UInt8(ascii: "\n"))
    return bytes
  }

  /// The header's length with its padding and newline, for a length field of `lengthBytes`.
  private static func paddedLength(_ textCount: Int, lengthBytes: Int) -> Int {
    let preamble = magic.count + 2 + lengthBytes
    return textCount + 1 + 64 - (preamble + textCount + 1) % 64
  }
}
