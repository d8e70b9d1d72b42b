extension FastConvolution {
  /// ∂L/∂x, ∂L/∂W and ∂L/∂b (nil when `hasBias` is false) from delta = ∂L/∂z [N, K, H_out, W_out].
  public func backward(
    x: Tensor32, W: Tensor32, delta: Tensor32, hasBias: Bool
  ) throws -> (dx: Tensor32, dW: Tensor32, db: Tensor32?) {
    let g = try backwardGeometry(x: x, W: W, delta: delta, hasBias: hasBias)
    let (dW, db) = weightGradient(x: x, W: W, delta: delta, g)
    return (try inputGradient(x: x, W: W, delta: delta, g), dW, hasBias ? db : nil)
  }

  /// The geometry of a backward pass, with delta checked against the output's shape.
  func backwardGeometry(
    x: Tensor32, W: Tensor32, delta: Tensor32, hasBias: Bool = true
  ) throws -> Convolution.Geometry {
    let g = try geometry(x.shape, W.shape, hasBias ? [W.shape.first ?? 0] : nil)
    guard delta.shape == g.z.dims else {
      throw EngineError.shapeMismatch(
        op: "conv2d backward", shapes: [delta.shape, g.z.dims], expected: "delta of the output's shape")
    }
    return g
  }

  /// ∂L/∂x: a convolution of δ where that pays (`transposed`), else columns scattered back.
  func inputGradient(x: Tensor32, W: Tensor32, delta: Tensor32, _ g: Convolution.Geometry) throws -> Tensor32
  {
    try transposed(g).map { try $0.forward(x: delta, W: flippedFilters(W, g), b: nil) }
      ?? inputGradientByColumns(x: x, W: W, delta: delta, g)
  }

  /// ∂L/∂x as a convolution of δ, when the stride is 1:
  ///   ∂L/∂x(c, r, q) = Σ_k Σ_{l,m} δ(k, r + p_h − l, q + p_w − m) · W(k, c, l, m)
  /// is δ convolved (padding f − 1 − p) with the filters W′(c, k, l, m) = W(k, c, f_h − 1 − l,
  /// f_w − 1 − m): the forward pass's tiles and products, each worker writing its own pixels of
  /// ∂L/∂x, with no scatter of columns back onto pixels and no accumulators to sum. Its products
  /// have C rows: with few input channels (an image's 3) the columns' way is faster — unless the
  /// convolution of δ is one that `computesDirectly` (3 to 16 channels, small images: with 3 a
  /// quarter of its groups of four filters is idle, and it still takes 0.19 ms where the columns
  /// took 0.30 for the textbook ConvNet's conv2 at batch 32). Nor where W′ has more than
  /// `turnLimit` floats and the image is too small to tile (`PixelTiles.fewerThanLanes`):
  /// turning the filters is a pass over all of W, once per call, while the columns' col2im adds
  /// up only C·f_h·f_w rows of H·W pixels — conv5's 9.4 MB of filters made ∂L/∂x 1.2–1.4× its
  /// forward at batch 1, the columns 1.03–1.09×.
  func transposed(_ g: Convolution.Geometry) -> FastConvolution? {
    let direct =
      (3...16).contains(g.x.c) && g.x.w >= 8 && g.k * g.fh * g.fw * g.x.h * g.x.w <= scratchFloats
    let costlyTurn =
      g.k * g.x.c * g.fh * g.fw > Self.turnLimit
      && PixelTiles(rows: g.k * g.fh * g.fw, columns: g.x.h * g.x.w, scratchFloats: scratchFloats)
        .fewerThanLanes
    guard stride.rows == 1, stride.columns == 1, padding.rows < g.fh, padding.columns < g.fw,
      g.x.c >= 32 || direct, !costlyTurn
    else { return nil }
    var conv = FastConvolution(
      stride: Extent2D(1), padding: Extent2D(g.fh - 1 - padding.rows, g.fw - 1 - padding.columns))
    conv.scratchFloats = scratchFloats
    conv.keepsTiesExact = false
    return conv
  }

  /// The most floats of turned filters W′ worth making for an image too small to tile (4 MB).
  static let turnLimit = 1 << 20

  /// W′ [C, K, f_h, f_w] from W [K, C, f_h, f_w]: channels and filters swapped, each filter
  /// turned by 180°. Blocks of 8 channels × 8 filters (their taps stay in L1 between the read and
  /// the write), the workers taking ranges of channels: memory-bound (conv5's 9.4 MB: 1.0 ms on
  /// one core, 1.35 ms channel by channel).
  func flippedFilters(_ W: Tensor32, _ g: Convolution.Geometry) -> Tensor32 {
    var flipped = Tensor32(uninitialized: [g.x.c, g.k, g.fh, g.fw])
    let taps = g.fh * g.fw
    flipped.values.withUnsafeMutableBufferPointer { target in
      W.values.withUnsafeBufferPointer { source in
        let (target, source) = (target.baseAddress!, source.baseAddress!)
        FastPath.forEachShare(g.x.c, workers: FastPath.workers) { channels in
          for c0 in Swift.stride(from: channels.lowerBound, to: channels.upperBound, by: 8) {
            for k0 in Swift.stride(from: 0, to: g.k, by: 8) {
              for c in c0..<min(channels.upperBound, c0 + 8) {
                for k in k0..<min(g.k, k0 + 8) {
                  let (from, to) = ((k * g.x.c + c) * taps, (c * g.k + k) * taps)
                  for t in 0..<taps { target[to + t] = source[from + taps - 1 - t] }
                }
              }
            }
          }
        }
      }
    }
    return flipped
  }

  /// ∂L/∂W = Σ_examples δ · colᵀ and ∂L/∂b = Σ_examples Σ_p δ.
  /// Large images: tiles of pixels, ∂L/∂W in one accumulator per lane (lane l takes the tiles
  /// t ≡ l mod lanes, examples in order), the lanes' sums added at the end in lane order: the
  /// same sums in the same order whatever the worker count. Small images: one col per example,
  /// the lanes taking ranges of filters k. Small filter banks (`computesDirectly`):
  /// `directWeightGradient`; few taps on larger images: `blockedWeightGradient`.
  func weightGradient(
    x: Tensor32, W: Tensor32, delta: Tensor32, _ g: Convolution.Geometry
  ) -> (dW: Tensor32, db: Tensor32) {
    if computesDirectly(g) {
      return (directWeightGradient(x: x, delta: delta, g), biasGradient(delta: delta, g))
    }
    if computesForwardDirectly(g) {
      return (blockedWeightGradient(x: x, delta: delta, g), biasGradient(delta: delta, g))
    }
    let (rows, columns) = (g.x.c * g.fh * g.fw, g.z.h * g.z.w)
    let imageSize = g.x.c * g.x.h * g.x.w
    let (workers, lanes) = (FastPath.workers, FastPath.lanes)
    let tiles = PixelTiles(rows: rows, columns: columns, scratchFloats: scratchFloats)
    var dW = Tensor32(zeros: W.shape)
    let count = g.k * rows
    // One ∂L/∂W accumulator per lane beyond the first (the first writes dW itself).
    let partials = tiles.fewerThanLanes ? 0 : (lanes - 1) * count
    let partial = UnsafeMutablePointer<Float>.allocate(capacity: max(1, partials))
    partial.initialize(repeating: 0, count: max(1, partials))
    defer { partial.deallocate() }
    let full = tiles.fewerThanLanes ? UnsafeMutablePointer<Float>.allocate(capacity: rows * columns) : nil
    defer { full?.deallocate() }
    let scratch = UnsafeMutablePointer<Float>.allocate(
      capacity: full == nil ? workers * rows * tiles.widest : 1)
    defer { scratch.deallocate() }
    x.values.withUnsafeBufferPointer { xp in
      delta.values.withUnsafeBufferPointer { dp in
        dW.values.withUnsafeMutableBufferPointer { dwp in
          let (xBase, dBase, dwBase) = (xp.baseAddress!, dp.baseAddress!, dwp.baseAddress!)
          for n in 0..<g.x.n {
            let (xn, dn) = (xBase + n * imageSize, dBase + n * g.k * columns)
            if let col = full {
              allColumns(xn, g, workers: workers, into: col)
              FastPath.forEachLaneShare(g.k) { filters, _ in
                let (k0, k1) = (filters.lowerBound, filters.upperBound)
                FastPath.gemm(
                  transposeA: false, transposeB: true, m: k1 - k0, n: rows, k: columns, a: dn + k0 * columns,
                  lda: columns, b: col, ldb: columns, beta: 1, c: dwBase + k0 * rows, ldc: rows)
              }
            } else {
              FastPath.forEachLane { lane, w in
                let col = scratch + w * rows * tiles.widest
                let target = lane == 0 ? dwBase : partial + (lane - 1) * count
                for t in Swift.stride(from: lane, to: tiles.count, by: lanes) {
                  let pixels = tiles.pixels(t)
                  im2col(xn, g, pixels: pixels, into: col)
                  FastPath.gemm(
                    transposeA: false, transposeB: true, m: g.k, n: rows, k: pixels.count,
                    a: dn + pixels.lowerBound, lda: columns, b: col, ldb: pixels.count, beta: 1, c: target,
                    ldc: rows)
                }
              }
            }
          }
          // Sum the lanes' ∂L/∂W.
          if full == nil {
            FastPath.addAccumulators(
              partial, accumulators: lanes - 1, count: count, into: dwBase, clearing: false)
          }
        }
      }
    }
    return (dW, biasGradient(delta: delta, g))
  }

  /// ∂L/∂b(k) = Σ over examples and pixels of δ(k): sixteen lanes per row of δ, the workers
  /// taking ranges of filters.
  func biasGradient(delta: Tensor32, _ g: Convolution.Geometry) -> Tensor32 {
    let columns = g.z.h * g.z.w
    var db = Tensor32(zeros: [g.k])
    delta.values.withUnsafeBufferPointer { dp in
      db.values.withUnsafeMutableBufferPointer { dbp in
        let (source, target) = (UnsafeRawPointer(dp.baseAddress!), dbp.baseAddress!)
        FastPath.forEachShare(g.k, workers: FastPath.workers) { filters in
          for k in filters {
            var lanes = SIMD16<Float>()
            var tail: Float = 0
            for n in 0..<g.x.n {
              let row = (n * g.k + k) * columns
              var p = 0
              while p + 16 <= columns {
                lanes += source.loadUnaligned(fromByteOffset: (row + p) * 4, as: SIMD16<Float>.self)
                p += 16
              }
              while p < columns {
                tail += source.load(fromByteOffset: (row + p) * 4, as: Float.self)
                p += 1
              }
            }
            target[k] = lanes.sum() + tail
          }
        }
      }
    }
    return db
  }
}
