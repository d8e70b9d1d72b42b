import ConvTourWideKernels

/// ∂L/∂W of few taps on images of any size (the second kind `computesForwardDirectly` takes:
/// VGG-16's conv1_1), straight from x and δ as `directWeightGradient`, with the same kernels,
/// in blocks of output rows:
///   ∂L/∂W(k, c, l, m) = Σ_e Σ_blocks Σ_{i in block} Σ_j δ(e, k, i, j) · x(e, c, i + l − p_h, j + m − p_w)
/// On a 224×224 image the small-filter way read every filter group's δ planes once per tap, from
/// memory (432 passes of 800 KB per example for conv1_1); here a block of δ's rows for the
/// worker's filters (about `blockFloats`, aligned for sixteen-lane loads) is copied once and
/// stays in cache while every tap goes by. The workers take ranges of filter groups: each weight's
/// sum goes over the examples, then the blocks, in order, whatever the worker count.
extension FastConvolution {
  /// Floats of δ per block of rows (all filters): 256 KB, within the second-level cache.
  static let blockFloats = 1 << 16

  func blockedWeightGradient(x: Tensor32, delta: Tensor32, _ g: Convolution.Geometry) -> Tensor32 {
    let (ph, pw) = (padding.rows, padding.columns)
    // As `directWeightGradient`: x with a zero border and eight more zero columns (the last
    // lanes of a row read them), δ's rows padded with zeros to `wide`.
    let width = g.x.w + 2 * pw + 8
    let plane = width * (g.x.h + 2 * ph)
    let wide = (g.z.w + 7) / 8 * 8
    let taps = g.x.c * g.fh * g.fw
    let groups = (g.k + 3) / 4
    let blockRows = max(1, min(g.z.h, Self.blockFloats / (g.k * wide)))
    let offsets = Self.tapOffsets(g, width: width, plane: plane)
    var sums = [SIMD8<Float>](repeating: SIMD8(), count: g.k * taps)
    let (wide16, workers) = (FastPath.wideVectors, FastPath.workers)
    x.values.withUnsafeBufferPointer { xp in
      delta.values.withUnsafeBufferPointer { dp in
        sums.withUnsafeMutableBufferPointer { sp in
          offsets.withUnsafeBufferPointer { op in
            let (xBase, dBase, sBase, oBase) = (
              xp.baseAddress!, dp.baseAddress!, sp.baseAddress!, op.baseAddress!
            )
            FastPath.forEachWorker(workers) { w in
              let mine = FastPath.share(groups, w, workers)
              guard !mine.isEmpty else { return }
              let filters = (mine.lowerBound * 4)..<min(g.k, mine.upperBound * 4)
              let padded = UnsafeMutablePointer<Float>.allocate(capacity: g.x.c * plane)
              padded.initialize(repeating: 0, count: g.x.c * plane)
              // [K, blockRows, wide]: only this worker's filters are filled.
              let blockCount = g.k * blockRows * wide
              let block = UnsafeMutableRawPointer.allocate(byteCount: blockCount * 4, alignment: 64)
                .bindMemory(to: Float.self, capacity: blockCount)
              block.initialize(repeating: 0, count: blockCount)
              defer {
                padded.deallocate()
                block.deallocate()
              }
              for e in 0..<g.x.n {
                fillPadded(xBase + e * g.x.c * g.x.h * g.x.w, g, into: padded, width: width, plane: plane)
                for r0 in Swift.stride(from: 0, to: g.z.h, by: blockRows) {
                  let rows = min(blockRows, g.z.h - r0)
                  for k in filters {
                    for i in 0..<rows {
                      FastPath.copy(
                        dBase + ((e * g.k + k) * g.z.h + r0 + i) * g.z.w,
                        to: block + (k * blockRows + i) * wide, count: g.z.w)
                    }
                  }
                  let kernel = wide16 ? WideKernels.weightGradient : Self.weightGradient8
                  kernel(
                    padded + r0 * width, block, oBase, taps, g.k,
                    (mine.lowerBound * taps)..<(mine.upperBound * taps),
                    width, rows, wide, blockRows * wide, sBase)
                }
              }
            }
          }
        }
      }
    }
    return Self.weights(summing: sums, g)
  }
}
