/// The transforms of Winograd's F(4×4, 3×3) (Lavin & Gray 2015, interpolation points 0, ±1, ±2, ∞):
/// each 4×4 block of outputs Y comes from a 6×6 tile d of the padded input (tiles overlap by 2),
///   Y = Aᵀ [ Σ_c (G g Gᵀ) ⊙ (Bᵀ d B) ] A,
/// with Bᵀ, G and Aᵀ as written in `WinogradMatrices.f4` (the kernels below unroll them; tests
/// check one against the other).
/// 36 multiplies per 16 outputs and channel pair (2.25 each) instead of F(2×2, 3×3)'s 4; the
/// filters take 36 floats instead of 16, so it pays on large images, where the GEMMs dominate.
/// The points ±2 make its rounding error larger than F(2×2)'s (the tests hold both to 1e-4 of
/// the reference's largest value; over the whole VGG-16 the logits stay within 3e-6 of PyTorch).
extension FastWinograd.Plan {
  typealias Six<V> = (V, V, V, V, V, V)

  /// Bᵀ e for a column e of six values (vectors of tiles or columns).
  @inline(__always)
  static func inputTransform<V: SIMD>(_ e: Six<V>) -> Six<V> where V.Scalar == Float {
    let (e0, e1, e2, e3, e4, e5) = e
    return (
      4 * e0 - 5 * e2 + e4, e3 + e4 - 4 * (e1 + e2), 4 * (e1 - e2) + e4 - e3, 2 * (e3 - e1) + e4 - e2,
      2 * (e1 - e3) + e4 - e2, 4 * e1 - 5 * e3 + e5
    )
  }

  /// Aᵀ m for a column m of six values.
  @inline(__always)
  static func outputTransform(_ m: Six<SIMD4<Float>>) -> (
    SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>
  ) {
    let (m0, m1, m2, m3, m4, m5) = m
    let (sum12, difference12, sum34, difference34) = (m1 + m2, m1 - m2, m3 + m4, m3 - m4)
    return (
      m0 + sum12 + sum34, difference12 + 2 * difference34, sum12 + 4 * sum34,
      difference12 + 8 * difference34 + m5
    )
  }

  /// G g for a column g of three values.
  @inline(__always)
  static func filterTransform(_ g0: SIMD8<Float>, _ g1: SIMD8<Float>, _ g2: SIMD8<Float>) -> Six<SIMD8<Float>>
  {
    let (outer, sixth) = (g0 + g2, SIMD8<Float>(repeating: 1 / 6))
    let near = g0 * (1 / 24) + g2 * (1 / 6)
    return (
      g0 * 0.25, -sixth * (outer + g1), sixth * (g1 - outer), near + g1 * (1 / 12), near - g1 * (1 / 12), g2
    )
  }

