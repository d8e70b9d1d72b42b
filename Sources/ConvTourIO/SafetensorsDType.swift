/// The element types a safetensors header may name (the reference implementation's `Dtype`), with
/// the size of one element in bits: F4 and the F6 types pack below a byte, so a tensor's byte
/// length is `elements × bits / 8`, which must come out whole. Only F32 can be read into a
/// `Tensor32`; the others are known so that `Safetensors.header` can describe any valid file.
enum SafetensorsDType {
  static let bits: [String: Int] = [
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8,
    "F8_E8M0": 8, "I16": 16, "U16": 16, "F16": 16, "BF16": 16, "I32": 32, "U32": 32, "F32": 32,
    "C64": 64, "F64": 64, "I64": 64, "U64": 64,
  ]

  /// The size of `elements` elements of `dtype` (a known one).
  enum Size: Equatable {
    case bytes(Int)
    /// More bytes than `Int` counts.
    case overflow
    /// A sub-byte type whose elements end inside a byte (F4 × 3 is 12 bits).
    case partialByte(bits: Int)
  }

  static func size(elements: Int, dtype: String) -> Size {
    let bits = self.bits[dtype] ?? 8
    if bits % 8 == 0 {
      let (total, overflow) = elements.multipliedReportingOverflow(by: bits / 8)
      return overflow ? .overflow : .bytes(total)
    }
    let (total, overflow) = elements.multipliedReportingOverflow(by: bits)
    if overflow { return .overflow }
    return total % 8 == 0 ? .bytes(total / 8) : .partialByte(bits: total)
  }
}
