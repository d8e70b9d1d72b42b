/// Convolution on the fast path: Float32, im2col in tiles, and single-threaded sgemm per worker.
///
/// Same contract as `Convolution` (x [N, C, H, W], W [K, C, f_h, f_w], b [K] → z [N, K, H_out, W_out]).
/// im2col lays receptive fields out as the columns of a matrix
///   col[(c, l, m), p] = s(c, i·s_h + l, j·s_w + m),   p = i·W_out + j   — [C·f_h·f_w, H_out·W_out]
/// so that, with W viewed as [K, C·f_h·f_w] and one example at a time,
///   forward:  z = W · col + b                    (then ReLU, when fused)
///   backward: ∂L/∂W += δ · colᵀ,  ∂L/∂b += Σ_p δ, and ∂L/∂x either as a convolution of δ with
///             the turned filters (stride 1: `transposed`) or as dcol = Wᵀ · δ, which col2im adds
///             back onto x (`inputGradientByColumns`).
/// Work is split so that the workers never write the same memory and their data stays in cache:
/// - large images: tiles of output pixels p (`PixelTiles`: each worker builds the columns of its
///   own tiles); ∂L/∂W accumulates in one buffer per worker, summed at the end;
/// - small images: one col, and the workers take ranges of filters k (or, for dcol, of channels c).
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
  /// Whether identical input windows are made to give bitwise-identical outputs
  /// (`IdenticalWindows`): what max-pool ties need. ∂L/∂x computed as a convolution does not.
  var keepsTiesExact = true
  /// Whether a following max-pool's candidate close calls are found block by block while the
  /// outputs are in cache (`PoolCloseCalls`), or by one pass over every pool window after the
  /// product, as before: tests compare the two.
  var scansPoolInBlocks = true
  /// How many taps, per element of x, a direct convolution's max-pool close calls may read to be
  /// decided by comparing windows (`decideMaxPoolDirectly`) before the batch's window classes
  /// are found instead: 0 finds the classes at once; tests compare the two ways.
  var poolComparisonTaps = 4

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
    if sw == 1, pixels.lowerBound % wo == 0, pixels.upperBound % wo == 0 {
      wholeRows(
        x, g, rows: (pixels.lowerBound / wo)..<(pixels.upperBound / wo), channels: channels, into: col)
      return
    }
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
              FastPath.clear(out, count: count)
            } else {
              let source = channel + r * g.x.w
              if sw == 1 {
                // Columns j with 0 ≤ j + m − p_w < W are a contiguous run of the source row.
                let first = min(count, max(0, pw - m - j0))
                let last = max(first, min(count, g.x.w + pw - m - j0))
                if first > 0 { FastPath.clear(out, count: first) }
                if last > first {
                  FastPath.copy(source + (j0 + first + m - pw), to: out + first, count: last - first)
                }
                if last < count { FastPath.clear(out + last, count: count - last) }
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

  /// im2col of whole output rows i in `rows`, stride 1 along the rows: every output row takes
  /// the same run of columns of its source row, so the run's ends are found once per tap.
  func wholeRows(
    _ x: UnsafePointer<Float>, _ g: Convolution.Geometry, rows: Range<Int>, channels: Range<Int>?,
    into col: UnsafeMutablePointer<Float>
  ) {
    let wo = g.z.w
    let width = rows.count &* wo
    let (sh, ph, pw) = (stride.rows, padding.rows, padding.columns)
    for c in channels ?? 0..<g.x.c {
      let channel = x + c &* g.x.h &* g.x.w
      for l in 0..<g.fh {
        for m in 0..<g.fw {
          var out = col + ((c &* g.fh &+ l) &* g.fw &+ m) &* width
          // Columns j with 0 ≤ j + m − p_w < W are a contiguous run of the source row.
          let first = min(wo, max(0, pw &- m))
          let last = max(first, min(wo, g.x.w &+ pw &- m))
          for i in rows {
            let r = i &* sh &+ l &- ph
            if r < 0 || r >= g.x.h {
              FastPath.clear(out, count: wo)
            } else {
              if first > 0 { FastPath.clear(out, count: first) }
              if last > first {
                FastPath.copy(
                  channel + (r &* g.x.w &+ first &+ m &- pw), to: out + first, count: last &- first)
              }
              if last < wo { FastPath.clear(out + last, count: wo &- last) }
            }
            out += wo
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