  /// V[ξ][c][i] = (Bᵀ d B)[ξ], ξ = 6a + b, for the tiles (t_y, t_x), t_x in `tx`, i = t_x − tx₀,
  /// of one row of tiles of one channel `plane` [H, W]; d is the 6×6 window of the input padded by
  /// 1 at rows 4t_y − 1 … 4t_y + 4 and columns 4t_x − 1 … 4t_x + 4. `v` points at V[0][c][offset].
  ///
  /// First Bᵀ down the columns: six rows s_a of column sums over the padded columns of the
  /// segment; then Bᵀ along each s_a, four tiles at a time (their columns 4i … 4i + 5).
  @inline(__always)
  func transformInput4(
    _ plane: UnsafePointer<Float>, tileRow ty: Int, tileColumns tx: Range<Int>, zeroRow: UnsafePointer<Float>,
    sums: UnsafeMutablePointer<Float>, into v: UnsafeMutablePointer<Float>, stride: Int
  ) {
    let r = 4 * ty - 1
    @inline(__always) func row(_ k: Int) -> UnsafePointer<Float> {
      r + k >= 0 && r + k < height ? plane + (r + k) * width : zeroRow
    }
    let rows = (row(0), row(1), row(2), row(3), row(4), row(5))
    let s = (
      sums, sums + rowFloats, sums + 2 * rowFloats, sums + 3 * rowFloats, sums + 4 * rowFloats,
      sums + 5 * rowFloats
    )
    // Padded columns q = j + 1 in lo..<hi; s_a[q − lo].
    let lo = 4 * tx.lowerBound
    let hi = 4 * tx.upperBound + 2
    let first = max(lo, 1)
    let last = max(first, min(hi, width + 1))
    @inline(__always) func zero(_ range: Range<Int>) {
      for q in range {
        (s.0[q - lo], s.1[q - lo], s.2[q - lo], s.3[q - lo], s.4[q - lo], s.5[q - lo]) = (0, 0, 0, 0, 0, 0)
      }
    }
    zero(lo..<first)
    var q = first
    while q + 4 <= last {
      @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD4<Float> { Self.load4(p + (q - 1)) }
      let t = Self.inputTransform(
        (load(rows.0), load(rows.1), load(rows.2), load(rows.3), load(rows.4), load(rows.5)))
      let o = q - lo
      Self.store(t.0, s.0 + o)
      Self.store(t.1, s.1 + o)
      Self.store(t.2, s.2 + o)
      Self.store(t.3, s.3 + o)
      Self.store(t.4, s.4 + o)
      Self.store(t.5, s.5 + o)
      q += 4
    }
    while q < last {
      @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD4<Float> { SIMD4(repeating: p[q - 1]) }
      let t = Self.inputTransform(
        (load(rows.0), load(rows.1), load(rows.2), load(rows.3), load(rows.4), load(rows.5)))
      let o = q - lo
      (s.0[o], s.1[o], s.2[o], s.3[o], s.4[o], s.5[o]) = (t.0[0], t.1[0], t.2[0], t.3[0], t.4[0], t.5[0])
      q += 1
    }
    zero(last..<hi)

    let count = tx.count
    for a in 0..<6 {
      let sa = sums + a * rowFloats
      let va = v + 6 * a * stride
      var i = 0
      // Four tiles: columns 4i + k of tile i are lanes 4·(tile) + k of the 16 floats from 4i, and
      // columns 4i + 4, 4i + 5 lanes 0 and 1 of the 16 from 4i + 4 (the rest is unused slack).
      while i + 4 <= count {
        let here = UnsafeRawPointer(sa + 4 * i).loadUnaligned(as: SIMD16<Float>.self)
        let next = UnsafeRawPointer(sa + 4 * i + 4).loadUnaligned(as: SIMD16<Float>.self)
        let e = (
          here.evenHalf.evenHalf, here.oddHalf.evenHalf, here.evenHalf.oddHalf, here.oddHalf.oddHalf,
          next.evenHalf.evenHalf, next.oddHalf.evenHalf
        )
        let t = Self.inputTransform(e)
        Self.store(t.0, va + i)
        Self.store(t.1, va + stride + i)
        Self.store(t.2, va + 2 * stride + i)
        Self.store(t.3, va + 3 * stride + i)
        Self.store(t.4, va + 4 * stride + i)
        Self.store(t.5, va + 5 * stride + i)
        i += 4
      }
      while i < count {
        let c = sa + 4 * i
        let t = Self.inputTransform(
          (
            SIMD4(repeating: c[0]), SIMD4(repeating: c[1]), SIMD4(repeating: c[2]), SIMD4(repeating: c[3]),
            SIMD4(repeating: c[4]), SIMD4(repeating: c[5])
          ))
        (va[i], va[stride + i], va[2 * stride + i]) = (t.0[0], t.1[0], t.2[0])
        (va[3 * stride + i], va[4 * stride + i], va[5 * stride + i]) = (t.3[0], t.4[0], t.5[0])
        i += 1
      }
    }
  }

  /// The outputs of one row of tiles of one output channel: Y = Aᵀ M A (+ bias, then ReLU when
  /// `relu`) into rows 4t_y … 4t_y + 3 of `plane` [H, W], without what sticks out of the image.
  /// `m` points at M[0][k][offset]; consecutive ξ are `stride` apart. With `clear`, M is left at 0.
  @inline(__always)
  func transformOutput4(
    _ m: UnsafeMutablePointer<Float>, stride: Int, bias: Float, relu: Bool, clear: Bool, tileRow ty: Int,
    tileColumns tx: Range<Int>, into plane: UnsafeMutablePointer<Float>
  ) {
    let count = tx.count
    let floor = SIMD4<Float>(repeating: relu ? 0 : -.infinity)
    let biases = SIMD4<Float>(repeating: bias)
    let rows = min(4, height - 4 * ty)
    let top = plane + 4 * ty * width + 4 * tx.lowerBound
    // Tiles wholly inside the image, from the left: four at a time, vectorized, when all four
    // rows are inside too; the rest one at a time, without the outputs outside the image.
    let inside = 4 * tx.upperBound <= width ? count : count - 1
    var i = 0
    if rows == 4 {
      while i + 4 <= inside {
        outputTiles4(m + i, stride: stride, biases: biases, floor: floor, clear: clear, into: top + 4 * i)
        i += 4
      }
    }
    while i < count {
      // One tile, in lane 0. Down the columns b of M (ξ = 6a + b), then along the rows r.
      @inline(__always) func column(_ b: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        @inline(__always) func at(_ a: Int) -> SIMD4<Float> { SIMD4(m[(6 * a + b) * stride + i], 0, 0, 0) }
        return Self.outputTransform((at(0), at(1), at(2), at(3), at(4), at(5)))
      }
      let (c0, c1, c2, c3, c4, c5) = (column(0), column(1), column(2), column(3), column(4), column(5))
      if clear {
        for xi in 0..<36 { m[xi * stride + i] = 0 }
      }
      let columns = min(4, width - 4 * (tx.lowerBound + i))
      @inline(__always) func put(_ r: Int, _ y: (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>)) {
        guard r < rows else { return }
        let values = Self.maximum(SIMD4(y.0[0], y.1[0], y.2[0], y.3[0]) + biases, floor)
        let out = top + r * width + 4 * i
        for j in 0..<columns { out[j] = values[j] }
      }
      put(0, Self.outputTransform((c0.0, c1.0, c2.0, c3.0, c4.0, c5.0)))
      put(1, Self.outputTransform((c0.1, c1.1, c2.1, c3.1, c4.1, c5.1)))
      put(2, Self.outputTransform((c0.2, c1.2, c2.2, c3.2, c4.2, c5.2)))
      put(3, Self.outputTransform((c0.3, c1.3, c2.3, c3.3, c4.3, c5.3)))
      i += 1
    }
  }

