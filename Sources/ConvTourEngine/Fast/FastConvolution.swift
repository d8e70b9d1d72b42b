/// Convolution on the fast path: Float32, im2col in tiles, and single-threaded sgemm per worker.
///
/// Same contract as `Convolution` (x [N, C, H, W], W [K, C, f_h, f_w], b [K] → z [N, K, H_out, W_out]).
/// im2col lays receptive fields out as the columns of a matrix
///   col[(c, l, m), p] = s(c, i·s_h + l, j·s_w + m),   p = i·W_out + j   — [C·f_h·f_w, H_out·W_out]
/// so that, with W viewed as [K, C·f_h·f_w] and one example at a time,
///   forward:  z = W · col + b                    (then ReLU, when fused)
///   backward: ∂L/∂W += δ · colᵀ,  ∂L/∂b += Σ_p δ,  dcol = Wᵀ · δ, and col2im adds dcol back to x.
/// Work is split so that the workers never write the same memory and their data stays in cache:
/// - large images: tiles of output pixels p (each worker builds the columns of its own tiles);
///   ∂L/∂W accumulates in one buffer per worker, summed at the end;
/// - small images: one col, and the workers take ranges of filters k;
/// - ∂L/∂x: groups of input channels c (the rows of dcol for channel c only reach x's channel c).
/// Forward, identical input windows give bitwise-identical outputs (`IdenticalWindows`), so
/// max-pool ties are broken as PyTorch breaks them.
public struct FastConvolution: Sendable {
  public var stride: Extent2D
  public var padding: Extent2D
  /// Floats of scratch per worker for a tile of columns or a group of channels (4 MB: it stays
  /// in cache). Tests shrink it to exercise the tiled paths on small images.
  public var scratchFloats = 1 << 20
  /// Whether the forward pass decides ReLU (and max-pool) close calls in Double (`CloseCalls`):
  /// only the gradient depends on them, so only a pass with a backward pass needs it.
  public var decidesCloseCalls = false
  /// The side (= stride) of the max-pool window that follows the ReLU, if one does.
  public var maxPoolSide: Int? = nil

  public init(stride: Int = 1, padding: Int = 0) {
    self.init(stride: Extent2D(stride), padding: Extent2D(padding))
  }

  public init(stride: Extent2D, padding: Extent2D) {
    self.stride = stride
    self.padding = padding
  }

  func geometry(_ x: [Int], _ W: [Int], _ b: [Int]?) throws -> Convolution.Geometry {
    try Convolution(stride: stride, padding: padding, hasBias: b != nil)
      .geometry(b.map { [x, W, $0] } ?? [x, W])
  }

  /// Columns per tile: about `scratchFloats` of col per worker, at least 16 columns.
  func tileWidth(rows: Int, columns: Int) -> Int {
    min(columns, max(16, scratchFloats / max(1, rows)))
  }

  /// ∂L/∂x, ∂L/∂W and ∂L/∂b (nil when `hasBias` is false) from delta = ∂L/∂z.
  public func backward(
    x: Tensor32, W: Tensor32, delta: Tensor32, hasBias: Bool
  ) throws -> (dx: Tensor32, dW: Tensor32, db: Tensor32?) {
    let g = try geometry(x.shape, W.shape, hasBias ? [W.shape.first ?? 0] : nil)
    guard delta.shape == g.z.dims else {
      throw EngineError.shapeMismatch(
        op: "conv2d backward", shapes: [delta.shape, g.z.dims], expected: "delta of the output's shape")
    }
    let rows = g.x.c * g.fh * g.fw
    let columns = g.z.h * g.z.w
    let imageSize = g.x.c * g.x.h * g.x.w
    let workers = FastPath.workers
    let tile = tileWidth(rows: rows, columns: columns)
    let tiles = (columns + tile - 1) / tile
    var dx = Tensor32(zeros: x.shape)
    var dW = Tensor32(zeros: W.shape)
    var db = Tensor32(zeros: [g.k])
    // One ∂L/∂W accumulator per worker beyond the first (the first writes dW itself).
    let partial = UnsafeMutablePointer<Float>.allocate(capacity: max(1, (workers - 1) * g.k * rows))
    partial.initialize(repeating: 0, count: max(1, (workers - 1) * g.k * rows))
    defer { partial.deallocate() }
    let full = tiles < workers ? UnsafeMutablePointer<Float>.allocate(capacity: rows * columns) : nil
    defer { full?.deallocate() }
    // Scratch per worker: a tile of col or dcol, or (small images) the dcol rows of its channels.
    let scratchSize = full == nil ? rows * tile : ((g.x.c + workers - 1) / workers) * g.fh * g.fw * columns
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * scratchSize)
    defer { scratch.deallocate() }
    // ∂L/∂x accumulators of the workers beyond the first, for pixel tiles.
    let privateCount = full == nil ? (workers - 1) * imageSize : 0
    let privateDX = UnsafeMutablePointer<Float>.allocate(capacity: max(1, privateCount))
    privateDX.initialize(repeating: 0, count: max(1, privateCount))
    defer { privateDX.deallocate() }

