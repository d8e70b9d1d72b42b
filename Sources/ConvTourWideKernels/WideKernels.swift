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
  /// `filters`, output rows i < `rows`, columns j < `columns` (at least 16), z [K, rows·columns].
  /// `padded` is the example with its zero border, rows of `width`; tap t = (c, l, m) of output
  /// pixel (0, 0) is at `offsets[t]`; W is [K, taps]. Four filters at a time, two blocks of
  /// sixteen pixels (a row's last blocks overlap the ones before: the same sums again).
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
    let outputs = rows * columns
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
          let (ja, jb) = (min(j, columns - 16), min(j + 16, columns - 16))
          let top = padded + i * width
          var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
          var (b0, b1, b2, b3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
          for t in 0..<taps {
            let tap = top + Int(offsets[t])
            let (u, v) = (load16(tap + ja), load16(tap + jb))
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
          let row = z + k0 * outputs + i * columns
          func store(_ k: Int, _ a: SIMD16<Float>, _ b: SIMD16<Float>) {
            guard k < stored else { return }
            let out = UnsafeMutableRawPointer(row + k * outputs)
            out.storeBytes(of: a, toByteOffset: ja * 4, as: SIMD16<Float>.self)
            out.storeBytes(of: b, toByteOffset: jb * 4, as: SIMD16<Float>.self)
          }
          store(0, a0, b0)
          store(1, a1, b1)
          store(2, a2, b2)
          store(3, a3, b3)
          j += 32
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