  /// `transformOutput4` for four consecutive tiles wholly inside the image: Y of the tile in lane t
  /// goes to columns 4t … 4t + 3 of the four rows at `out` (row length `width`).
  @inline(__always)
  func outputTiles4(
    _ m: UnsafeMutablePointer<Float>, stride: Int, biases: SIMD4<Float>, floor: SIMD4<Float>, clear: Bool,
    into out: UnsafeMutablePointer<Float>
  ) {
    @inline(__always) func column(_ b: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
      let p = m + b * stride
      return Self.outputTransform(
        (
          Self.load4(p), Self.load4(p + 6 * stride), Self.load4(p + 12 * stride), Self.load4(p + 18 * stride),
          Self.load4(p + 24 * stride), Self.load4(p + 30 * stride)
        ))
    }
    let (c0, c1, c2, c3, c4, c5) = (column(0), column(1), column(2), column(3), column(4), column(5))
    if clear {
      for xi in 0..<36 { Self.store(SIMD4<Float>(), m + xi * stride) }
    }
    @inline(__always) func put(_ r: Int, _ y: (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>)) {
      var row = SIMD16<Float>()
      row.evenHalf = Self.interleave(Self.maximum(y.0 + biases, floor), Self.maximum(y.2 + biases, floor))
      row.oddHalf = Self.interleave(Self.maximum(y.1 + biases, floor), Self.maximum(y.3 + biases, floor))
      UnsafeMutableRawPointer(out + r * width).storeBytes(of: row, as: SIMD16<Float>.self)
    }
    put(0, Self.outputTransform((c0.0, c1.0, c2.0, c3.0, c4.0, c5.0)))
    put(1, Self.outputTransform((c0.1, c1.1, c2.1, c3.1, c4.1, c5.1)))
    put(2, Self.outputTransform((c0.2, c1.2, c2.2, c3.2, c4.2, c5.2)))
    put(3, Self.outputTransform((c0.3, c1.3, c2.3, c3.3, c4.3, c5.3)))
  }

  /// U[ξ][k][c] = (G g Gᵀ)[ξ] for g = W[k, c] (flipped in space when `flipped`), k in `filters`,
  /// c in `channels`, at u + ξ·stride + (k − k₀)·rowLength + (c − c₀). Eight channels at a time.
  func transformFilters4(
    _ weights: UnsafePointer<Float>, filters: Range<Int>, channels range: Range<Int>, flipped: Bool,
    into u: UnsafeMutablePointer<Float>, stride: Int, rowLength: Int
  ) {
    for k in filters {
      let row = u + (k - filters.lowerBound) * rowLength
      var c = range.lowerBound
      while c < range.upperBound {
        let lanes = min(8, range.upperBound - c)
        let g = weights + (k * channels + c) * 9
        // Eight channels: shuffled out of nine vector loads (`EightChannelTaps`).
        let eight = lanes == 8 ? EightChannelTaps(g) : nil
        @inline(__always) func tap(_ j: Int) -> SIMD8<Float> {
          if let eight { return flipped ? eight[8 - j] : eight[j] }
          let j = flipped ? 8 - j : j
          var value = SIMD8<Float>()
          for lane in 0..<lanes { value[lane] = g[9 * lane + j] }
          return value
        }
        // t = G g, column by column: six rows of three; then each row times Gᵀ.
        let (t0, t1, t2) = (
          Self.filterTransform(tap(0), tap(3), tap(6)), Self.filterTransform(tap(1), tap(4), tap(7)),
          Self.filterTransform(tap(2), tap(5), tap(8))
        )
        let out = row + (c - range.lowerBound)
        @inline(__always) func put(_ a: Int, _ x: SIMD8<Float>, _ y: SIMD8<Float>, _ z: SIMD8<Float>) {
          let values = Self.filterTransform(x, y, z)
          @inline(__always) func store(_ b: Int, _ value: SIMD8<Float>) {
            let p = out + (6 * a + b) * stride
            if lanes == 8 { Self.store(value, p) } else { for lane in 0..<lanes { p[lane] = value[lane] } }
          }
          store(0, values.0)
          store(1, values.1)
          store(2, values.2)
          store(3, values.3)
          store(4, values.4)
          store(5, values.5)
        }
        put(0, t0.0, t1.0, t2.0)
        put(1, t0.1, t1.1, t2.1)
        put(2, t0.2, t1.2, t2.2)
        put(3, t0.3, t1.3, t2.3)
        put(4, t0.4, t1.4, t2.4)
        put(5, t0.5, t1.5, t2.5)
        c += 8
      }
    }
  }
}
