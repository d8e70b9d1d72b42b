import ConvTourWideKernels

/// Small filter banks on small images: z computed straight from x, with no im2col and no sgemm.
///
/// With a few filters (the small networks' 3 to 16) an sgemm of W [K, C·f_h·f_w] by the columns
/// spends more time writing and packing the columns — f_h·f_w copies of the image — than
/// multiplying. Here eight output pixels of a row are one SIMD vector, and four filters at a time
/// keep their sums (fused multiply-adds) in registers while the taps (c, l, m) go by in W's order:
///   z(k, i, j…j+7) = Σ_{c,l,m} W(k, c, l, m) · x(c, i + l − p_h, j + m − p_w … + 7)
/// read from a zero-bordered copy of the example. Every output is the same sum in the same order,
/// wherever it is and whichever worker computes it: identical windows give identical outputs and
/// the thread count changes nothing.
extension FastConvolution {
  /// Whether `forward` computes z this way: stride 1, output rows of at least 8 pixels, and either
  /// at most 16 filters with an example's columns within one tile of scratch (a test that shrinks
  /// the scratch gets the tiles it asks for), or few taps (`fewTaps`) and at most 64 filters.
  /// ∂L/∂W (`directWeightGradient`) takes the first kind only.
  func computesDirectly(_ g: Convolution.Geometry) -> Bool {
    stride.rows == 1 && stride.columns == 1 && g.k <= 16 && g.z.w >= 8
      && g.x.c * g.fh * g.fw * g.z.h * g.z.w <= scratchFloats
  }

  /// Taps per output up to which the forward is computed straight from x whatever the image size
  /// (up to 64 filters): an sgemm 27 deep, VGG-16's conv1_1 (3 channels, 3×3), ran at 75
  /// GFLOP/s, spending its time on im2col and packing.
  static let fewTaps = 32

  /// Whether `forward` computes z straight from x (`directProducts`).
  func computesForwardDirectly(_ g: Convolution.Geometry) -> Bool {
    computesDirectly(g)
      || (stride.rows == 1 && stride.columns == 1 && g.k <= 64 && g.z.w >= 8
        && g.x.c * g.fh * g.fw <= Self.fewTaps)
  }

  /// Filter groups per example in the forward's direct pieces of work: more than one when the
  /// examples are fewer than the workers (batch 1 keeps both workers busy). A piece is an
  /// example and a range of its filters; its outputs are the same sums whoever computes them.
  static func directGroups(_ g: Convolution.Geometry, workers: Int) -> Int {
    g.x.n >= workers ? 1 : min(workers, (g.k + 3) / 4)
  }

  /// z [N, K, H_out·W_out] without bias: the workers take ranges of pieces (`directGroups`).
  func directProducts(
    _ x: UnsafePointer<Float>, W: UnsafePointer<Float>, _ g: Convolution.Geometry,
    z: UnsafeMutablePointer<Float>
  ) {
    let (pw, ph) = (padding.columns, padding.rows)
    let (width, height) = (g.x.w + 2 * pw, g.x.h + 2 * ph)
    let plane = width * height
    let taps = g.x.c * g.fh * g.fw
    let outputs = g.z.h * g.z.w
    // Where tap t = (c, l, m) of output pixel (0, 0) is in the padded example.
    var offsets = [Int32]()
    for c in 0..<g.x.c {
      for l in 0..<g.fh {
        for m in 0..<g.fw { offsets.append(Int32(c * plane + l * width + m)) }
      }
    }
    let wide16 = FastPath.wideVectors
    offsets.withUnsafeBufferPointer { offsets in
      let offsets = offsets.baseAddress!
      let groups = Self.directGroups(g, workers: FastPath.workers)
      FastPath.forEachShare(g.x.n * groups, workers: FastPath.workers) { pieces in
        let padded = UnsafeMutablePointer<Float>.allocate(capacity: g.x.c * plane)
        defer { padded.deallocate() }
        padded.initialize(repeating: 0, count: g.x.c * plane)
        var copied = -1
        for piece in pieces {
          let (e, filters) = (piece / groups, FastPath.share(g.k, piece % groups, groups))
          if e != copied {
            for c in 0..<g.x.c {
              let source = x + (e * g.x.c + c) * g.x.h * g.x.w
              for r in 0..<g.x.h {
                FastPath.copy(
                  source + r * g.x.w, to: padded + c * plane + (r + ph) * width + pw, count: g.x.w)
              }
            }
            copied = e
          }
          let (Wk, zk) = (W + filters.lowerBound * taps, z + (e * g.k + filters.lowerBound) * outputs)
          if wide16 {
            WideKernels.products(
              padded: padded, width: width, offsets: offsets, taps: taps, W: Wk, filters: filters.count,
              rows: g.z.h, columns: g.z.w, z: zk)
          } else {
            Self.products8(
              padded: padded, width: width, offsets: offsets, taps: taps, W: Wk, filters: filters.count,
              rows: g.z.h, columns: g.z.w, z: zk)
          }
        }
      }
    }
  }

  /// The eight-lane twin of `WideKernels.products`: z(k, i, j) = Σ_t W(k, t) · s(top_i +
  /// offsets[t] + j) for one example, filters k < `filters`, z [K, rows·columns], W [K, taps].
  static func products8(
    padded: UnsafePointer<Float>, width: Int, offsets: UnsafePointer<Int32>, taps: Int,
    W: UnsafePointer<Float>, filters: Int, rows: Int, columns: Int, z: UnsafeMutablePointer<Float>
  ) {
    let outputs = rows * columns
    for k0 in Swift.stride(from: 0, to: filters, by: 4) {
      // Four filters; past the last, the last again (computed, not stored).
      let (f0, f1, f2, f3) = (
        W + k0 * taps, W + min(k0 + 1, filters - 1) * taps, W + min(k0 + 2, filters - 1) * taps,
        W + min(k0 + 3, filters - 1) * taps
      )
      let stored = min(4, filters - k0)
      for i in 0..<rows {
        var j = 0
        while j < columns {
          // Two blocks of eight pixels; a row's last blocks overlap the ones before (the same sums
          // again).
          let (ja, jb) = (min(j, columns - 8), min(j + 8, columns - 8))
          let top = padded + i * width
          var (a0, a1, a2, a3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
          var (b0, b1, b2, b3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
          for t in 0..<taps {
            let tap = UnsafeRawPointer(top + Int(offsets[t]))
            let u = tap.loadUnaligned(fromByteOffset: ja * 4, as: SIMD8<Float>.self)
            let v = tap.loadUnaligned(fromByteOffset: jb * 4, as: SIMD8<Float>.self)
            let (w0, w1) = (SIMD8(repeating: f0[t]), SIMD8(repeating: f1[t]))
            let (w2, w3) = (SIMD8(repeating: f2[t]), SIMD8(repeating: f3[t]))
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
          func store(_ k: Int, _ a: SIMD8<Float>, _ b: SIMD8<Float>) {
            guard k < stored else { return }
            let out = UnsafeMutableRawPointer(row + k * outputs)
            out.storeBytes(of: a, toByteOffset: ja * 4, as: SIMD8<Float>.self)
            out.storeBytes(of: b, toByteOffset: jb * 4, as: SIMD8<Float>.self)
          }
          store(0, a0, b0)
          store(1, a1, b1)
          store(2, a2, b2)
          store(3, a3, b3)
          j += 16
        }
      }
    }
  }
}
