/// ReLU close calls, recomputed in Double.
extension CloseCalls {
  /// Pre-ReLU outputs found within their bound of 0 (`nearZero`, offsets in z, emptied here),
  /// recomputed in Double from their input windows gathered from x — the values of their im2col
  /// columns, in the same order (c, l, m), zeros in the border — then ReLU. Each Double sum runs
  /// in order from b, tap by tap: where z cancels to 1e-8 the order shows in float32's last bit,
  /// and this is the Double value `CloseCallsTests` holds it to. (An output whose window repeats
  /// an earlier one then gets that one's value, `IdenticalWindows`: where it differs, both are
  /// beyond their bounds, so the sign is right either way.)
  ///
  /// Four outputs at a time, their four sums side by side: each sum still adds its terms one
  /// after another, but the four chains of additions overlap. (Summed from the im2col tile, one
  /// output at a time, each term waited on the one before and on a load from a different cache
  /// line of a 4 MB tile: conv4_3's 88 took 1.2–2 ms.)
  func decideReLU(
    _ nearZero: inout [Int], x: UnsafePointer<Float>, z: UnsafeMutablePointer<Float>, W: UnsafePointer<Float>,
    b: [Float]
  ) {
    guard !nearZero.isEmpty else { return }
    let (outputs, rows) = (g.z.h * g.z.w, g.x.c * g.fh * g.fw)
    let windows = UnsafeMutablePointer<Float>.allocate(capacity: 4 * rows)
    defer { windows.deallocate() }
    for start in Swift.stride(from: 0, to: nearZero.count, by: 4) {
      // Slots past the last output repeat the first: computed and dropped.
      let group = (0..<4).map { nearZero[start + ($0 < nearZero.count - start ? $0 : 0)] }
      var filters = (W, W, W, W)
      var sums = SIMD4<Double>()
      for (slot, o) in group.enumerated() {
        let (ek, p) = o.quotientAndRemainder(dividingBy: outputs)
        let (e, k) = ek.quotientAndRemainder(dividingBy: g.k)
        gather(example: e, pixel: p, x: x, into: windows + slot * rows)
        sums[slot] = Double(b[k])
        switch slot {
        case 0: filters.0 = W + k * rows
        case 1: filters.1 = W + k * rows
        case 2: filters.2 = W + k * rows
        default: filters.3 = W + k * rows
        }
      }
      let (w0, w1, w2, w3) = (windows, windows + rows, windows + 2 * rows, windows + 3 * rows)
      var (s0, s1, s2, s3) = (sums[0], sums[1], sums[2], sums[3])
      for r in 0..<rows {
        s0 += Double(filters.0[r]) * Double(w0[r])
        s1 += Double(filters.1[r]) * Double(w1[r])
        s2 += Double(filters.2[r]) * Double(w2[r])
        s3 += Double(filters.3[r]) * Double(w3[r])
      }
      sums = SIMD4(s0, s1, s2, s3)
      for slot in 0..<min(4, nearZero.count - start) { z[group[slot]] = max(Float(sums[slot]), 0) }
    }
    nearZero.removeAll(keepingCapacity: true)
  }
}
