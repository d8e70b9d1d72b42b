/// Max-pooling on the fast path (Float32); same contract as `MaxPool`. The forward pass
/// returns the winners (the offset in x of each window's maximum, first of equals), which is
/// all the backward pass needs: the sparse Jacobian, stored as one index per output.
public struct FastMaxPool: Sendable {
  public var window: Extent2D
  public var stride: Extent2D

  public init(window: Int, stride: Int) {
    self.window = Extent2D(window)
    self.stride = Extent2D(stride)
  }

  public init(window: Extent2D, stride: Extent2D) {
    self.window = window
    self.stride = stride
  }

  public func forward(_ x: Tensor32) throws -> (m: Tensor32, winners: [Int32]) {
    let g = try PoolWindow([x.shape], window: window, stride: stride, op: "maxpool")
    var m = Tensor32(zeros: g.m.dims)
    var winners = [Int32](repeating: 0, count: m.count)
    let planes = g.m.n * g.m.c
    let (fh, fw, sh, sw) = (window.rows, window.columns, stride.rows, stride.columns)
    x.values.withUnsafeBufferPointer { xp in
      m.values.withUnsafeMutableBufferPointer { mp in
        winners.withUnsafeMutableBufferPointer { wp in
          let (xBase, mBase, wBase) = (xp.baseAddress!, mp.baseAddress!, wp.baseAddress!)
          FastPath.parallelFor(planes, minimumChunk: max(1, 16384 / max(1, g.x.h * g.x.w))) { plane in
            let xOffset = plane * g.x.h * g.x.w
            let mOffset = plane * g.m.h * g.m.w
            for i in 0..<g.m.h {
              for j in 0..<g.m.w {
                var best = xOffset + (i * sh) * g.x.w + j * sw
                var bestValue = xBase[best]
                for l in 0..<fh {
                  for q in 0..<fw {
                    let o = xOffset + (i * sh + l) * g.x.w + j * sw + q
                    if xBase[o] > bestValue {
                      best = o
                      bestValue = xBase[o]
                    }
                  }
                }
                mBase[mOffset + i * g.m.w + j] = bestValue
                wBase[mOffset + i * g.m.w + j] = Int32(best)
              }
            }
          }
        }
      }
    }
    return (m, winners)
  }

  /// ∂L/∂x: each delta goes to the element that won its window.
  public func backward(xShape: [Int], winners: [Int32], delta: Tensor32) throws -> Tensor32 {
    let g = try PoolWindow([xShape], window: window, stride: stride, op: "maxpool")
    guard delta.shape == g.m.dims, winners.count == delta.count else {
      throw EngineError.shapeMismatch(
        op: "maxpool backward", shapes: [delta.shape, g.m.dims], expected: "delta of the output's shape")
    }
    var dx = Tensor32(zeros: xShape)
    for k in 0..<winners.count { dx.values[Int(winners[k])] += delta.values[k] }
    return dx
  }
}
