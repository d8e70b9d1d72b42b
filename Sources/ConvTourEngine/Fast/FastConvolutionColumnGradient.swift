extension FastConvolution {
  /// ∂L/∂x by columns, for any stride: dcol = Wᵀ · δ, and col2im adds dcol back onto the pixels.
  /// (With stride 1, `backward` computes it as a convolution instead: `transposed`.)
  /// Large images: per tile of pixels, into a ∂L/∂x of the lane's own (tiles share input pixels
  /// at their edges; lane l takes the tiles t ≡ l mod lanes), the lanes' added in lane order per
  /// example. Small images: per group of channels c (one per lane), dcol = W[:, c]ᵀ · δ, added
  /// into those channels only. Either way the worker count changes no sum.
  func inputGradientByColumns(
    x: Tensor32, W: Tensor32, delta: Tensor32, _ g: Convolution.Geometry
  ) -> Tensor32 {
    let (rows, columns) = (g.x.c * g.fh * g.fw, g.z.h * g.z.w)
    let imageSize = g.x.c * g.x.h * g.x.w
    let (workers, lanes) = (FastPath.workers, FastPath.lanes)
    let tiles = PixelTiles(rows: rows, columns: columns, scratchFloats: scratchFloats)
    let byTiles = !tiles.fewerThanLanes
    var dx = Tensor32(zeros: x.shape)
    // Scratch per worker: a tile of dcol, or the dcol rows of a lane's channels.
    let scratchSize =
      byTiles ? rows * tiles.widest : ((g.x.c + lanes - 1) / lanes) * g.fh * g.fw * columns
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * scratchSize)
    defer { scratch.deallocate() }
    let privateCount = byTiles ? (lanes - 1) * imageSize : 0
    let privateDX = UnsafeMutablePointer<Float>.allocate(capacity: max(1, privateCount))
    privateDX.initialize(repeating: 0, count: max(1, privateCount))
    defer { privateDX.deallocate() }
    W.values.withUnsafeBufferPointer { wp in
      delta.values.withUnsafeBufferPointer { dp in
        dx.values.withUnsafeMutableBufferPointer { dxp in
          let wBase = wp.baseAddress!
          for n in 0..<g.x.n {
            let (dn, dxn) = (dp.baseAddress! + n * g.k * columns, dxp.baseAddress! + n * imageSize)
            if byTiles {
              FastPath.forEachLane { lane, w in
                let dcol = scratch + w * scratchSize
                let target = lane == 0 ? dxn : privateDX + (lane - 1) * imageSize
                for t in Swift.stride(from: lane, to: tiles.count, by: lanes) {
                  let pixels = tiles.pixels(t)
                  FastPath.gemm(
                    transposeA: true, transposeB: false, m: rows, n: pixels.count, k: g.k, a: wBase,
                    lda: rows,
                    b: dn + pixels.lowerBound, ldb: columns, beta: 0, c: dcol, ldc: pixels.count)
                  col2im(dcol, g, pixels: pixels, channels: 0..<g.x.c, adding: target)
                }
              }
              // Add the other lanes' accumulators into this example's ∂L/∂x and clear them.
              FastPath.addAccumulators(
                privateDX, accumulators: lanes - 1, count: imageSize, into: dxn, clearing: true)
            } else {
              FastPath.forEachLaneShare(g.x.c) { channels, w in
                let dcol = scratch + w * scratchSize
                let r0 = channels.lowerBound * g.fh * g.fw
                FastPath.gemm(
                  transposeA: true, transposeB: false, m: channels.count * g.fh * g.fw, n: columns, k: g.k,
                  a: wBase + r0, lda: rows, b: dn, ldb: columns, beta: 0, c: dcol, ldc: columns)
                col2im(dcol, g, pixels: 0..<columns, channels: channels, adding: dxn)
              }
            }
          }
        }
      }
    }
    return dx
  }
}
