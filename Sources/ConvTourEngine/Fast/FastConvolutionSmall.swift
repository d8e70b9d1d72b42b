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
  /// Whether the small filter banks' way applies — forward and ∂L/∂W (`directWeightGradient`):
  /// stride 1, at most 16 filters, output rows of at least 8 pixels, and an example's columns
  /// within one tile of scratch (a test that shrinks the scratch gets the tiles it asks for).
  func computesDirectly(_ g: Convolution.Geometry) -> Bool {
    stride.rows == 1 && stride.columns == 1 && g.k <= 16 && g.z.w >= 8
      && g.x.c * g.fh * g.fw * g.z.h * g.z.w <= scratchFloats
  }

  /// Taps per output up to which the forward is computed straight from x whatever the image size
  /// (up to 64 filters): an sgemm 27 deep, VGG-16's conv1_1 (3 channels, 3×3), ran at 75
  /// GFLOP/s, spending its time on im2col and packing.
  static let fewTaps = 32

  /// Whether `forward` computes z straight from x (`directProducts`): the small filter banks, and
  /// up to 64 filters of few taps on images of any size (their ∂L/∂W: `blockedWeightGradient`).
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

  /// Where tap t = (c, l, m) of output pixel (0, 0) is in an example padded to rows of `width`
  /// and channels of `plane` floats, in W's order.
  static func tapOffsets(_ g: Convolution.Geometry, width: Int, plane: Int) -> [Int] {
    var offsets = [Int]()
    for c in 0..<g.x.c {
      for l in 0..<g.fh {
        for m in 0..<g.fw { offsets.append(c * plane + l * width + m) }
      }
    }
    return offsets
  }

  /// Copies example x [C, H, W] inside the zero border of `padded` (rows of `width`, channels of
  /// `plane` floats; the border is left as it is: zeroed once by the caller).
  func fillPadded(
    _ x: UnsafePointer<Float>, _ g: Convolution.Geometry, into padded: UnsafeMutablePointer<Float>,
    width: Int,
    plane: Int
  ) {
    for c in 0..<g.x.c {
      for r in 0..<g.x.h {
        FastPath.copy(
          x + (c * g.x.h + r) * g.x.w, to: padded + c * plane + (r + padding.rows) * width + padding.columns,
          count: g.x.w)
      }
    }
  }

  /// ∂L/∂W [K, C, f_h, f_w] from the ∂W kernels' sums, eight lanes per weight added across.
  static func weights(summing sums: [SIMD8<Float>], _ g: Convolution.Geometry) -> Tensor32 {
    var dW = Tensor32(uninitialized: [g.k, g.x.c, g.fh, g.fw])
    for (w, lanes) in sums.enumerated() { dW.values[w] = lanes.sum() }
    return dW
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
    let offsets = Self.tapOffsets(g, width: width, plane: plane).map(Int32.init)
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
            fillPadded(x + e * g.x.c * g.x.h * g.x.w, g, into: padded, width: width, plane: plane)
            copied = e
          }
          let (Wk, zk) = (W + filters.lowerBound * taps, z + (e * g.k + filters.lowerBound) * outputs)
          if wide16 {
            WideKernels.products(
              padded: padded, width: width, offsets: offsets, taps: taps, W: Wk, filters: filters.count,
              rows: g.z.h, columns: g.z.w, z: zk)
          } else {
            WideKernels.products(
              SIMD8<Float>.self, padded: padded, width: width, offsets: offsets, taps: taps, W: Wk,
              filters: filters.count, rows: g.z.h, columns: g.z.w, z: zk)
          }
        }
      }
    }
  }
}
