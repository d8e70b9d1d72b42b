import ConvTourWideKernels

/// ∂L/∂W of small filter banks on small images (the convolutions `computesDirectly` takes),
/// straight from x and δ, with no im2col and no sgemm:
///   ∂L/∂W(k, c, l, m) = Σ_e Σ_i Σ_j δ(e, k, i, j) · x(e, c, i + l − p_h, j + m − p_w)
/// Eight pixels of a row of δ are one SIMD vector (sixteen at a time, in two sets of sums); four
/// filters share each load of x. δ's rows
/// are copied with zeros up to a multiple of eight, x with a zero border (and eight more zero
/// columns, which the last lanes of a row read). Each weight has one accumulator of eight lanes,
/// summed over the examples in order, then across its lanes: the workers take ranges of (group
/// of filters, tap), so the thread count does not change the order of any sum.
extension FastConvolution {
  func directWeightGradient(x: Tensor32, delta: Tensor32, _ g: Convolution.Geometry) -> Tensor32 {
    let (ph, pw) = (padding.rows, padding.columns)
    let width = g.x.w + 2 * pw + 8
    let plane = width * (g.x.h + 2 * ph)
    let wide = (g.z.w + 7) / 8 * 8
    let (outputs, paddedOutputs) = (g.z.h * g.z.w, g.z.h * wide)
    let taps = g.x.c * g.fh * g.fw
    let workers = FastPath.workers
    // Every float of both copies is written once below — the image or zero — with no fill first.
    var paddedX = [Float](unsafeUninitializedCapacity: g.x.n * g.x.c * plane) { $1 = $0.count }
    // δ's rows start on 64-byte boundaries whenever `wide` is a multiple of 16 (the sixteen-lane
    // kernel's loads then never straddle two cache lines).
    let deltaCount = g.x.n * g.k * paddedOutputs
    let paddedDelta = UnsafeMutableRawPointer.allocate(byteCount: max(1, deltaCount) * 4, alignment: 64)
      .bindMemory(to: Float.self, capacity: max(1, deltaCount))
    defer { paddedDelta.deallocate() }
    var sums = [SIMD8<Float>](repeating: SIMD8(), count: g.k * taps)
    let offsets = Self.tapOffsets(g, width: width, plane: plane)
    x.values.withUnsafeBufferPointer { xp in
      delta.values.withUnsafeBufferPointer { dp in
        paddedX.withUnsafeMutableBufferPointer { px in
          do {
            let (xBase, dBase, pxBase, pdBase) = (
              xp.baseAddress!, dp.baseAddress!, px.baseAddress!, paddedDelta
            )
            FastPath.forEachShare(g.x.n, workers: workers) { examples in
              for e in examples {
                for c in 0..<g.x.c {
                  let (source, target) = (
                    xBase + (e * g.x.c + c) * g.x.h * g.x.w, pxBase + (e * g.x.c + c) * plane
                  )
                  // Zero border: ph rows above and below, pw columns left, pw + 8 right.
                  target.update(repeating: 0, count: ph * width)
                  (target + (ph + g.x.h) * width).update(repeating: 0, count: ph * width)
                  for r in 0..<g.x.h {
                    let row = target + (r + ph) * width
                    row.update(repeating: 0, count: pw)
                    FastPath.copy(source + r * g.x.w, to: row + pw, count: g.x.w)
                    (row + pw + g.x.w).update(repeating: 0, count: width - pw - g.x.w)
                  }
                }
                for k in 0..<g.k {
                  let (source, target) = (
                    dBase + (e * g.k + k) * outputs, pdBase + (e * g.k + k) * paddedOutputs
                  )
                  for i in 0..<g.z.h {
                    FastPath.copy(source + i * g.z.w, to: target + i * wide, count: g.z.w)
                    (target + i * wide + g.z.w).update(repeating: 0, count: wide - g.z.w)
                  }
                }
              }
            }
          }
        }
      }
    }
    paddedX.withUnsafeBufferPointer { px in
      do {
        sums.withUnsafeMutableBufferPointer { sp in
          let (pxBase, pdBase, sBase) = (px.baseAddress!, UnsafePointer(paddedDelta), sp.baseAddress!)
          let groups = (g.k + 3) / 4
          let wide16 = FastPath.wideVectors
          FastPath.forEachShare(groups * taps, workers: workers) { items in
            offsets.withUnsafeBufferPointer { offsets in
              for e in 0..<g.x.n {
                let kernel = wide16 ? WideKernels.weightGradient : Self.weightGradient8
                kernel(
                  pxBase + e * g.x.c * plane, pdBase + e * g.k * paddedOutputs, offsets.baseAddress!, taps,
                  g.k,
                  items, width, g.z.h, wide, nil, sBase)
              }
            }
          }
        }
      }
    }
    return Self.weights(summing: sums, g)
  }

