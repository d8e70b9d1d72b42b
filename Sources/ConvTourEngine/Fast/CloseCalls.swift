/// Close calls of the direct convolution, decided in Double.
///
/// A float32 dot product z = Σ W·s + b is off by a few units in its last place: typically about
/// u·‖W_k‖·‖s‖, now and then ten times that (u = 2⁻²⁴; ‖W_k‖ the norm of filter k, ‖s‖ that of
/// the input window). That is harmless except where a decision hangs on it, and only the gradient does:
/// - ReLU at a z within rounding of 0 (say 1e-8 in exact arithmetic, −1e-8 in float32): the
///   whole gradient through that unit is kept or dropped;
/// - a max-pool window whose largest values are within rounding of each other: the gradient goes
///   to one or the other.
/// PyTorch's float32 gets these right or wrong by luck (on VGG-16, a flip or two per image, and
/// one flip can move the input gradient by 1 %). So, when a backward pass follows, every output
/// within `tolerance`·‖W_k‖·‖s‖ of such a decision is computed again in Double from the same
/// float32 x and W and rounded once: this layer's own rounding then decides nothing. (What it
/// cannot undo is the rounding its input inherited from the layers below, as in PyTorch.) The
/// tolerance is 2⁻¹⁸ = 64u: on VGG-16 with a flat image, 16u let a conv4_3 ReLU input of 2.6e-7
/// through with the wrong sign, 64u caught it; it picks about one output in ten thousand.
/// Values exactly equal because their windows are identical (`IdenticalWindows`) are exact ties,
/// left to the first, as exact arithmetic would.
///
/// Geometry as in `FastConvolution`: x [N, C, H, W], W [K, C, f_h, f_w], b [K] → z [N, K, H_out·W_out];
/// an output is named by its offset (e·K + k)·H_out·W_out + p in z.
struct CloseCalls {
  static let tolerance: Float = 0x1p-18

  let g: Convolution.Geometry
  let stride: Extent2D
  let padding: Extent2D
  /// ‖W_k‖·tolerance, [K].
  let filterScale: [Float]
  /// ‖s‖ of the window of output pixel q = e·H_out·W_out + p, [N·H_out·W_out].
  let windowNorm: [Float]

  init(
    x: UnsafePointer<Float>, W: UnsafePointer<Float>, _ g: Convolution.Geometry, stride: Extent2D,
    padding: Extent2D
  ) {
    self.g = g
    self.stride = stride
    self.padding = padding
    filterScale = Self.filterScales(W, filters: g.k, taps: g.x.c * g.fh * g.fw)
    windowNorm = Self.windowNorms(x, g, stride: stride, padding: padding)
  }

  /// A bound as a float32 that is finite: an infinite or NaN one (from inputs that are themselves
  /// infinite or NaN) is 0, so that it marks nothing: every output would otherwise be "within
  /// rounding of 0" and recomputed in Double, to the same overflowed value, 40–56 times slower.
  static func finite(_ value: Double) -> Float {
    let single = Float(value)
    return single.isFinite ? single : 0
  }

  /// The C·f_h·f_w values of the input window of output pixel p of example e, in W's order
  /// (c, l, m), zeros in the border — of the channels `channels` only (all by default), the
  /// first of them at window[0]. Their loads do not wait on each other: a window of conv4_3
  /// spans 1,536 cache lines of x. A window inside the image (most are) is copied a row of f_w
  /// taps at a time, without the border's tests.
  func gather(
    example e: Int, pixel p: Int, channels: Range<Int>? = nil, x: UnsafePointer<Float>,
    into window: UnsafeMutablePointer<Float>
  ) {
    let channels = channels ?? 0..<g.x.c
    let (i, j) = p.quotientAndRemainder(dividingBy: g.z.w)
    let (fh, fw, plane, width) = (g.fh, g.fw, g.x.h * g.x.w, g.x.w)
    let taps = fh * fw
    let (top, left) = (i * stride.rows - padding.rows, j * stride.columns - padding.columns)
    if fw == 3, top >= 0, top + fh <= g.x.h, left >= 0, left + 4 <= width {
      let corner = (e &* g.x.c &+ channels.lowerBound) &* plane &+ top &* width &+ left
      gatherThree(x + corner, channels.count, into: window)
      return
    }
    if top >= 0, top + fh <= g.x.h, left >= 0, left + fw <= width {
      var source = x + (e * g.x.c + channels.lowerBound) * plane + top * width + left
      var target = window
      for _ in channels {
        for l in 0..<fh {
          let line = source + l * width
          for m in 0..<fw { target[l * fw + m] = line[m] }
        }
        source += plane
        target += taps
      }
      return
    }
    for c in channels {
      let channel = x + (e * g.x.c + c) * plane
      let target = window + (c - channels.lowerBound) * taps
      for l in 0..<fh {
        let r = top + l
        let inside = r >= 0 && r < g.x.h
        for m in 0..<fw {
          let q = left + m
          target[l * fw + m] = inside && q >= 0 && q < width ? channel[r * width + q] : 0
        }
      }
    }
  }

  /// `gather` of a window inside the image three taps wide, with a fourth value after each of its
  /// rows in the row: each row of three is copied as four (the fourth lands where the next row's
  /// first goes, and is overwritten by it), but the very last row, which is copied as three.
  @inline(__always)
  private func gatherThree(
    _ corner: UnsafePointer<Float>, _ channels: Int, into window: UnsafeMutablePointer<Float>
  ) {
    let (fh, plane, width) = (g.fh, g.x.h &* g.x.w, g.x.w)
    let last = channels &* fh &- 1
    for c in 0..<channels {
      for l in 0..<fh {
        let (line, target) = (corner + (c &* plane &+ l &* width), window + (c &* fh &+ l) &* 3)
        if c &* fh &+ l == last {
          (target[0], target[1], target[2]) = (line[0], line[1], line[2])
        } else {
          UnsafeMutableRawPointer(target).storeBytes(
            of: UnsafeRawPointer(line).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
        }
      }
    }
  }

  /// z of filter k at a gathered window, in Double from the float32 x and W, rounded once: eight
  /// Double lanes, then the rest (a max-pool's close call needs the winner, not the last bit of
  /// an order; `decideReLU` sums in order). Identical windows give identical values. The
  /// definition of a max-pool close call's value: `exactValues` computes it many at a time, in
  /// the same order (`CloseCallsBatchTests` holds it to this, bit for bit).
  func exact(filter k: Int, window: UnsafePointer<Float>, W: UnsafePointer<Float>, b: UnsafePointer<Float>)
    -> Float
  {
    let rows = g.x.c * g.fh * g.fw
    let filter = W + k * rows
    var lanes = SIMD8<Double>()
    var t = 0
    while t + 8 <= rows {
      let w = UnsafeRawPointer(filter + t).loadUnaligned(as: SIMD8<Float>.self)
      let s = UnsafeRawPointer(window + t).loadUnaligned(as: SIMD8<Float>.self)
      lanes.addProduct(SIMD8<Double>(w), SIMD8<Double>(s))
      t += 8
    }
    var sum = Double(b[k]) + lanes.sum()
    while t < rows {
      sum += Double(filter[t]) * Double(window[t])
      t += 1
    }
    return Float(sum)
  }
}
