/// The element types a weights file may hold: float32, read as it is, and float16, bfloat16 and
/// float64, converted to float32 on load (float64 rounds to nearest, as torch's `.float()` does;
/// float16 and bfloat16 convert exactly). Elements are little-endian in every format read here.
public enum WeightsDType: String, Sendable, CaseIterable {
  case float32, float16, bfloat16, float64

  /// Bytes per element.
  public var size: Int {
    switch self {
    case .float32: 4
    case .float16, .bfloat16: 2
    case .float64: 8
    }
  }

  /// safetensors' spelling of the dtypes read here (F32, F16, BF16, F64).
  init?(safetensors name: String) {
    switch name {
    case "F32": self = .float32
    case "F16": self = .float16
    case "BF16": self = .bfloat16
    case "F64": self = .float64
    default: return nil
    }
  }

  /// `count` elements as float32, from the bytes `fill` writes (`count` × `size` of them, e.g.
  /// straight from a file): float32 lands in the result's own storage; the others are read into
  /// a buffer and converted.
  func floats(count: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> [Float] {
    if self == .float32 { return try LittleEndianFloat32.floats(count: count, fill) }
    let raw = try [UInt8](unsafeUninitializedCapacity: count * size) { buffer, initialized in
      try fill(UnsafeMutableRawBufferPointer(buffer))
      initialized = count * size
    }
    return raw.withUnsafeBytes { bytes in
      [Float](unsafeUninitializedCapacity: count) { out, initialized in
        switch self {
        case .float16:
          for i in 0..<count {
            out[i] = Float(
              Self.half(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
          }
        case .bfloat16:
          for i in 0..<count {
            let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            out[i] = Float(bitPattern: UInt32(bits) << 16)
          }
        case .float64:
          for i in 0..<count {
            out[i] = Float(
              Double(
                bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
            )
          }
        case .float32: break
        }
        initialized = count
      }
    }
  }

  /// An IEEE half's value (exact: every half is a float32).
  static func half(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 == 0 ? 1 : -1
    let exponent = Int(bits >> 10 & 0x1F)
    let fraction = Float(bits & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 0x1F: return fraction == 0 ? sign * .infinity : .nan
    default:
      return sign * (1 + fraction * 0x1p-10) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
  }
}
