extension FastWinograd.Plan {
  /// Tiles per block when the workers share each block, taking ranges of output channels
  /// (`runShared`); nil when each worker takes blocks of its own.
  ///
  /// A worker's own block (`scratchFloats` of V and M, a few dozen to a few hundred tiles, in
  /// cache) costs one pass of the GEMMs' packing over all of U, α²·K·C floats. With deep layers'
  /// U, 36 MB for 512 × 512 channels at F(4×4, 3×3), that pass, from memory, cost more than
  /// the multiplies: VGG-16's conv4 at batch 8 (392 tiles of 4×4, 14 blocks of 28) packed
  /// 500 MB of U per layer and ran at 590 GFLOP/s; in one shared block, 1,060. Shared blocks
  /// instead write and read V and M through memory, about 2·tiles·α²·(C_in + C_out) floats,
  /// and each worker packs its own rows of U once per block. So: all tiles at once up to
  /// `wholeFloats` (they stay in cache), and past it shared blocks of up to `sharedFloats`
  /// whenever U outgrows a block's scratch and own blocks would pack more floats of U than that.
  func sharedBlockTiles(perTile: Int, workers: Int) -> Int? {
    guard outputChannels >= workers, tiles > 0 else { return nil }
    if tiles * perTile <= wholeFloats { return tiles }
    guard sharedFloats >= perTile else { return nil }
    // U within a block's scratch stays in cache from one own block to the next (conv2_2 at batch
    // 1 with a quarter of the scratch went shared by the count below, and took 6.2–6.6 ms
    // instead of 4.2–4.5).
    let u = points * filters * channels
    guard u > scratchFloats else { return nil }
    let ownBlocks = blocking(perTile: perTile, workers: workers).blocks
    guard u * ownBlocks > 2 * tiles * perTile else { return nil }
    let blocks = (tiles * perTile + sharedFloats - 1) / sharedFloats
    return (tiles + blocks - 1) / blocks
  }

  /// Blocks of `blockTiles` tiles, each shared by the workers: they share its input transform by
  /// input channels, then take ranges of output channels: α² GEMMs over the block's tiles (each
  /// packs only its part of U, transformed once, before the blocks), the output transform.
  func runShared(
    blockTiles: Int, input: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    relu: Bool, output: UnsafeMutablePointer<Float>, zeroRow: UnsafePointer<Float>
  ) {
    let workers = FastPath.workers
    let (cin, cout) = (inputChannels, outputChannels)
    let sumFloats = alpha * rowFloats
    // The α² matrices of U, V and M lie one cache line (16 floats) more than their size apart,
    // so that the α² rows written for one filter or one tile do not all fall into the same
    // cache sets.
    let vStride = cin * blockTiles + 16
    let mStride = cout * blockTiles + 16
    let most = (cout + workers - 1) / workers
    let uStride = most * inputChannels + 16
    let v = UnsafeMutablePointer<Float>.allocate(
      capacity: points * (vStride + mStride) + workers * (sumFloats + points * uStride))
    defer { v.deallocate() }
    let m = v + points * vStride
    let perWorker = m + points * mStride
    // Each worker: its rows of U (forward: the filters of its outputs, [outputs, C]; transposed:
    // the columns for its channels, [K, outputs]); M at zero, which the output transform leaves
    // at zero after each block (`clear`).
    FastPath.forEachWorker(workers) { w in
      let u = perWorker + workers * sumFloats + w * points * uStride
      let outputs = FastPath.share(cout, w, workers)
      transformFilters(
        weights, filters: transposed ? 0..<filters : outputs, channels: transposed ? outputs : 0..<channels,
        into: u, stride: uStride, rowLength: transposed ? outputs.count : channels)
      for xi in FastPath.share(points, w, workers) {
        (m + xi * mStride).initialize(repeating: 0, count: mStride)
      }
    }
    for t0 in Swift.stride(from: 0, to: tiles, by: blockTiles) {
      let range = t0..<min(tiles, t0 + blockTiles)
      FastPath.forEachWorker(workers) { w in
        transformInputs(
          input, tiles: range, channels: FastPath.share(cin, w, workers), zeroRow: zeroRow,
          sums: perWorker + w * sumFloats, into: v, stride: vStride)
      }
      FastPath.forEachWorker(workers) { w in
        let u = perWorker + workers * sumFloats + w * points * uStride
        let outputs = FastPath.share(cout, w, workers)
        multiply(
          u, stride: uStride, lda: transposed ? outputs.count : channels, v, stride: vStride,
          tiles: range.count, outputs: outputs, into: m, stride: mStride)
        transformOutputs(
          m, stride: mStride, tiles: range, outputs: outputs, bias: bias, relu: relu, clear: true,
          into: output)
      }
    }
  }
}
