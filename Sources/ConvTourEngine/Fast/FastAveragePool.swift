/// Mean-pooling on the fast path (Float32); same contract as `MeanPool`:
/// x [N, C, H, W] → m [N, C, H_out, W_out], m(i, j) = (1/(f·f))·Σ over the window at (i·s, j·s).
/// Each window is summed in Float in row-major order, then divided by f·f — PyTorch's
/// `avg_pool2d` order on the CPU — and the planes are shared between the workers.
public struct FastAveragePool: Sendable {
  public var window: Int
  public var stride: Int

  public init(window: Int, stride: Int) {
    self.window = window
    self.stride = stride
  }

  func geometry(_ shape: [Int]) throws -> PoolWindow {
    try PoolWindow([shape], window: Extent2D(window), stride: Extent2D(stride), op: "avgpool")
  }

  public func forward(_ x: Tensor32) throws -> Tensor32 {
    let g = try geometry(x.shape)
    var m = Tensor32(uninitialized: g.m.dims)
    let (f, s) = (window, stride)
    let size = Float(f * f)
    x.values.withUnsafeBufferPointer { xp in
      m.values.withUnsafeMutableBufferPointer { mp in
        let (xBase, mBase) = (xp.baseAddress!, mp.baseAddress!)
        FastPath.parallelFor(g.m.n * g.m.c, minimumChunk: max(1, 16384 / max(1, g.x.h * g.x.w))) { plane in
          let (xPlane, mPlane) = (xBase + plane * g.x.h * g.x.w, mBase + plane * g.m.h * g.m.w)
          if f == 2, s == 2 {
            // The 2×2 windows of stride 2 (LeNet's and the textbook's pools): the same sums in the
            // same order, with the window's size known to the compiler.
            for i in 0..<g.m.h {
              let (upper, lower, out) = (
                xPlane + 2 * i * g.x.w, xPlane + (2 * i + 1) * g.x.w, mPlane + i * g.m.w
              )
              for j in 0..<g.m.w {
                var sum: Float = 0
                sum += upper[2 * j]
                sum += upper[2 * j + 1]
                sum += lower[2 * j]
                sum += lower[2 * j + 1]
                out[j] = sum / size
              }
            }
            return
          }
          for i in 0..<g.m.h {
            for j in 0..<g.m.w {
              var sum: Float = 0
              for l in 0..<f {
                let row = xPlane + (i * s + l) * g.x.w + j * s
                for q in 0..<f { sum += row[q] }
              }
              mPlane[i * g.m.w + j] = sum / size
            }
          }
        }
      }
    }
    return m
  }

  /// ∂L/∂x: every element of window (i, j) receives ∂L/∂m(i, j)/(f·f), summed where windows overlap.
  public func backward(xShape: [Int], delta: Tensor32) throws -> Tensor32 {
    let g = try geometry(xShape)
    guard delta.shape == g.m.dims else {
      throw EngineError.shapeMismatch(
        op: "avgpool backward", shapes: [delta.shape, g.m.dims], expected: "delta of the output's shape")
    }
    var dx = Tensor32(zeros: xShape)
    let (f, s) = (window, stride)
    let size = Float(f * f)
    delta.values.withUnsafeBufferPointer { dp in
      dx.values.withUnsafeMutableBufferPointer { xp in
        let (dBase, xBase) = (dp.baseAddress!, xp.baseAddress!)
        FastPath.parallelFor(g.m.n * g.m.c, minimumChunk: max(1, 16384 / max(1, g.x.h * g.x.w))) { plane in
          let (xPlane, dPlane) = (xBase + plane * g.x.h * g.x.w, dBase + plane * g.m.h * g.m.w)
          if f == 2, s == 2 {
            for i in 0..<g.m.h {
              let (upper, lower) = (xPlane + 2 * i * g.x.w, xPlane + (2 * i + 1) * g.x.w)
              for j in 0..<g.m.w {
                let share = dPlane[i * g.m.w + j] / size
                upper[2 * j] += share
                upper[2 * j + 1] += share
                lower[2 * j] += share
                lower[2 * j + 1] += share
              }
            }
            return
          }
          for i in 0..<g.m.h {
            for j in 0..<g.m.w {
              let share = dPlane[i * g.m.w + j] / size
              for l in 0..<f {
                let row = xPlane + (i * s + l) * g.x.w + j * s
                for q in 0..<f { row[q] += share }
              }
            }
          }
        }
      }
    }
    return dx
  }
}

/// The squared distance to a constant target on the fast path: z [m, n] → J = Σ_e Σ_i (z − t)²
/// (001 §12.4's `torch.norm(output − 1)**2`), ∂J/∂z = 2(z − t). The sum runs in Double.
public struct FastSquaredDistance: Sendable {
  public var target: Float

  public init(target: Float) { self.target = target }

  /// J = Σ (z − t)² (rounded once from `sum`, its Double value) and ∂J/∂z = 2(z − t).
  public func forwardBackward(z: Tensor32) -> (loss: Float, sum: Double, dz: Tensor32) {
    var dz = z
    var total = 0.0
    for k in z.values.indices {
      let d = z.values[k] - target
      total += Double(d) * Double(d)
      dz.values[k] = 2 * d
    }
    return (Float(total), total, dz)
  }
}
