/// Max-pooling on the fast path (Float32); same contract as `MaxPool`. The forward pass
/// returns the winners (the offset in x of each window's maximum, first of equals), which is
/// all the backward pass needs: the sparse Jacobian, stored as one index per output.
/// VGG-16's 2×2 windows with stride 2 take a vectorized path: four windows at a time.
///
/// Equal means exactly equal. Where an image is flat, a direct convolution computes equal values
/// for a window and the first wins, as in PyTorch; Winograd rounds them apart in the last bits,
/// so there the gradient may go to another element of the window (an equally valid
/// subgradient). Counting near-equal values as ties was tried and dropped: on random data it sent
/// gradients to elements that were not the maximum (conv4_3's ∂W then differed from Double by
/// 6e-3 instead of 1e-6). Instead, the direct convolution before a pool recomputes in Double the
/// values of a window that are within rounding of its maximum (`CloseCalls`), so the maximum
/// found here is that of exact arithmetic on the layer's float32 inputs.
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

  /// m = max over each window, and the winners (empty when `winners` is false: a forward pass
  /// without backward does not need them).
  public func forward(_ x: Tensor32, winners keepWinners: Bool = true) throws -> (
    m: Tensor32, winners: [Int32]
  ) {
    let g = try PoolWindow([x.shape], window: window, stride: stride, op: "maxpool")
    var m = Tensor32(uninitialized: g.m.dims)
    // Every window writes its winner: no zero-fill.
    let kept = keepWinners ? m.count : 0
    var winners = [Int32](unsafeUninitializedCapacity: kept) { _, count in count = kept }
    let planes = g.m.n * g.m.c
    let (fh, fw, sh, sw) = (window.rows, window.columns, stride.rows, stride.columns)
    let halves = fh == 2 && fw == 2 && sh == 2 && sw == 2
    x.values.withUnsafeBufferPointer { xp in
      m.values.withUnsafeMutableBufferPointer { mp in
        winners.withUnsafeMutableBufferPointer { wp in
          let (xBase, mBase) = (xp.baseAddress!, mp.baseAddress!)
          let wBase = keepWinners ? wp.baseAddress : nil  // an empty array may still have an address
          FastPath.parallelFor(planes, minimumChunk: max(1, 16384 / max(1, g.x.h * g.x.w))) { plane in
            let xOffset = plane * g.x.h * g.x.w
            let mOffset = plane * g.m.h * g.m.w
            for i in 0..<g.m.h {
              var j = 0
              if halves {
                j = Self.poolHalves(
                  xBase, row: xOffset + 2 * i * g.x.w, rowLength: g.x.w, count: g.m.w,
                  into: mBase + mOffset + i * g.m.w, winners: wBase.map { $0 + mOffset + i * g.m.w })
              }
              for j in j..<g.m.w {
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
                wBase?[mOffset + i * g.m.w + j] = Int32(best)
              }
            }
          }
        }
      }
    }
    return (m, winners)
  }

  /// 2×2 windows with stride 2 along one row of outputs, four at a time: the window at output
  /// column j covers x[row + 2j], x[row + 2j + 1] and the same two one row down. The winner is the
  /// first maximum in the order (0,0), (0,1), (1,0), (1,1), as in the scalar loop. Returns how
  /// many outputs it wrote (a multiple of 4); the scalar loop does the rest.
  @inline(__always)
  static func poolHalves(
    _ x: UnsafePointer<Float>, row: Int, rowLength: Int, count: Int, into m: UnsafeMutablePointer<Float>,
    winners: UnsafeMutablePointer<Int32>?
  ) -> Int {
    var j = 0
    let lanes = SIMD4<Int32>(0, 2, 4, 6)
    while j + 4 <= count {
      let top = UnsafeRawPointer(x + row + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
      let bottom = UnsafeRawPointer(x + row + rowLength + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
      var best = top.evenHalf
      var at = SIMD4<Int32>(repeating: 0)
      @inline(__always) func challenge(_ candidate: SIMD4<Float>, _ offset: Int) {
        let better = candidate .> best
        best.replace(with: candidate, where: better)
        at.replace(with: SIMD4(repeating: Int32(offset)), where: better)
      }
      challenge(top.oddHalf, 1)
      challenge(bottom.evenHalf, rowLength)
      challenge(bottom.oddHalf, rowLength + 1)
      UnsafeMutableRawPointer(m + j).storeBytes(of: best, as: SIMD4<Float>.self)
      if let winners {
        let base = SIMD4<Int32>(repeating: Int32(row + 2 * j)) &+ lanes &+ at
        UnsafeMutableRawPointer(winners + j).storeBytes(of: base, as: SIMD4<Int32>.self)
      }
      j += 4
    }
    return j
  }

  /// The pool's geometry for a backward pass: δ must have the output's shape, and one winner
  /// (offset or choice) per element of δ.
  func backwardGeometry(xShape: [Int], winners: Int, delta: Tensor32) throws -> PoolWindow {
    let g = try PoolWindow([xShape], window: window, stride: stride, op: "maxpool")
    guard delta.shape == g.m.dims, winners == delta.count else {
      throw EngineError.shapeMismatch(
        op: "maxpool backward", shapes: [delta.shape, g.m.dims], expected: "delta of the output's shape")
    }
    return g
  }

  /// ∂L/∂x: each delta goes to the element that won its window.
  public func backward(xShape: [Int], winners: [Int32], delta: Tensor32) throws -> Tensor32 {
    let g = try backwardGeometry(xShape: xShape, winners: winners.count, delta: delta)
    let (fh, fw, sh, sw) = (window.rows, window.columns, stride.rows, stride.columns)
    if fh == 2, fw == 2, sh == 2, sw == 2, g.x.h % 2 == 0, g.x.w % 2 == 0 {
      // The windows tile x exactly: every element of dx is written once, no zero-fill.
      var dx = Tensor32(uninitialized: xShape)
      delta.values.withUnsafeBufferPointer { dp in
        winners.withUnsafeBufferPointer { wp in
          dx.values.withUnsafeMutableBufferPointer { dxp in
            let (d, won, out) = (dp.baseAddress!, wp.baseAddress!, dxp.baseAddress!)
            let rows = g.m.n * g.m.c * g.m.h
            FastPath.parallelFor(rows, minimumChunk: 64) { r in
              Self.unpoolHalves(
                d + r * g.m.w, winners: won + r * g.m.w, count: g.m.w, row: 2 * r * g.x.w, rowLength: g.x.w,
                into: out)
            }
          }
        }
      }
      return dx
    }
    var dx = Tensor32(zeros: xShape)
    for k in 0..<winners.count { dx.values[Int(winners[k])] += delta.values[k] }
    return dx
  }

  /// The backward of `poolHalves` for one row of outputs: δ of output j goes to its window's
  /// winner, 0 to the window's three other elements (rows `row` and `row + rowLength` of dx).
  @inline(__always)
  static func unpoolHalves(
    _ delta: UnsafePointer<Float>, winners: UnsafePointer<Int32>, count: Int, row: Int, rowLength: Int,
    into dx: UnsafeMutablePointer<Float>
  ) {
    let zero = SIMD4<Float>()
    var j = 0
    while j + 4 <= count {
      let d = UnsafeRawPointer(delta + j).loadUnaligned(as: SIMD4<Float>.self)
      let at =
        UnsafeRawPointer(winners + j).loadUnaligned(as: SIMD4<Int32>.self)
        &- SIMD4<Int32>(repeating: Int32(row + 2 * j)) &- SIMD4<Int32>(0, 2, 4, 6)
      @inline(__always) func part(_ offset: Int) -> SIMD4<Float> {
        zero.replacing(with: d, where: at .== SIMD4(repeating: Int32(offset)))
      }
      var top = SIMD8<Float>()
      var bottom = SIMD8<Float>()
      (top.evenHalf, top.oddHalf) = (part(0), part(1))
      (bottom.evenHalf, bottom.oddHalf) = (part(rowLength), part(rowLength + 1))
      UnsafeMutableRawPointer(dx + row + 2 * j).storeBytes(of: top, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(dx + row + rowLength + 2 * j).storeBytes(of: bottom, as: SIMD8<Float>.self)
      j += 4
    }
    while j < count {
      let (at, window) = (Int(winners[j]) - (row + 2 * j), dx + row + 2 * j)
      window[0] = at == 0 ? delta[j] : 0
      window[1] = at == 1 ? delta[j] : 0
      window[rowLength] = at == rowLength ? delta[j] : 0
      window[rowLength + 1] = at == rowLength + 1 ? delta[j] : 0
      j += 1
    }
  }
}
