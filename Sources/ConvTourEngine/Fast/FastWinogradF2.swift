/// Winograd F(2×2, 3×3)'s kernels: the filter transform G g Gᵀ, the input transform Bᵀ d B
/// and the output transform Aᵀ M A, unrolled (the matrices are `WinogradMatrices.f2`); the
/// scheduling that calls them is in FastWinogradPlan.swift, F(4×4, 3×3)'s in FastWinogradF4.swift.
extension FastWinograd.Plan {
  typealias Row3 = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

  /// G g Gᵀ of eight filters at once, g given by rows: calls emit(ξ, row ξ) for ξ = 4i + j.
  @inline(__always)
  static func transformFilter(_ g0: Row3, _ g1: Row3, _ g2: Row3, emit: (Int, SIMD8<Float>) -> Void) {
    // t = G g: rows g0, ½(g0 + g1 + g2), ½(g0 − g1 + g2), g2.
    let half = SIMD8<Float>(repeating: 0.5)
    let t1 = (half * (g0.0 + g1.0 + g2.0), half * (g0.1 + g1.1 + g2.1), half * (g0.2 + g1.2 + g2.2))
    let t2 = (half * (g0.0 - g1.0 + g2.0), half * (g0.1 - g1.1 + g2.1), half * (g0.2 - g1.2 + g2.2))
    // Each row (a, b, c) of t times Gᵀ: (a, ½(a + b + c), ½(a − b + c), c).
    @inline(__always) func row(_ i: Int, _ t: Row3) {
      emit(4 * i, t.0)
      emit(4 * i + 1, half * (t.0 + t.1 + t.2))
      emit(4 * i + 2, half * (t.0 - t.1 + t.2))
      emit(4 * i + 3, t.2)
    }
    row(0, g0)
    row(1, t1)
    row(2, t2)
    row(3, g2)
  }

  /// V[ξ][c][offset + i] = (Bᵀ d B)[ξ] for the tiles (t_y, t_x) of one row of tiles, t_x in
  /// `tx`, i = t_x − tx.lowerBound, of one channel `plane` [H, W]; d is the 4×4 window of the
  /// input padded by 1 at rows 2t_y − 1 … 2t_y + 2 and columns 2t_x − 1 … 2t_x + 2.
  /// `into` points at V[0][c][offset]; consecutive ξ are `stride` apart.
  ///
  /// First Bᵀ down the columns: four rows s_a (a = 0…3) over the padded columns of the
  /// segment (contiguous, vectorized); then B along each s_a from its even and odd columns.
  @inline(__always)
  func transformInput(
    _ plane: UnsafePointer<Float>, tileRow ty: Int, tileColumns tx: Range<Int>,
    zeroRow: UnsafePointer<Float>,
    sums: UnsafeMutablePointer<Float>, into v: UnsafeMutablePointer<Float>, stride: Int
  ) {
    let r = 2 * ty - 1
    let row0 = r >= 0 ? plane + r * width : zeroRow
    let row1 = plane + (r + 1) * width
    let row2 = r + 2 < height ? plane + (r + 2) * width : zeroRow
    let row3 = r + 3 < height ? plane + (r + 3) * width : zeroRow
    let (s0, s1, s2, s3) = (sums, sums + rowFloats, sums + 2 * rowFloats, sums + 3 * rowFloats)
    // Padded columns q = j + 1 in lo..<hi; s_a[q − lo].
    let lo = 2 * tx.lowerBound
    let hi = 2 * tx.upperBound + 2
    let first = max(lo, 1)
    let last = min(hi, width + 1)
    for q in lo..<first {
      s0[q - lo] = 0
      s1[q - lo] = 0
      s2[q - lo] = 0
      s3[q - lo] = 0
    }
    do {
      let (x0, x1, x2, x3) = (
        row0 + (first - 1), row1 + (first - 1), row2 + (first - 1), row3 + (first - 1)
      )
      let (o0, o1, o2, o3) = (s0 + (first - lo), s1 + (first - lo), s2 + (first - lo), s3 + (first - lo))
      for j in 0..<(last - first) {
        o0[j] = x0[j] - x2[j]
        o1[j] = x1[j] + x2[j]
        o2[j] = x2[j] - x1[j]
        o3[j] = x1[j] - x3[j]
      }
    }
    for q in last..<hi {
      s0[q - lo] = 0
      s1[q - lo] = 0
      s2[q - lo] = 0
      s3[q - lo] = 0
    }
    let count = tx.count
    for a in 0..<4 {
      let s = sums + a * rowFloats
      let v0 = v + 4 * a * stride
      let (v1, v2, v3) = (v0 + stride, v0 + 2 * stride, v0 + 3 * stride)
      // Four tiles at a time: their even and odd columns e, o and those of the next tile.
      var i = 0
      while i + 4 <= count {
        let here = Self.load8(s + 2 * i)
        let next = Self.load8(s + 2 * i + 2)
        let (e0, o0, e1, o1) = (here.evenHalf, here.oddHalf, next.evenHalf, next.oddHalf)
        Self.store(e0 - e1, v0 + i)
        Self.store(o0 + e1, v1 + i)
        Self.store(e1 - o0, v2 + i)
        Self.store(o0 - o1, v3 + i)
        i += 4
      }
      while i < count {
        let (e0, o0, e1, o1) = (s[2 * i], s[2 * i + 1], s[2 * i + 2], s[2 * i + 3])
        v0[i] = e0 - e1
        v1[i] = o0 + e1
        v2[i] = e1 - o0
        v3[i] = o0 - o1
        i += 1
      }
    }
  }

