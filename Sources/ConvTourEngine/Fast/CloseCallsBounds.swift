/// The bounds of `CloseCalls`: ‖W_k‖·tolerance per filter and ‖s‖ per output pixel's window,
/// computed eight lanes at a time, the workers taking ranges of filters or rows.
extension CloseCalls {
  /// ‖W_k‖·tolerance of each of `filters` filters of `taps` weights, the workers taking ranges
  /// of filters (`raisedSquares`).
  static func filterScales(_ W: UnsafePointer<Float>, filters: Int, taps: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: filters) { scales, count in
      let scales = scales.baseAddress!
      FastPath.forEachShare(filters, workers: FastPath.workers) { range in
        for k in range {
          scales[k] = finite(raisedSquares(W + k * taps, taps: taps).squareRoot() * Double(tolerance))
        }
      }
      count = filters
    }
  }

  /// Σ w² over a filter, in Double (the squares of weights of 1e30 would overflow float32 to an
  /// infinite bound; in Double a float32's square is exact), in sixteen lanes rather than one
  /// square after another: that rounds the sum differently, by at most (taps − 1)·2⁻⁵³ of it
  /// either way. So the sum is raised by (2·taps + 2)·2⁻⁵³ of itself (the 2 for the raise's own
  /// rounding): never below the one-by-one sum, so the bound marks the outputs that one marked,
  /// or a few more.
  static func raisedSquares(_ filter: UnsafePointer<Float>, taps: Int) -> Double {
    let raise = 1 + Double(2 * taps + 2) * 0x1p-53
    let weights = UnsafeRawPointer(filter)
    var (low, high) = (SIMD8<Double>(), SIMD8<Double>())
    var t = 0
    while t + 16 <= taps {
      let a = SIMD8<Double>(weights.loadUnaligned(fromByteOffset: 4 * t, as: SIMD8<Float>.self))
      let b = SIMD8<Double>(weights.loadUnaligned(fromByteOffset: 4 * t + 32, as: SIMD8<Float>.self))
      low.addProduct(a, a)
      high.addProduct(b, b)
      t += 16
    }
    var sum = (low + high).sum()
    while t < taps {
      let w = Double(filter[t])
      sum += w * w
      t += 1
    }
    return sum * raise
  }

  /// ‖s‖ of every output pixel's window: Σ_c s(c, r, q)² per input pixel, into a copy of the
  /// planes with a zero border as wide as the padding, then summed over each window tap by tap
  /// (rows l, then columns m) and rooted. A border tap adds +0 to a sum ≥ 0, which leaves it as
  /// it was: the same bits as skipping it. Eight pixels of a row at a time where they fit.
  /// The first pass also finds the largest |x|: when it is so large (over 2⁵⁰) that a window's
  /// sum of squares could overflow float32 to infinity, the squares are taken again of x scaled
  /// by a power of two (`squaringScale`), and the norms scaled back; a norm that is still not
  /// finite is 0 (`finite`). Unscaled, the squares are those of x itself, bit for bit.
  static func windowNorms(
    _ x: UnsafePointer<Float>, _ g: Convolution.Geometry, stride: Extent2D, padding: Extent2D
  ) -> [Float] {
    let (paddedWidth, paddedHeight) = (g.x.w + 2 * padding.columns, g.x.h + 2 * padding.rows)
    var squares = [Float](repeating: 0, count: g.x.n * paddedWidth * paddedHeight)
    let largest = sumSquares(x, g, padding: padding, scale: 1, into: &squares)
    let scale = squaringScale(largest: largest)
    if scale != 1 {
      squares = [Float](repeating: 0, count: squares.count)
      _ = sumSquares(x, g, padding: padding, scale: scale, into: &squares)
    }
    let outputs = g.z.h * g.z.w
    var norms = [Float](repeating: 0, count: g.x.n * outputs)
    squares.withUnsafeBufferPointer { squares in
      norms.withUnsafeMutableBufferPointer { norms in
        let (squares, norms) = (squares.baseAddress!, norms.baseAddress!)
        FastPath.forEachShare(g.x.n * g.z.h, workers: FastPath.workers) { rows in
          // A row's column sums over the window's f_h rows (stride 1 along a row).
          let columnSums = UnsafeMutablePointer<Float>.allocate(capacity: paddedWidth)
          defer { columnSums.deallocate() }
          for row in rows {
            let (e, i) = row.quotientAndRemainder(dividingBy: g.z.h)
            let top = squares + e * paddedWidth * paddedHeight + i * stride.rows * paddedWidth
            let out = norms + e * outputs + i * g.z.w
            if stride.columns == 1 {
              separableNorms(top, width: paddedWidth, g, columnSums: columnSums, into: out)
              continue
            }
            for j in 0..<g.z.w {
              var sum: Float = 0
              for l in 0..<g.fh {
                let line = top + l * paddedWidth + j * stride.columns
                for m in 0..<g.fw { sum += line[m] }
              }
              out[j] = sum.squareRoot()
            }
          }
        }
      }
    }
    if scale != 1 || norms.contains(where: { !$0.isFinite }) {
      for q in norms.indices { norms[q] = finite(Double(norms[q]) / Double(scale)) }
    }
    return norms
  }

  /// One row of window norms along which the windows move by one pixel, the sums split in two:
  /// each column's f_h squares first, then each window's f_w column sums (f_h + f_w adds per
  /// output instead of f_h·f_w), eight outputs at a time. That rounds the sums differently from
  /// one tap after another, by at most (taps − 1)·2⁻²⁴ of them either way, so each is raised by
  /// (2·taps + 2)·2⁻²⁴ of itself (the 2 for the raise's own rounding): never below the
  /// tap-by-tap sum, so the bounds mark the outputs that one marked, or a few more. Identical
  /// windows still get identical norms (the same squares added in the same order).
  static func separableNorms(
    _ top: UnsafePointer<Float>, width: Int, _ g: Convolution.Geometry,
    columnSums: UnsafeMutablePointer<Float>,
    into out: UnsafeMutablePointer<Float>
  ) {
    let columns = g.z.w + g.fw - 1
    var q = 0
    while q + 8 <= columns {
      var sum = SIMD8<Float>()
      for l in 0..<g.fh { sum += UnsafeRawPointer(top + l * width + q).loadUnaligned(as: SIMD8<Float>.self) }
      UnsafeMutableRawPointer(columnSums + q).storeBytes(of: sum, as: SIMD8<Float>.self)
      q += 8
    }
    for q in q..<columns {
      var sum: Float = 0
      for l in 0..<g.fh { sum += top[l * width + q] }
      columnSums[q] = sum
    }
    let raise = 1 + Float(2 * g.fh * g.fw + 2) * 0x1p-24
    var j = 0
    while j + 8 <= g.z.w {
      var sum = SIMD8<Float>()
      for m in 0..<g.fw { sum += UnsafeRawPointer(columnSums + j + m).loadUnaligned(as: SIMD8<Float>.self) }
      UnsafeMutableRawPointer(out + j).storeBytes(of: (sum * raise).squareRoot(), as: SIMD8<Float>.self)
      j += 8
    }
    for j in j..<g.z.w {
      var sum: Float = 0
      for m in 0..<g.fw { sum += columnSums[j + m] }
      out[j] = (sum * raise).squareRoot()
    }
  }

  /// The power of two by which x is scaled before it is squared, and the norms scaled back after:
  /// 1 for ordinary values (the same bits as no scaling), smaller when the largest |x| is so large
  /// (over 2⁵⁰) that a window's sum of squares would overflow float32 to infinity.
  static func squaringScale(largest: Float) -> Float {
    guard largest.isFinite, largest > 0x1p50 else { return 1 }
    return Float(sign: .plus, exponent: -largest.exponent, significand: 1)
  }

  /// squares[e, r + p_h, q + p_w] += Σ_c (s(c, r, q)·scale)², the workers taking ranges of rows
  /// (e, r), eight pixels at a time; returns the largest |x| (NaNs passed over).
  static func sumSquares(
    _ x: UnsafePointer<Float>, _ g: Convolution.Geometry, padding: Extent2D, scale: Float,
    into squares: inout [Float]
  ) -> Float {
    let plane = g.x.h * g.x.w
    let paddedWidth = g.x.w + 2 * padding.columns
    let paddedPlane = paddedWidth * (g.x.h + 2 * padding.rows)
    let workers = FastPath.workers
    // Rows whose sums fill about 32 KB.
    let runRows = max(1, (32 << 10) / (paddedWidth * MemoryLayout<Float>.stride))
    var largest = [Float](repeating: 0, count: workers)
    squares.withUnsafeMutableBufferPointer { squares in
      largest.withUnsafeMutableBufferPointer { largest in
        let (squares, largest) = (squares.baseAddress!, largest.baseAddress!)
        FastPath.forEachWorker(workers) { w in
          var widest = SIMD8<Float>()
          var widestTail: Float = 0
          let scales = SIMD8<Float>(repeating: scale)
          // Runs of up to `runRows` rows of one example, channel by channel: each channel's rows
          // of a run are one stretch of x, read in order (row by row, the 64 channels of conv1_2
          // were 64 short streams, each started cold), and the run's sums stay in cache.
          let share = FastPath.share(g.x.n * g.x.h, w, workers)
          var first = share.lowerBound
          while first < share.upperBound {
            let e = first / g.x.h
            let end = min(share.upperBound, (e + 1) * g.x.h, first + runRows)
            defer { first = end }
            for c in 0..<g.x.c {
              for row in first..<end {
                let r = row - e * g.x.h
                let target = squares + e * paddedPlane + (r + padding.rows) * paddedWidth + padding.columns
                let source = x + (e * g.x.c + c) * plane + r * g.x.w
                var q = 0
                while q + 8 <= g.x.w {
                  let v = UnsafeRawPointer(source + q).loadUnaligned(as: SIMD8<Float>.self)
                  let magnitude = v.replacing(with: -v, where: v .< 0)
                  widest.replace(with: magnitude, where: magnitude .> widest)
                  let s = scale == 1 ? v : v * scales
                  let sum = UnsafeRawPointer(target + q).loadUnaligned(as: SIMD8<Float>.self) + s * s
                  UnsafeMutableRawPointer(target + q).storeBytes(of: sum, as: SIMD8<Float>.self)
                  q += 8
                }
                for q in q..<g.x.w {
                  if abs(source[q]) > widestTail { widestTail = abs(source[q]) }
                  let s = scale == 1 ? source[q] : source[q] * scale
                  target[q] += s * s
                }
              }
            }
          }
          largest[w] = max(widestTail, widest.max())
        }
      }
    }
    return largest.max() ?? 0
  }
}
