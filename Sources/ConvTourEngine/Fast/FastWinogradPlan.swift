extension FastWinograd {
  /// One Winograd convolution F(m×m, 3×3), m = `tile` (2 or 4): input [N, C_in, H, W] → output
  /// [N, C_out, H, W], with filters W [K, C, 3, 3] transformed to U [α²][K][C], α = m + 2.
  /// Forward: C_in = C, C_out = K, M[ξ] = U[ξ] · V[ξ]. `transposed` (∂L/∂x): C_in = K, C_out = C,
  /// M[ξ] = U'[ξ]ᵀ · V[ξ] with U' the transform of the flipped filters (for m = 2, U[π(ξ)]).
  ///
  /// Tiles t = (n·T_h + t_y)·T_w + t_x cover the output in m×m blocks (T_h = ⌈H/m⌉, T_w = ⌈W/m⌉;
  /// the last row and column of tiles stick out when m does not divide H or W, and those outputs
  /// are dropped). A block is a range of consecutive tiles; V and M of a block are
  /// [α²][channels][tiles].
  struct Plan {
    var images: Int
    var inputChannels: Int
    var outputChannels: Int
    var height: Int
    var width: Int
    /// K and C of the filters W [K, C, 3, 3].
    var filters: Int
    var channels: Int
    var transposed: Bool
    var scratchFloats: Int
    var wholeFloats: Int
    /// The largest shared block (`FastWinograd.sharedFloats`); 0: blocks of their own past
    /// `wholeFloats`.
    var sharedFloats = 0
    /// m: outputs per tile side (2 or 4).
    var tile = 2

    /// α = m + 2: inputs per tile side; α² points ξ, so α² GEMMs.
    var alpha: Int { tile + 2 }
    var points: Int { alpha * alpha }
    var tileRows: Int { (height + tile - 1) / tile }
    var tileColumns: Int { (width + tile - 1) / tile }
    var tiles: Int { images * tileRows * tileColumns }
    /// Floats of one row of column sums in the input transform: the padded columns of a row of
    /// tiles, plus slack: F(4×4, 3×3) loads 16 floats at a time and reads up to 2 past the row
    /// (never written, their lanes unused).
    var rowFloats: Int { tile * tileColumns + 2 + 16 }

    /// ξ = 4a + b → 4P(a) + P(b) with P = (3 1 2 0): for m = 2, the transform of a filter flipped
    /// in space.
    static let flip: [Int] = (0..<16).map { xi in
      let p = [3, 1, 2, 0]
      return 4 * p[xi / 4] + p[xi % 4]
    }

    func run(
      input: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, relu: Bool,
      output: UnsafeMutablePointer<Float>
    ) {
      precondition(tile == 2 || tile == 4, "Winograd tiles of 2 or 4 outputs per side, not \(tile)")
      let workers = FastPath.workers
      let (cin, cout) = (inputChannels, outputChannels)
      let zeroRow = UnsafeMutablePointer<Float>.allocate(capacity: width)
      zeroRow.initialize(repeating: 0, count: width)
      defer { zeroRow.deallocate() }
      let (points, sumFloats) = (self.points, alpha * rowFloats)
      let perTile = points * (cin + cout)
      if let blockTiles = sharedBlockTiles(perTile: perTile, workers: workers) {
        runShared(
          blockTiles: blockTiles, input: input, weights: weights, bias: bias, relu: relu, output: output,
          zeroRow: zeroRow)
        return
      }

      // Blocks of tiles; U [α²][K][C] for all filters, shared. The α² matrices of U, V and M lie
      // one cache line (16 floats) more than their size apart, so that the α² rows written for
      // one filter or one tile do not all fall into the same cache sets.
      let (blocks, blockTiles, active) = blocking(perTile: perTile, workers: workers)

      let uStride = filters * channels + 16
      let u = UnsafeMutablePointer<Float>.allocate(capacity: points * uStride)
      defer { u.deallocate() }
      FastPath.forEachWorker(workers) { w in
        let range = FastPath.share(filters, w, workers)
        transformFilters(
          weights, filters: range, channels: 0..<channels, into: u + range.lowerBound * channels,
          stride: uStride, rowLength: channels)
      }
      // Per worker: V, M and α padded rows of column sums.
      let vStride = cin * blockTiles + 16
      let mStride = cout * blockTiles + 16
      let perWorker = points * (vStride + mStride) + sumFloats
      let scratch = UnsafeMutablePointer<Float>.allocate(capacity: active * perWorker)
      defer { scratch.deallocate() }
      FastPath.forEachWorker(active) { w in
        let v = scratch + w * perWorker
        let m = v + points * vStride
        let sums = m + points * mStride
        m.initialize(repeating: 0, count: points * mStride)
        forEachBlock(of: w, active: active, blocks: blocks, blockTiles: blockTiles) { range in
          transformInputs(
            input, tiles: range, channels: 0..<cin, zeroRow: zeroRow, sums: sums,
            into: v, stride: vStride)
          multiply(
            u, stride: uStride, lda: channels, v, stride: vStride, tiles: range.count, outputs: 0..<cout,
            into: m, stride: mStride)
          transformOutputs(
            m, stride: mStride, tiles: range, outputs: 0..<cout, bias: bias, relu: relu, clear: true,
            into: output)
        }
      }
    }

    /// Blocks of consecutive tiles: at most `scratchFloats` (`perTile` floats per tile) each, a
    /// multiple of the workers in number, all of about the same size; and how many workers have
    /// a block.
    func blocking(perTile: Int, workers: Int) -> (blocks: Int, blockTiles: Int, active: Int) {
      let widest = max(1, scratchFloats / perTile)
      var blocks = (tiles + widest - 1) / widest
      blocks = (blocks + workers - 1) / workers * workers
      let blockTiles = (tiles + blocks - 1) / blocks
      blocks = (tiles + blockTiles - 1) / blockTiles
      return (blocks, blockTiles, min(workers, blocks))
    }

    /// Calls body(tiles of the block) for each block that worker w of `active` takes.
    func forEachBlock(of w: Int, active: Int, blocks: Int, blockTiles: Int, _ body: (Range<Int>) -> Void) {
      for block in Swift.stride(from: w, to: blocks, by: active) {
        let t0 = block * blockTiles
        body(t0..<min(tiles, t0 + blockTiles))
      }
    }

    /// V[ξ][c][t − tiles.lowerBound] for the tiles `tiles` and the input channels `channels`;
    /// V[ξ] starts at v + ξ·stride, its rows are tiles.count long.
    func transformInputs(
      _ input: UnsafePointer<Float>, tiles: Range<Int>, channels: Range<Int>, zeroRow: UnsafePointer<Float>,
      sums: UnsafeMutablePointer<Float>, into v: UnsafeMutablePointer<Float>, stride: Int
    ) {
      // Channel by channel: the rows of one channel that the tiles read lie together in memory.
      let count = tiles.count
      for c in channels {
        forEachSegment(tiles) { n, ty, tx, offset in
          let plane = input + (n * inputChannels + c) * height * width
          let out = v + c * count + offset
          if tile == 2 {
            transformInput(
              plane, tileRow: ty, tileColumns: tx, zeroRow: zeroRow, sums: sums, into: out, stride: stride)
          } else {
            transformInput4(
              plane, tileRow: ty, tileColumns: tx, zeroRow: zeroRow, sums: sums, into: out, stride: stride)
          }
        }
      }
    }

    /// M[ξ][k][·] += U[ξ][k, :] · V[ξ] (transposed: U[π(ξ)][:, k]ᵀ · V[ξ]) for the output channels k
    /// in `outputs`: α² single-threaded GEMMs. `u` points at the first row (transposed: column)
    /// of U[0] for `outputs`, its rows `lda` long, its matrices `uStride` apart. V[ξ] is
    /// [C_in, tiles], M[ξ] is [C_out, tiles]. M starts at zero: with β = 1 OpenBLAS does not
    /// first make a pass over M to clear it (the output transform clears what it reads instead,
    /// while it is in cache).
    func multiply(
      _ u: UnsafePointer<Float>, stride uStride: Int, lda: Int, _ v: UnsafePointer<Float>,
      stride vStride: Int,
      tiles: Int, outputs: Range<Int>, into m: UnsafeMutablePointer<Float>, stride mStride: Int
    ) {
      guard !outputs.isEmpty else { return }
      for xi in 0..<points {
        FastPath.gemm(
          transposeA: transposed, transposeB: false, m: outputs.count, n: tiles, k: inputChannels,
          a: u + (transposed && tile == 2 ? Self.flip[xi] : xi) * uStride, lda: lda, b: v + xi * vStride,
          ldb: tiles,
          beta: 1, c: m + xi * mStride + outputs.lowerBound * tiles, ldc: tiles)
      }
    }

    /// The outputs of the tiles `tiles` for the output channels `outputs`, from M as `multiply`
    /// leaves it (rows of tiles.count); with `clear`, M is left at zero for the next block.
    func transformOutputs(
      _ m: UnsafeMutablePointer<Float>, stride: Int, tiles: Range<Int>, outputs: Range<Int>,
      bias: UnsafePointer<Float>?, relu: Bool, clear: Bool, into output: UnsafeMutablePointer<Float>
    ) {
      let count = tiles.count
      for k in outputs {
        let b = bias?[k] ?? 0
        forEachSegment(tiles) { n, ty, tx, offset in
          let (source, plane) = (m + k * count + offset, output + (n * outputChannels + k) * height * width)
          if tile == 2 {
            transformOutput(
              source, stride: stride, bias: b, relu: relu, clear: clear, tileRow: ty, tileColumns: tx,
              into: plane)
          } else {
            transformOutput4(
              source, stride: stride, bias: b, relu: relu, clear: clear, tileRow: ty, tileColumns: tx,
              into: plane)
          }
        }
      }
    }

    /// Calls body(n, t_y, t_x range, offset in the block) for each run of the tiles `range` that
    /// lies in one row of tiles of one image.
    func forEachSegment(_ range: Range<Int>, _ body: (Int, Int, Range<Int>, Int) -> Void) {
      let perImage = tileRows * tileColumns
      var t = range.lowerBound
      while t < range.upperBound {
        let n = t / perImage
        let ty = (t % perImage) / tileColumns
        let tx0 = t % tileColumns
        let tx1 = min(tileColumns, tx0 + range.upperBound - t)
        body(n, ty, tx0..<tx1, t - range.lowerBound)
        t += tx1 - tx0
      }
    }

    /// U[ξ][k][c] = (G g Gᵀ)[ξ] for the filters g = W[k, c], k in `filters`, c in `channels`, at
    /// u + ξ·stride + (k − k₀)·rowLength + (c − c₀). Eight channels at a time. For m = 4 and
    /// `transposed`, g is W[k, c] flipped in space.
    func transformFilters(
      _ weights: UnsafePointer<Float>, filters: Range<Int>, channels range: Range<Int>,
      into u: UnsafeMutablePointer<Float>, stride: Int, rowLength: Int
    ) {
      if tile == 4 {
        transformFilters4(
          weights, filters: filters, channels: range, flipped: transposed, into: u, stride: stride,
          rowLength: rowLength)
        return
      }
      for k in filters {
        let row = u + (k - filters.lowerBound) * rowLength
        let c0 = range.lowerBound
        var c = c0
        while c + 8 <= range.upperBound {
          let tap = EightChannelTaps(weights + (k * channels + c) * 9)
          Self.transformFilter(
            (tap[0], tap[1], tap[2]), (tap[3], tap[4], tap[5]), (tap[6], tap[7], tap[8])
          ) { xi, value in Self.store(value, row + xi * stride + (c - c0)) }
          c += 8
        }
        while c < range.upperBound {
          let g = weights + (k * channels + c) * 9
          @inline(__always) func tap(_ j: Int) -> SIMD8<Float> { SIMD8(repeating: g[j]) }
          Self.transformFilter(
            (tap(0), tap(1), tap(2)), (tap(3), tap(4), tap(5)), (tap(6), tap(7), tap(8))
          ) { xi, value in row[xi * stride + (c - c0)] = value[0] }
          c += 1
        }
      }
    }
  }
}