    x.values.withUnsafeBufferPointer { xp in
      W.values.withUnsafeBufferPointer { wp in
        delta.values.withUnsafeBufferPointer { dp in
          dW.values.withUnsafeMutableBufferPointer { dwp in
            dx.values.withUnsafeMutableBufferPointer { dxp in
              let (xBase, wBase, dBase, dwBase) = (
                xp.baseAddress!, wp.baseAddress!, dp.baseAddress!, dwp.baseAddress!
              )
              for n in 0..<g.x.n {
                let xn = xBase + n * imageSize
                let dn = dBase + n * g.k * columns
                // ∂L/∂W += δ · colᵀ
                if let col = full {
                  allColumns(xn, g, workers: workers, into: col)
                  FastPath.forEachShare(g.k, workers: workers) { filters in
                    let (k0, k1) = (filters.lowerBound, filters.upperBound)
                    FastPath.gemm(
                      transposeA: false, transposeB: true, m: k1 - k0, n: rows, k: columns,
                      a: dn + k0 * columns,
                      lda: columns, b: col, ldb: columns, beta: 1, c: dwBase + k0 * rows, ldc: rows)
                  }
                } else {
                  FastPath.forEachWorker(workers) { w in
                    let col = scratch + w * scratchSize
                    let target = w == 0 ? dwBase : partial + (w - 1) * g.k * rows
                    for t in Swift.stride(from: w, to: tiles, by: workers) {
                      let p0 = t * tile
                      let width = min(tile, columns - p0)
                      im2col(xn, g, pixels: p0..<(p0 + width), into: col)
                      FastPath.gemm(
                        transposeA: false, transposeB: true, m: g.k, n: rows, k: width, a: dn + p0,
                        lda: columns,
                        b: col, ldb: width, beta: 1, c: target, ldc: rows)
                    }
                  }
                }
                // ∂L/∂x. Large images: per tile of pixels, dcol = Wᵀ · δ[:, tile], added back into a
                // ∂L/∂x of the worker's own (tiles share input pixels at their edges). Small images:
                // per group of channels, dcol = W[:, group]ᵀ · δ, added into those channels only.
                let dxn = dxp.baseAddress! + n * imageSize
                if full == nil {
                  FastPath.forEachWorker(workers) { w in
                    let dcol = scratch + w * scratchSize
                    let target = w == 0 ? dxn : privateDX + (w - 1) * imageSize
                    for t in Swift.stride(from: w, to: tiles, by: workers) {
                      let p0 = t * tile
                      let width = min(tile, columns - p0)
                      FastPath.gemm(
                        transposeA: true, transposeB: false, m: rows, n: width, k: g.k, a: wBase, lda: rows,
                        b: dn + p0, ldb: columns, beta: 0, c: dcol, ldc: width)
                      col2im(dcol, g, pixels: p0..<(p0 + width), channels: 0..<g.x.c, adding: target)
                    }
                  }
                  // Add the other workers' accumulators into this example's ∂L/∂x and clear them.
                  FastPath.forEachWorker(workers) { w in
                    let range = FastPath.share(imageSize, w, workers)
                    for v in 1..<workers {
                      let source = privateDX + (v - 1) * imageSize
                      for i in range {
                        dxn[i] += source[i]
                        source[i] = 0
                      }
                    }
                  }
                } else {
                  FastPath.forEachWorker(workers) { w in
                    let channels = FastPath.share(g.x.c, w, workers)
                    guard !channels.isEmpty else { return }
                    let (c0, c1) = (channels.lowerBound, channels.upperBound)
                    let dcol = scratch + w * scratchSize
                    let r0 = c0 * g.fh * g.fw
                    FastPath.gemm(
                      transposeA: true, transposeB: false, m: (c1 - c0) * g.fh * g.fw, n: columns, k: g.k,
                      a: wBase + r0, lda: rows, b: dn, ldb: columns, beta: 0, c: dcol, ldc: columns)
                    col2im(dcol, g, pixels: 0..<columns, channels: c0..<c1, adding: dxn)
                  }
                }
                for k in 0..<g.k {
                  var sum: Float = 0
                  let row = dn + k * columns
                  for p in 0..<columns { sum += row[p] }
                  db.values[k] += sum
                }
              }
              // Sum the workers' ∂L/∂W.
              if full == nil, workers > 1 {
                let count = g.k * rows
                FastPath.forEachWorker(workers) { w in
                  let range = FastPath.share(count, w, workers)
                  for v in 1..<workers {
                    let source = partial + (v - 1) * count
                    for i in range { dwBase[i] += source[i] }
                  }
                }
              }
            }
          }
        }
      }
    }
    return (dx, dW, hasBias ? db : nil)
  }

  /// im2col of every pixel of one example, the workers taking ranges of channels.
  func allColumns(
    _ x: UnsafePointer<Float>, _ g: Convolution.Geometry, workers: Int, into col: UnsafeMutablePointer<Float>
  ) {
    FastPath.forEachWorker(workers) { w in
      im2col(x, g, pixels: 0..<(g.z.h * g.z.w), channels: FastPath.share(g.x.c, w, workers), into: col)
    }
  }

  /// col[(c, l, m), p − p0] = x(c, i·s_h + l − p_h, j·s_w + m − p_w) for pixels p = i·W_out + j in
  /// `pixels` and channels c in `channels` (all by default); 0 in the zero border. `x` points at
  /// one example [C, H, W]; `col` has C·f_h·f_w rows of `pixels.count` (rows outside `channels`
  /// are left alone).
  func im2col(
    _ x: UnsafePointer<Float>, _ g: Convolution.Geometry, pixels: Range<Int>, channels: Range<Int>? = nil,
    into col: UnsafeMutablePointer<Float>
  ) {
    let wo = g.z.w
    let width = pixels.count
    let (sh, sw, ph, pw) = (stride.rows, stride.columns, padding.rows, padding.columns)
    for c in channels ?? 0..<g.x.c {
      let channel = x + c * g.x.h * g.x.w
      for l in 0..<g.fh {
        for m in 0..<g.fw {
          let row = col + ((c * g.fh + l) * g.fw + m) * width
          var p = pixels.lowerBound
          while p < pixels.upperBound {
            // One output row i at a time: pixels p..<end share i.
            let i = p / wo
            let j0 = p % wo
            let end = min(pixels.upperBound, (i + 1) * wo)
            let out = row + (p - pixels.lowerBound)
            let count = end - p
            let r = i * sh + l - ph
            if r < 0 || r >= g.x.h {
              out.update(repeating: 0, count: count)
            } else {
              let source = channel + r * g.x.w
              if sw == 1 {
                // Columns j with 0 ≤ j + m − p_w < W are a contiguous run of the source row.
                let first = min(count, max(0, pw - m - j0))
                let last = max(first, min(count, g.x.w + pw - m - j0))
                if first > 0 { out.update(repeating: 0, count: first) }
                if last > first {
                  (out + first).update(from: source + (j0 + first + m - pw), count: last - first)
                }
                if last < count { (out + last).update(repeating: 0, count: count - last) }
              } else {
                for k in 0..<count {
                  let q = (j0 + k) * sw + m - pw
                  out[k] = (q >= 0 && q < g.x.w) ? source[q] : 0
                }
              }
            }
            p = end
          }
        }
      }
    }
  }

  /// The adjoint of im2col: adds col[(c − c₀, l, m), p − p₀] to x(c, i·s_h + l − p_h, j·s_w + m − p_w)
  /// for the pixels p = i·W_out + j in `pixels` and the channels c in `channels` (c₀, p₀ their
  /// first). `col` holds the rows of those channels only, each `pixels.count` long. Used per tile
  /// of pixels (all channels) and per group of channels (all pixels).
  func col2im(
    _ col: UnsafePointer<Float>, _ g: Convolution.Geometry, pixels: Range<Int>, channels: Range<Int>,
    adding x: UnsafeMutablePointer<Float>
  ) {
    let wo = g.z.w
    let width = pixels.count
    let (sh, sw, ph, pw) = (stride.rows, stride.columns, padding.rows, padding.columns)
    for c in channels {
      let channel = x + c * g.x.h * g.x.w
      for l in 0..<g.fh {
        for m in 0..<g.fw {
          let row = col + (((c - channels.lowerBound) * g.fh + l) * g.fw + m) * width
          var p = pixels.lowerBound
          while p < pixels.upperBound {
            // One output row i at a time: pixels p..<end share i.
            let i = p / wo
            let j0 = p % wo
            let end = min(pixels.upperBound, (i + 1) * wo)
            let r = i * sh + l - ph
            if r >= 0 && r < g.x.h {
              let target = channel + r * g.x.w
              let source = row + (p - pixels.lowerBound)
              let count = end - p
              if sw == 1 {
                // Columns j with 0 ≤ j + m − p_w < W: a contiguous run of the target row.
                let first = min(count, max(0, pw - m - j0))
                let last = max(first, min(count, g.x.w + pw - m - j0))
                if last > first {
                  let (t, s) = (target + (j0 + first + m - pw), source + first)
                  for k in 0..<(last - first) { t[k] += s[k] }
                }
              } else {
                for k in 0..<count {
                  let q = (j0 + k) * sw + m - pw
                  if q >= 0 && q < g.x.w { target[q] += source[k] }
                }
              }
            }
            p = end
          }
        }
      }
    }
  }
}