  /// The eight-lane twin of `WideKernels.weightGradient` (the same parameters, the same sums in
  /// the same order): one example's share of ∂L/∂W for the items (group of four filters, tap t).
  static func weightGradient8(
    x: UnsafePointer<Float>, delta: UnsafePointer<Float>, offsets: UnsafePointer<Int>, taps: Int,
    filters: Int, items: Range<Int>, width: Int, rows: Int, wide: Int, plane: Int?,
    sums sBase: UnsafeMutablePointer<SIMD8<Float>>
  ) {
    let paddedOutputs = plane ?? rows * wide
    for item in items {
      let (group, t) = item.quotientAndRemainder(dividingBy: taps)
      let k0 = group * 4
      let stored = min(4, filters - k0)
      // Four filters' rows of δ; past the last filter, the last again (not stored).
      let d0 = delta + k0 * paddedOutputs
      let (d1, d2, d3) = (
        d0 + paddedOutputs * min(1, stored - 1), d0 + paddedOutputs * min(2, stored - 1),
        d0 + paddedOutputs * min(3, stored - 1)
      )
      let source = x + offsets[t]
      var (a0, a1, a2, a3) = (sBase[k0 * taps + t], SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
      if stored > 1 { a1 = sBase[(k0 + 1) * taps + t] }
      if stored > 2 { a2 = sBase[(k0 + 2) * taps + t] }
      if stored > 3 { a3 = sBase[(k0 + 3) * taps + t] }
      // Odd blocks of eight in a second set of sums (eight chains of fused multiply-adds in
      // flight), added to the first at the end of the example.
      var (b0, b1, b2, b3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
      func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
      }
      for i in 0..<rows {
        let (xRow, dRow) = (source + i * width, i * wide)
        var j = 0
        while j + 16 <= wide {
          let (u, v) = (load(xRow + j), load(xRow + j + 8))
          a0.addProduct(load(d0 + dRow + j), u)
          b0.addProduct(load(d0 + dRow + j + 8), v)
          a1.addProduct(load(d1 + dRow + j), u)
          b1.addProduct(load(d1 + dRow + j + 8), v)
          a2.addProduct(load(d2 + dRow + j), u)
          b2.addProduct(load(d2 + dRow + j + 8), v)
          a3.addProduct(load(d3 + dRow + j), u)
          b3.addProduct(load(d3 + dRow + j + 8), v)
          j += 16
        }
        if j < wide {
          let u = load(xRow + j)
          a0.addProduct(load(d0 + dRow + j), u)
          a1.addProduct(load(d1 + dRow + j), u)
          a2.addProduct(load(d2 + dRow + j), u)
          a3.addProduct(load(d3 + dRow + j), u)
        }
      }
      (a0, a1, a2, a3) = (a0 + b0, a1 + b1, a2 + b2, a3 + b3)
      sBase[k0 * taps + t] = a0
      if stored > 1 { sBase[(k0 + 1) * taps + t] = a1 }
      if stored > 2 { sBase[(k0 + 2) * taps + t] = a2 }
      if stored > 3 { sBase[(k0 + 3) * taps + t] = a3 }
    }
  }
}
