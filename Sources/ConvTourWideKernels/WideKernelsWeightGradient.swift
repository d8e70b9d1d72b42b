/// The sixteen-lane ∂L/∂W kernel of the small filter banks (`directWeightGradient`,
/// `blockedWeightGradient` in ConvTourEngine), the twin of the eight-lane `weightGradient8`.
extension WideKernels {
  /// One example's share of ∂L/∂W for the items (group of four filters, tap t) in `items`:
  ///   sums[k·taps + t] += Σ_{i,j} δ(k, i, j) · x(top_i + offsets[t] + j)
  /// in eight lanes per weight, lane l taking the pixels j ≡ l (mod 8). The eight-lane kernel
  /// keeps even blocks of eight in one set of sums and odd ones in another, added at the end;
  /// here one sixteen-lane sum holds both — its low half the even blocks, its high half the odd.
  /// `x` is the example's zero-bordered x (rows of `width`), `delta` its δ [K, rows·wide] with
  /// rows padded by zeros to `wide` (a multiple of 8), filters `plane` floats apart (rows·wide by
  /// default; a block of rows of larger δ planes passes theirs).
  public static func weightGradient(
    x: UnsafePointer<Float>, delta: UnsafePointer<Float>, offsets: UnsafePointer<Int>, taps: Int,
    filters: Int, items: Range<Int>, width: Int, rows: Int, wide: Int, plane: Int? = nil,
    sums: UnsafeMutablePointer<SIMD8<Float>>
  ) {
    let paddedOutputs = plane ?? rows * wide
    // Two taps of one group of filters at a time: they share δ's loads, and eight independent
    // sums keep the multiply-add units busy (four would wait on each other's results).
    var item = items.lowerBound
    while item < items.upperBound {
      let (group, t) = item.quotientAndRemainder(dividingBy: taps)
      // Four taps when four of one group are left: twice the sums, half the setup per tap.
      if item + 4 <= items.upperBound, t + 4 <= taps, wide % 16 == 0 {
        fourTaps(
          x: x, delta: delta, offsets: offsets, taps: taps, filters: filters, group: group, t: t,
          width: width, rows: rows, wide: wide, plane: paddedOutputs, sums: sums)
        item += 4
        continue
      }
      let paired = item + 1 < items.upperBound && t + 1 < taps
      let t2 = paired ? t + 1 : t  // alone: the same tap twice, stored once
      let filterGroup = FilterGroup(
        group, filters: filters, taps: taps, delta: delta, plane: paddedOutputs, sums: sums)
      let (d0, d1, d2, d3) = filterGroup.rows
      let start = filterGroup.start
      var (a0, a1, a2, a3) = (start(0, t), start(1, t), start(2, t), start(3, t))
      var (c0, c1, c2, c3) = (start(0, t2), start(1, t2), start(2, t2), start(3, t2))
      // Offsets in wrapping arithmetic: they are in bounds by construction, and the overflow
      // checks cost as much as the multiply-adds of a short row.
      let (blocks, tail) = (wide / 16, wide % 16 != 0)
      var (xRow, xRow2, dRow) = (x + offsets[t], x + offsets[t2], 0)
      for _ in 0..<rows {
        var j = 0
        for _ in 0..<blocks {
          let (u, v) = (load16(xRow + j), load16(xRow2 + j))
          let (e0, e1) = (load16(d0 + (dRow &+ j)), load16(d1 + (dRow &+ j)))
          let (e2, e3) = (load16(d2 + (dRow &+ j)), load16(d3 + (dRow &+ j)))
          a0.addProduct(e0, u)
          c0.addProduct(e0, v)
          a1.addProduct(e1, u)
          c1.addProduct(e1, v)
          a2.addProduct(e2, u)
          c2.addProduct(e2, v)
          a3.addProduct(e3, u)
          c3.addProduct(e3, v)
          j = j &+ 16
        }
        if tail {
          let (u, v) = (load8(xRow + j), load8(xRow2 + j))
          let (e0, e1) = (load8(d0 + (dRow &+ j)), load8(d1 + (dRow &+ j)))
          let (e2, e3) = (load8(d2 + (dRow &+ j)), load8(d3 + (dRow &+ j)))
          a0.lowHalf.addProduct(e0, u)
          c0.lowHalf.addProduct(e0, v)
          a1.lowHalf.addProduct(e1, u)
          c1.lowHalf.addProduct(e1, v)
          a2.lowHalf.addProduct(e2, u)
          c2.lowHalf.addProduct(e2, v)
          a3.lowHalf.addProduct(e3, u)
          c3.lowHalf.addProduct(e3, v)
        }
        xRow += width
        xRow2 += width
        dRow = dRow &+ wide
      }
      filterGroup.finish(t, a0, a1, a2, a3)
      if paired { filterGroup.finish(t2, c0, c1, c2, c3) }
      item += paired ? 2 : 1
    }
  }