  /// The outputs of one row of tiles of one output channel: Y = Aᵀ M A (+ bias, then ReLU when
  /// `relu`) into rows 2t_y, 2t_y + 1 of `plane` [H, W], without the column or row that sticks
  /// out. `m` points at M[0][k][offset]; consecutive ξ are `stride` apart.
  @inline(__always)
  func transformOutput(
    _ m: UnsafeMutablePointer<Float>, stride: Int, bias: Float, relu: Bool, clear: Bool, tileRow ty: Int,
    tileColumns tx: Range<Int>, into plane: UnsafeMutablePointer<Float>
  ) {
    let count = tx.count
    let floor = SIMD4<Float>(repeating: relu ? 0 : -.infinity)
    let biases = SIMD4<Float>(repeating: bias)
    let top = plane + 2 * ty * width + 2 * tx.lowerBound
    let bottom: UnsafeMutablePointer<Float>? = 2 * ty + 1 < height ? top + width : nil
    // Four tiles at a time while they lie wholly inside the image (the last tile of a row
    // sticks out to the right when W is odd).
    let full = 2 * tx.upperBound <= width ? count : count - 1
    var i = 0
    while i + 4 <= full {
      let y = Self.inverse(m + i, stride: stride)
      if clear {
        for xi in 0..<16 { Self.store(SIMD4<Float>(), m + xi * stride + i) }
      }
      Self.store(
        Self.interleave(Self.maximum(y.0 + biases, floor), Self.maximum(y.1 + biases, floor)), top + 2 * i)
      if let bottom {
        Self.store(
          Self.interleave(Self.maximum(y.2 + biases, floor), Self.maximum(y.3 + biases, floor)),
          bottom + 2 * i)
      }
      i += 4
    }
    // The rest one tile at a time, without the outputs outside the image.
    while i < count {
      var tile = SIMD16<Float>()
      for xi in 0..<16 { tile[xi] = m[xi * stride + i] }
      if clear {
        for xi in 0..<16 { m[xi * stride + i] = 0 }
      }
      let r0 = tile.lowHalf.lowHalf
      let r1 = tile.lowHalf.highHalf
      let r2 = tile.highHalf.lowHalf
      let r3 = tile.highHalf.highHalf
      let s0 = r0 + r1 + r2
      let s1 = r1 - r2 - r3
      let y00: Float = s0[0] + s0[1] + s0[2]
      let y01: Float = s0[1] - s0[2] - s0[3]
      let y10: Float = s1[0] + s1[1] + s1[2]
      let y11: Float = s1[1] - s1[2] - s1[3]
      let y = Self.maximum(SIMD4(y00, y01, y10, y11) + biases, floor)
      let right = 2 * (tx.lowerBound + i) + 1 < width
      top[2 * i] = y[0]
      if right { top[2 * i + 1] = y[1] }
      if let bottom {
        bottom[2 * i] = y[2]
        if right { bottom[2 * i + 1] = y[3] }
      }
      i += 1
    }
  }

  /// Y = Aᵀ M A for four consecutive tiles: (Y₀₀, Y₀₁, Y₁₀, Y₁₁), each over the four tiles.
  /// First Aᵀ down the columns b of M (ξ = 4a + b):
  ///   s0[b] = M[0][b] + M[1][b] + M[2][b],  s1[b] = M[1][b] − M[2][b] − M[3][b],
  /// then A along the rows: Y[a][0] = s_a[0] + s_a[1] + s_a[2], Y[a][1] = s_a[1] − s_a[2] − s_a[3].
  @inline(__always)
  static func inverse(_ m: UnsafePointer<Float>, stride: Int) -> (
    SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>
  ) {
    let (m4, m5, m6, m7) = (
      load4(m + 4 * stride), load4(m + 5 * stride), load4(m + 6 * stride), load4(m + 7 * stride)
    )
    let (m8, m9, m10, m11) = (
      load4(m + 8 * stride), load4(m + 9 * stride), load4(m + 10 * stride), load4(m + 11 * stride)
    )
    let s00 = load4(m) + m4 + m8
    let s01 = load4(m + stride) + m5 + m9
    let s02 = load4(m + 2 * stride) + m6 + m10
    let s03 = load4(m + 3 * stride) + m7 + m11
    let s10 = m4 - m8 - load4(m + 12 * stride)
    let s11 = m5 - m9 - load4(m + 13 * stride)
    let s12 = m6 - m10 - load4(m + 14 * stride)
    let s13 = m7 - m11 - load4(m + 15 * stride)
    return (s00 + s01 + s02, s01 - s02 - s03, s10 + s11 + s12, s11 - s12 - s13)
  }
}
