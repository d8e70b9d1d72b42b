/// The small-filter convolution kernels of the fast path (`directProducts`,
/// `directWeightGradient` in ConvTourEngine) with sixteen lanes instead of eight, for processors
/// with AVX-512: this module alone is compiled for them, and the engine calls it only when the
/// processor has them (`FastPath.wideVectors`).
///
/// Every lane runs the same chain of fused multiply-adds, in the same order, as the eight-lane
/// kernels' lane for the same pixel: the results are the same bits on either kind of processor.
public enum WideKernels {
  @inline(__always)
  static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
  }

  @inline(__always)
  static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  /// z(k, i, j) = Σ_t W(k, t) · s(top_i + offsets[t] + j) for one example: filters k <
  /// `filters`, output rows i < `rows`, columns j < `columns` (at least 8), z [K, rows·columns].
  /// `padded` is the example with its zero border, rows of `width`; tap t = (c, l, m) of output
  /// pixel (0, 0) is at `offsets[t]`; W is [K, taps]. Sixteen lanes; rows of 8 to 15 pixels two
  /// rows to a vector (`twoRowProducts`).
  public static func products(
    padded: UnsafePointer<Float>, width: Int, offsets: UnsafePointer<Int32>, taps: Int,
    W: UnsafePointer<Float>, filters: Int, rows: Int, columns: Int, z: UnsafeMutablePointer<Float>
  ) {
    precondition(columns >= 8, "16-lane products need rows of 8 pixels or more")
    if columns < 16 {
      twoRowProducts(
        padded: padded, width: width, offsets: offsets, taps: taps, W: W, filters: filters, rows: rows,
        columns: columns, z: z)
      return
    }
    products(
      SIMD16<Float>.self, padded: padded, width: width, offsets: offsets, taps: taps, W: W, filters: filters,
      rows: rows, columns: columns, z: z)
  }

  /// `products` with V's lanes (8 for the engine's own kernel, compiled there for AVX2; 16 here):
  /// four filters at a time, two blocks of V's pixels (a row's last blocks overlap the ones
  /// before: the same sums again); rows of at least V's lanes. Every output is one chain of fused
  /// multiply-adds over the taps in W's order, whatever the lanes: the same bits either way.
  @inlinable
  public static func products<V: SIMD>(
    _ lanes: V.Type, padded: UnsafePointer<Float>, width: Int, offsets: UnsafePointer<Int32>, taps: Int,
    W: UnsafePointer<Float>, filters: Int, rows: Int, columns: Int, z: UnsafeMutablePointer<Float>
  ) where V.Scalar == Float {
    let (outputs, n) = (rows * columns, V.scalarCount)
    for k0 in Swift.stride(from: 0, to: filters, by: 4) {
      // Past the last filter, the last again (computed, not stored).
      let (f0, f1, f2, f3) = (
        W + k0 * taps, W + min(k0 + 1, filters - 1) * taps, W + min(k0 + 2, filters - 1) * taps,
        W + min(k0 + 3, filters - 1) * taps
      )
      let stored = min(4, filters - k0)
      for i in 0..<rows {
        var j = 0
        while j < columns {
          let (ja, jb) = (min(j, columns - n), min(j + n, columns - n))
          let top = padded + i * width
          var (a0, a1, a2, a3) = (V(), V(), V(), V())
          var (b0, b1, b2, b3) = (V(), V(), V(), V())
          for t in 0..<taps {
            let tap = UnsafeRawPointer(top + Int(offsets[t]))
            let u = tap.loadUnaligned(fromByteOffset: ja * 4, as: V.self)
            let v = tap.loadUnaligned(fromByteOffset: jb * 4, as: V.self)
            let (w0, w1) = (V(repeating: f0[t]), V(repeating: f1[t]))
            let (w2, w3) = (V(repeating: f2[t]), V(repeating: f3[t]))
            a0.addProduct(w0, u)
            b0.addProduct(w0, v)
            a1.addProduct(w1, u)
            b1.addProduct(w1, v)
            a2.addProduct(w2, u)
            b2.addProduct(w2, v)
            a3.addProduct(w3, u)
            b3.addProduct(w3, v)
          }
          let row = z + k0 * outputs + i * columns
          func store(_ k: Int, _ a: V, _ b: V) {
            guard k < stored else { return }
            let out = UnsafeMutableRawPointer(row + k * outputs)
            out.storeBytes(of: a, toByteOffset: ja * 4, as: V.self)
            out.storeBytes(of: b, toByteOffset: jb * 4, as: V.self)
          }
          store(0, a0, b0)
          store(1, a1, b1)
          store(2, a2, b2)
          store(3, a3, b3)
          j += 2 * n
        }
      }
    }
  }

  /// `products` for rows of 8 to 15 pixels: sixteen lanes hold two output rows, eight pixels of
  /// each — the eight-lane kernel's two blocks (pixels 0…7 and the row's last eight) for rows i
  /// and i + 1 (an odd last row twice: the same sums, stored twice).
  static func twoRowProducts(
    padded: UnsafePointer<Float>, width: Int, offsets: UnsafePointer<Int32>, taps: Int,
    W: UnsafePointer<Float>, filters: Int, rows: Int, columns: Int, z: UnsafeMutablePointer<Float>
  ) {
    let outputs = rows * columns
    let jb = columns - 8
    for k0 in Swift.stride(from: 0, to: filters, by: 4) {
      let (f0, f1, f2, f3) = (
        W + k0 * taps, W + min(k0 + 1, filters - 1) * taps, W + min(k0 + 2, filters - 1) * taps,
        W + min(k0 + 3, filters - 1) * taps
      )
      let stored = min(4, filters - k0)
      for i in Swift.stride(from: 0, to: rows, by: 2) {
        let next = min(i + 1, rows - 1)
        let (top, bottom) = (padded + i * width, padded + next * width)
        var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        var (b0, b1, b2, b3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        for t in 0..<taps {
          let offset = Int(offsets[t])
          let (upper, lower) = (top + offset, bottom + offset)
          let u = SIMD16(lowHalf: load8(upper), highHalf: load8(lower))
          let v = SIMD16(lowHalf: load8(upper + jb), highHalf: load8(lower + jb))
          let (w0, w1) = (SIMD16(repeating: f0[t]), SIMD16(repeating: f1[t]))
          let (w2, w3) = (SIMD16(repeating: f2[t]), SIMD16(repeating: f3[t]))
          a0.addProduct(w0, u)
          b0.addProduct(w0, v)
          a1.addProduct(w1, u)
          b1.addProduct(w1, v)
          a2.addProduct(w2, u)
          b2.addProduct(w2, v)
          a3.addProduct(w3, u)
          b3.addProduct(w3, v)
        }
        func store(_ k: Int, _ a: SIMD16<Float>, _ b: SIMD16<Float>) {
          guard k < stored else { return }
          let (first, second) = (
            UnsafeMutableRawPointer(z + (k0 + k) * outputs + i * columns),
            UnsafeMutableRawPointer(z + (k0 + k) * outputs + next * columns)
          )
          first.storeBytes(of: a.lowHalf, as: SIMD8<Float>.self)
          first.storeBytes(of: b.lowHalf, toByteOffset: jb * 4, as: SIMD8<Float>.self)
          second.storeBytes(of: a.highHalf, as: SIMD8<Float>.self)
          second.storeBytes(of: b.highHalf, toByteOffset: jb * 4, as: SIMD8<Float>.self)
        }
        store(0, a0, b0)
        store(1, a1, b1)
        store(2, a2, b2)
        store(3, a3, b3)
      }
    }
  }
}