  /// `weightGradient`'s items (group, t…t + 3), each weight's sum in the same order: rows of δ
  /// a whole number of sixteen-lane blocks, so no tail.
  static func fourTaps(
    x: UnsafePointer<Float>, delta: UnsafePointer<Float>, offsets: UnsafePointer<Int>, taps: Int,
    filters: Int, group: Int, t: Int, width: Int, rows: Int, wide: Int, plane: Int,
    sums: UnsafeMutablePointer<SIMD8<Float>>
  ) {
    let filterGroup = FilterGroup(
      group, filters: filters, taps: taps, delta: delta, plane: plane, sums: sums)
    let (d0, d1, d2, d3) = filterGroup.rows
    let start = filterGroup.start
    // a: tap t, b: t + 1, c: t + 2, e: t + 3; the digit is the filter.
    var (a0, a1, a2, a3) = (start(0, t), start(1, t), start(2, t), start(3, t))
    var (b0, b1, b2, b3) = (start(0, t + 1), start(1, t + 1), start(2, t + 1), start(3, t + 1))
    var (c0, c1, c2, c3) = (start(0, t + 2), start(1, t + 2), start(2, t + 2), start(3, t + 2))
    var (e0, e1, e2, e3) = (start(0, t + 3), start(1, t + 3), start(2, t + 3), start(3, t + 3))
    let (o1, o2, o3) = (offsets[t + 1] - offsets[t], offsets[t + 2] - offsets[t], offsets[t + 3] - offsets[t])
    var (xRow, dRow) = (x + offsets[t], 0)
    for _ in 0..<rows {
      var j = 0
      while j < wide {
        let (u, v, w, y) = (
          load16(xRow + j), load16(xRow + (o1 &+ j)), load16(xRow + (o2 &+ j)), load16(xRow + (o3 &+ j))
        )
        // Filter f's δ block against the four taps' x blocks.
        @inline(__always)
        func taps4(
          _ d: UnsafePointer<Float>, _ a: inout SIMD16<Float>, _ b: inout SIMD16<Float>,
          _ c: inout SIMD16<Float>, _ e: inout SIMD16<Float>
        ) {
          let f = load16(d + (dRow &+ j))
          a.addProduct(f, u)
          b.addProduct(f, v)
          c.addProduct(f, w)
          e.addProduct(f, y)
        }
        taps4(d0, &a0, &b0, &c0, &e0)
        taps4(d1, &a1, &b1, &c1, &e1)
        taps4(d2, &a2, &b2, &c2, &e2)
        taps4(d3, &a3, &b3, &c3, &e3)
        j = j &+ 16
      }
      xRow += width
      dRow = dRow &+ wide
    }
    filterGroup.finish(t, a0, a1, a2, a3)
    filterGroup.finish(t + 1, b0, b1, b2, b3)
    filterGroup.finish(t + 2, c0, c1, c2, c3)
    filterGroup.finish(t + 3, e0, e1, e2, e3)
  }

  /// A group of four filters in `WideKernels.weightGradient`: their rows of δ (past the last
  /// filter, the last again, computed but not stored) and their running sums of ∂L/∂W.
  struct FilterGroup {
    let k0: Int
    let stored: Int
    let taps: Int
    let rows: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)
    let sums: UnsafeMutablePointer<SIMD8<Float>>

    init(
      _ group: Int, filters: Int, taps: Int, delta: UnsafePointer<Float>, plane: Int,
      sums: UnsafeMutablePointer<SIMD8<Float>>
    ) {
      (k0, self.taps, self.sums) = (group * 4, taps, sums)
      stored = min(4, filters - k0)
      let d0 = delta + k0 * plane
      rows = (
        d0, d0 + plane * min(1, stored - 1), d0 + plane * min(2, stored - 1), d0 + plane * min(3, stored - 1)
      )
    }

    /// Filter k0 + k's sum for tap t so far, in the low half (0 past the last filter).
    func start(_ k: Int, _ t: Int) -> SIMD16<Float> {
      k < stored ? SIMD16(lowHalf: sums[(k0 + k) * taps + t], highHalf: SIMD8()) : SIMD16()
    }

    /// Tap t's sums back, each the eight-lane kernel's even blocks plus its odd ones.
    func finish(_ t: Int, _ a0: SIMD16<Float>, _ a1: SIMD16<Float>, _ a2: SIMD16<Float>, _ a3: SIMD16<Float>)
    {
      sums[k0 * taps + t] = a0.lowHalf + a0.highHalf
      if stored > 1 { sums[(k0 + 1) * taps + t] = a1.lowHalf + a1.highHalf }
      if stored > 2 { sums[(k0 + 2) * taps + t] = a2.lowHalf + a2.highHalf }
      if stored > 3 { sums[(k0 + 3) * taps + t] = a3.lowHalf + a3.highHalf }
    }
  }
}
