extension WideKernels {
  /// `products` for rows of 8 to 10 pixels, the rows packed end to end: two sixteen-lane vectors
  /// hold ⌊32 / W_out⌋ output rows (4 rows of 8, 3 of 9 or 10: 32, 27 or 30 lanes of 32 used,
  /// where `twoRowProducts` uses 16, 18 or 20). z's rows lie end to end too, so a vector's lanes
  /// are the group's pixels g = G₀ + L (G₀ = 0 or 16) in order: pixel g is row ⌊g / W_out⌋,
  /// column g mod W_out, and each vector spans two rows — one load from each, blended where the
  /// second begins. Every pixel gets the same chain of fused multiply-adds over the taps, in the
  /// same order, as in the other kernels: the same bits.
  ///
  /// Loads reach up to 32 floats past the last row of `padded` (for lanes past the group's last
  /// pixel, which are not stored): the caller leaves that much room after the example.
  static func packedRowProducts(
    padded: UnsafePointer<Float>, width: Int, offsets: UnsafePointer<Int32>, taps: Int,
    W: UnsafePointer<Float>, filters: Int, rows: Int, columns: Int, z: UnsafeMutablePointer<Float>
  ) {
    precondition((8...10).contains(columns) && rows >= 4, "packed rows are 8 to 10 pixels, 4 rows or more")
    let outputs = rows * columns
    let groupRows = 32 / columns
    // Vector v (G₀ = 16·v) begins in row first[v] of the group, lanes below split[v] from it.
    let first = (0, 16 / columns)
    let split = (columns, (16 / columns + 1) * columns - 16)
    let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    let (lowerMask, upperMask) = (lanes .< Int32(split.0), lanes .< Int32(split.1))
    for k0 in Swift.stride(from: 0, to: filters, by: 4) {
      // Past the last filter, the last again (computed, not stored).
      let (f0, f1, f2, f3) = (
        W + k0 * taps, W + min(k0 + 1, filters - 1) * taps, W + min(k0 + 2, filters - 1) * taps,
        W + min(k0 + 3, filters - 1) * taps
      )
      let stored = min(4, filters - k0)
      for i in Swift.stride(from: 0, to: rows, by: groupRows) {
        // Where lane 0 of each load is, before the tap's offset: row r's column (G₀ + L − r·W_out).
        func source(_ r: Int, _ start: Int) -> UnsafePointer<Float> {
          padded + min(i + r, rows - 1) * width + start - r * columns
        }
        let (u0, u1) = (source(first.0, 0), source(first.0 + 1, 0))
        let (v0, v1) = (source(first.1, 16), source(first.1 + 1, 16))
        var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        var (b0, b1, b2, b3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        for t in 0..<taps {
          let offset = Int(offsets[t])
          let u = load16(u0 + offset).replacing(with: load16(u1 + offset), where: .!lowerMask)
          let v = load16(v0 + offset).replacing(with: load16(v1 + offset), where: .!upperMask)
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
        // The group's pixels that exist: a last group may have fewer rows.
        let pixels = min(groupRows, rows - i) * columns
        func store(_ k: Int, _ a: SIMD16<Float>, _ b: SIMD16<Float>) {
          guard k < stored else { return }
          let out = z + (k0 + k) * outputs + i * columns
          storeLanes(a, count: min(16, pixels), to: out)
          storeLanes(b, count: min(16, pixels - 16), to: out + 16)
        }
        store(0, a0, b0)
        store(1, a1, b1)
        store(2, a2, b2)
        store(3, a3, b3)
      }
    }
  }

  /// Lanes 0..<count of `vector` to `out`.
  @inline(__always)
  static func storeLanes(_ vector: SIMD16<Float>, count: Int, to out: UnsafeMutablePointer<Float>) {
    if count == 16 {
      UnsafeMutableRawPointer(out).storeBytes(of: vector, as: SIMD16<Float>.self)
      return
    }
    var lane = 0
    if count >= 8 {
      UnsafeMutableRawPointer(out).storeBytes(of: vector.lowHalf, as: SIMD8<Float>.self)
      lane = 8
    }
    while lane < count {
      out[lane] = vector[lane]
      lane += 1
    }
  }
}
