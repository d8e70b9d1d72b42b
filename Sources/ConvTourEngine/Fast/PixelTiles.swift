/// How the direct convolution cuts the H_out·W_out output pixels of one example into tiles, one
/// im2col block each: tiles of at most `widest` pixels (their columns fill about `scratchFloats`
/// per worker, so they stay in cache), as even as possible, and as many as a multiple of the
/// fast path's lanes (`FastPath.lanes`), so that 1, 2 or 4 workers get the same number of pixels
/// each — and the tiles, so the sgemm's blocks and their rounding, do not depend on the worker
/// count. (Tiles of up to a fixed width left the last worker idle: conv4_2's 784 pixels in tiles
/// of 227 gave one worker 454 and the other 330.)
struct PixelTiles {
  let columns: Int
  let count: Int
  /// The widest tile: the scratch a worker needs is rows × widest.
  let widest: Int

  /// Tiles of `columns` pixels for im2col blocks of `rows` rows. When they are fewer than the
  /// lanes (`fewerThanLanes`), the callers take every pixel at once and split by filters or
  /// channels.
  init(rows: Int, columns: Int, scratchFloats: Int) {
    let lanes = FastPath.lanes
    let widest = min(columns, max(16, scratchFloats / max(1, rows)))
    var count = (columns + widest - 1) / widest
    if count >= lanes { count = (count + lanes - 1) / lanes * lanes }
    count = min(count, columns)
    self.columns = columns
    self.count = count
    self.widest = (columns + count - 1) / count
  }

  /// The pixels of tile t: tile widths differ by at most one.
  func pixels(_ t: Int) -> Range<Int> {
    (columns * t / count)..<(columns * (t + 1) / count)
  }

  /// Whether there are fewer tiles than lanes.
  var fewerThanLanes: Bool { count < FastPath.lanes }
}
