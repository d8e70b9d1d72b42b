extension FastConvolution {
  /// z = W * x + b, and max(z, 0) when `relu`. With `decidesCloseCalls` (and `relu`), the
  /// outputs whose ReLU — and, with `maxPoolSide`, whose max-pool window's winner — float32's
  /// rounding could have decided are computed again in Double (`CloseCalls`); a pool's
  /// candidates are found block by block while the outputs are in cache (`PoolCloseCalls`).
  public func forward(x: Tensor32, W: Tensor32, b: Tensor32?, relu: Bool = false) throws -> Tensor32 {
    let g = try geometry(x.shape, W.shape, b?.shape)
    let rows = g.x.c * g.fh * g.fw
    let columns = g.z.h * g.z.w
    let workers = FastPath.workers
    let tiles = PixelTiles(rows: rows, columns: columns, scratchFloats: scratchFloats)
    var z = Tensor32(uninitialized: g.z.dims)
    let bias = b?.values ?? [Float](repeating: 0, count: g.k)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * rows * tiles.widest)
    defer { scratch.deallocate() }
    // Each worker's pre-ReLU outputs within rounding of 0 (offsets in z), when deciding them.
    let nearZero = UnsafeMutablePointer<[Int]>.allocate(capacity: workers)
    nearZero.initialize(repeating: [], count: workers)
    defer { nearZero.deinitialize(count: workers).deallocate() }
    // Each worker's candidate pool windows, when deciding a following max-pool's close calls.
    let candidates = UnsafeMutablePointer<[Int]>.allocate(capacity: workers)
    candidates.initialize(repeating: [], count: workers)
    defer { candidates.deinitialize(count: workers).deallocate() }
    x.values.withUnsafeBufferPointer { xp in
      W.values.withUnsafeBufferPointer { wp in
        z.values.withUnsafeMutableBufferPointer { zp in
          let (xBase, wBase, zBase) = (xp.baseAddress!, wp.baseAddress!, zp.baseAddress!)
          let closeCalls =
            decidesCloseCalls && relu
            ? CloseCalls(x: xBase, W: wBase, g, stride: stride, padding: padding) : nil
          let pool = closeCalls.flatMap { c in maxPoolSide.map { PoolCloseCalls(c, side: $0) } }
          let blockPool = scansPoolInBlocks ? pool : nil
          let direct = computesForwardDirectly(g)
          if direct {
            directProducts(xBase, W: wBase, g, z: zBase)
            // The same pieces as the products: an example and a range of its filters.
            let groups = Self.directGroups(g, workers: workers)
            FastPath.forEachWorker(workers) { w in
              for piece in FastPath.share(g.x.n * groups, w, workers) {
                let (n, filters) = (piece / groups, FastPath.share(g.k, piece % groups, groups))
                Self.addBias(
                  bias, to: zBase + n * g.k * columns, rows: filters, pixels: 0..<columns, stride: columns,
                  relu: relu, closeCalls: closeCalls, example: n, nearZero: &nearZero[w])
                closeCalls?.decideReLU(&nearZero[w], x: xBase, z: zBase, W: wBase, b: bias)
                if let closeCalls, let pool = blockPool {
                  pool.scan(
                    closeCalls, z: zBase, example: n, filters: filters, poolRows: 0..<pool.rows,
                    into: &candidates[w])
                }
              }
            }
          }
          // Pool rows that straddle two tiles, scanned after the tiles (the workers taking ranges
          // of filters).
          let straddling = blockPool.map { $0.rows(outside: tiles, width: g.z.w) } ?? []
          for n in 0..<(direct ? 0 : g.x.n) {
            let xn = xBase + n * g.x.c * g.x.h * g.x.w
            let zn = zBase + n * g.k * columns
            if !tiles.fewerThanLanes {
              // Each worker: its tiles of pixels → its own columns → z[:, tile].
              FastPath.forEachWorker(workers) { w in
                let col = scratch + w * rows * tiles.widest
                for t in Swift.stride(from: w, to: tiles.count, by: workers) {
                  let pixels = tiles.pixels(t)
                  let (p0, width) = (pixels.lowerBound, pixels.count)
                  im2col(xn, g, pixels: pixels, into: col)
                  FastPath.gemm(
                    transposeA: false, transposeB: false, m: g.k, n: width, k: rows, a: wBase, lda: rows,
                    b: col,
                    ldb: width, beta: 0, c: zn + p0, ldc: columns)
                  Self.addBias(
                    bias, to: zn, rows: 0..<g.k, pixels: pixels, stride: columns, relu: relu,
                    closeCalls: closeCalls, example: n, nearZero: &nearZero[w])
                  closeCalls?.decideReLU(&nearZero[w], x: xBase, z: zBase, W: wBase, b: bias)
                  if let closeCalls, let pool = blockPool {
                    pool.scan(
                      closeCalls, z: zBase, example: n, filters: 0..<g.k,
                      poolRows: pool.rows(inside: pixels, width: g.z.w), into: &candidates[w])
                  }
                }
              }
              if let closeCalls, let pool = blockPool, !straddling.isEmpty {
                FastPath.forEachWorker(workers) { w in
                  pool.scan(
                    closeCalls, z: zBase, example: n, filters: FastPath.share(g.k, w, workers),
                    poolRows: straddling, into: &candidates[w])
                }
              }
            } else {
              // Few pixels: one col for all of them; the lanes take ranges of filters.
              let col = UnsafeMutablePointer<Float>.allocate(capacity: rows * columns)
              defer { col.deallocate() }
              allColumns(xn, g, workers: workers, into: col)
              FastPath.forEachLaneShare(g.k) { filters, w in
                let (k0, k1) = (filters.lowerBound, filters.upperBound)
                FastPath.gemm(
                  transposeA: false, transposeB: false, m: k1 - k0, n: columns, k: rows, a: wBase + k0 * rows,
                  lda: rows, b: col, ldb: columns, beta: 0, c: zn + k0 * columns, ldc: columns)
                Self.addBias(
                  bias, to: zn, rows: k0..<k1, pixels: 0..<columns, stride: columns, relu: relu,
                  closeCalls: closeCalls, example: n, nearZero: &nearZero[w])
                closeCalls?.decideReLU(&nearZero[w], x: xBase, z: zBase, W: wBase, b: bias)
                if let closeCalls, let pool = blockPool {
                  pool.scan(
                    closeCalls, z: zBase, example: n, filters: filters, poolRows: 0..<pool.rows,
                    into: &candidates[w])
                }
              }
            }
          }
          // Ties exact whatever the BLAS's kernels: equal windows, bitwise-equal outputs.
          guard keepsTiesExact else { return }
          // Computed straight from x, identical windows already have identical outputs: only a
          // max-pool's close calls need to know which they are.
          if direct, pool == nil { return }
          // Straight from x, the scan saw the final values (copyRepeats would change none), so its
          // candidates are all a max-pool can decide: with none, the windows' classes are not needed
          // (a photograph's usual case; a flat region's exact ties are candidates).
          if direct, blockPool != nil, (0..<workers).allSatisfy({ candidates[$0].isEmpty }) { return }
          // Few candidates: their windows compared where they are (`poolComparisonTaps`).
          if direct, poolComparisonTaps > 0, let closeCalls, let pool = blockPool,
            bias.withUnsafeBufferPointer({
              closeCalls.decideMaxPoolDirectly(
                pool, candidates: (0..<workers).flatMap { candidates[$0] }, z: zBase, x: xBase, W: wBase,
                b: $0.baseAddress!, work: poolComparisonTaps * x.values.count)
            }) != nil
          {
            return
          }
          let identical = IdenticalWindows(xBase, g, stride: stride, padding: padding)
          guard let closeCalls else {
            identical.copyRepeats(into: zBase, filters: g.k, outputs: columns)
            return
          }
          bias.withUnsafeBufferPointer { bp in
            let bBase = bp.baseAddress!
            identical.copyRepeats(into: zBase, filters: g.k, outputs: columns)
            if let pool, blockPool == nil {
              for n in 0..<g.x.n {
                pool.scan(
                  closeCalls, z: zBase, example: n, filters: 0..<g.k, poolRows: 0..<pool.rows,
                  into: &candidates[0])
              }
            }
            if let pool,
              closeCalls.decideMaxPool(
                pool, candidates: (0..<workers).flatMap { candidates[$0] }, identical: identical, z: zBase,
                x: xBase, W: wBase, b: bBase) > 0
            {
              identical.copyRepeats(into: zBase, filters: g.k, outputs: columns)
            }
          }
        }
      }
    }
    return z
  }

  /// z[k, p] += b[k] over a block of rows and pixels of example `example`, then max(·, 0) when
  /// `relu`; with `closeCalls`, the offsets of the sums within rounding of 0 go to `nearZero`.
  static func addBias(
    _ bias: [Float], to z: UnsafeMutablePointer<Float>, rows: Range<Int>, pixels: Range<Int>, stride: Int,
    relu: Bool, closeCalls: CloseCalls? = nil, example: Int = 0, nearZero: inout [Int]
  ) {
    for k in rows {
      let row = z + k * stride
      let value = bias[k]
      if relu, let closeCalls {
        // Pixel q of the batch is example · stride + p; its output's offset in z adds k's rows.
        let (scale, q0, o0) = (
          closeCalls.filterScale[k], example * stride, (example * bias.count + k) * stride
        )
        closeCalls.windowNorm.withUnsafeBufferPointer { norms in
          // Eight at a time: z + b, its ReLU, and whether it is within its bound of 0 (rarely).
          let (values, bounds) = (UnsafeMutableRawPointer(row), UnsafeRawPointer(norms.baseAddress! + q0))
          let (biases, scales, zero) = (
            SIMD8<Float>(repeating: value), SIMD8<Float>(repeating: scale), SIMD8<Float>()
          )
          var p = pixels.lowerBound
          while p + 8 <= pixels.upperBound {
            let offset = p * MemoryLayout<Float>.stride
            let v = values.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) + biases
            let bound = scales * bounds.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let near = v.replacing(with: -v, where: v .< zero) .<= bound
            if any(near) {
              for lane in 0..<8 where near[lane] { nearZero.append(o0 + p + lane) }
            }
            values.storeBytes(
              of: v.replacing(with: zero, where: v .< zero), toByteOffset: offset, as: SIMD8<Float>.self)
            p += 8
          }
          for p in p..<pixels.upperBound {
            let v = row[p] + value
            if abs(v) <= scale * norms[q0 + p] { nearZero.append(o0 + p) }
            row[p] = max(v, 0)
          }
        }
      } else if relu {
        for p in pixels { row[p] = max(row[p] + value, 0) }
      } else {
        for p in pixels { row[p] += value }
      }
    }
  }
}
