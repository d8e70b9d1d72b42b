/// The nine taps of eight consecutive channels' 3×3 filters for the filter transforms: with
/// g = W[k, c…c+7], 72 contiguous floats, tap j = (g[j], g[9 + j], …, g[63 + j]). Nine vector
/// loads, the taps shuffled out of them, instead of 72 single-float loads (which the transforms'
/// time went to).
struct EightChannelTaps {
  let v0, v1, v2, v3, v4, v5, v6, v7, v8: SIMD8<Float>

  @inline(__always)
  init(_ g: UnsafePointer<Float>) {
    let raw = UnsafeRawPointer(g)
    @inline(__always) func load(_ i: Int) -> SIMD8<Float> {
      raw.loadUnaligned(fromByteOffset: 32 * i, as: SIMD8<Float>.self)
    }
    (v0, v1, v2, v3, v4, v5, v6, v7, v8) = (
      load(0), load(1), load(2), load(3), load(4), load(5), load(6), load(7), load(8)
    )
  }

  /// Float n of the 72.
  @inline(__always)
  func float(_ n: Int) -> Float {
    switch n / 8 {
    case 0: return v0[n % 8]
    case 1: return v1[n % 8]
    case 2: return v2[n % 8]
    case 3: return v3[n % 8]
    case 4: return v4[n % 8]
    case 5: return v5[n % 8]
    case 6: return v6[n % 8]
    case 7: return v7[n % 8]
    default: return v8[n % 8]
    }
  }

  /// Tap j (0…8) of the eight channels.
  @inline(__always)
  subscript(_ j: Int) -> SIMD8<Float> {
    SIMD8(
      float(j), float(9 + j), float(18 + j), float(27 + j), float(36 + j), float(45 + j), float(54 + j),
      float(63 + j))
  }
}
