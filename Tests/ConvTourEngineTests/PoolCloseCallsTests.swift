import Testing

@testable import ConvTourEngine

/// A max-pool's candidate close calls found block by block while the outputs are in cache
/// (`PoolCloseCalls.scan` after each tile, over the pool rows inside it, then the rows that
/// straddle two tiles) against one pass over every pool window after the product, as before:
/// the same outputs, bit for bit, in tiles narrower than a row, in tiles of a few rows, and in
/// the filters' lanes; with exact ties from repeated windows; at 1 and 2 workers.
@Suite("Max-pool close calls found block by block")
struct PoolCloseCallsTests {
  static let (n, c, h, w, k) = (3, 8, 12, 40, 6)

  /// Near ties as in `CloseCallsTests.maxPoolNearTie` (columns s…s + 3 equal but for 2⁻²¹ in
  /// the last), in examples 0 and 2; example 1 has a flat patch (repeated windows, exact ties)
  /// and near ties beside it.
  static func input() -> (x: Tensor32, W: Tensor32, b: Tensor32) {
    var random = SeededRandom(seed: 53)
    var x = (0..<(n * c * h * w)).map { _ in Float(random.uniform(-1, 1)) }
    for e in 0..<n {
      for ch in 0..<c {
        for i in 0..<h {
          let row = ((e * c + ch) * h + i) * w
          for s in [3, 19, 35] {
            (x[row + s + 1], x[row + s + 2], x[row + s + 3]) = (
              x[row + s], x[row + s], x[row + s] * (1 + 0x1p-21)
            )
          }
          if e == 1, i >= 2, i < 9 { for q in 8..<16 { x[row + q] = 0.5 } }
        }
      }
    }
    let W = (0..<(k * c * 9)).map { _ in abs(Float(random.uniform(-1, 1))) }
    return (
      try! Tensor32(shape: [n, c, h, w], values: x), try! Tensor32(shape: [k, c, 3, 3], values: W),
      try! Tensor32(shape: [k], values: [Float](repeating: 0.25, count: k))
    )
  }

  @Test(
    "block by block and all at once give the same bits",
    arguments: [300, 72 * 50, 1 << 20])
  func sameBits(scratch: Int) throws {
    let (x, W, b) = Self.input()
    var conv = FastConvolution(stride: 1, padding: 1)
    (conv.decidesCloseCalls, conv.maxPoolSide, conv.scratchFloats) = (true, 2, scratch)
    var allAtOnce = conv
    allAtOnce.scansPoolInBlocks = false
    try Self.expectSameBits(conv, as: allAtOnce, x: x, W: W, b: b)
  }

  /// conv's forward with ReLU, on 1 and 2 workers, bit for bit as `reference`'s on 1 worker; the
  /// input's close calls change outputs (against deciding none), so the two ways can be told apart.
  static func expectSameBits(
    _ conv: FastConvolution, as reference: FastConvolution, x: Tensor32, W: Tensor32, b: Tensor32
  ) throws {
    let undecided = try FastConvolution(stride: conv.stride, padding: conv.padding)
      .forward(x: x, W: W, b: b, relu: true)
    let expected = try FastPath.withWorkers(1) { try reference.forward(x: x, W: W, b: b, relu: true) }
    #expect(expected.values != undecided.values)
    for workers in [1, 2] {
      let z = try FastPath.withWorkers(workers) { try conv.forward(x: x, W: W, b: b, relu: true) }
      #expect(z.values.map(\.bitPattern) == expected.values.map(\.bitPattern), "\(workers) workers")
    }
  }

  @Test("a pool window's widest ‖s‖: the largest of its outputs' window norms", arguments: [2, 3])
  func widest(side: Int) throws {
    let (x, W, _) = Self.input()
    let g = try Convolution(stride: 1, padding: 1, hasBias: false).geometry([x.shape, W.shape])
    let bounds = x.values.withUnsafeBufferPointer { x in
      W.values.withUnsafeBufferPointer { W in
        CloseCalls(x: x.baseAddress!, W: W.baseAddress!, g, stride: Extent2D(1), padding: Extent2D(1))
      }
    }
    let pool = PoolCloseCalls(bounds, side: side)
    var expected: [Float] = []
    for e in 0..<g.x.n {
      for i in 0..<pool.rows {
        for j in 0..<pool.columns {
          let window = (0..<(side * side)).map { t in
            bounds.windowNorm[e * g.z.h * g.z.w + (i * side + t / side) * g.z.w + j * side + t % side]
          }
          expected.append(window.max()!)
        }
      }
    }
    #expect(pool.widest.map(\.bitPattern) == expected.map(\.bitPattern))
  }

  @Test("pool rows inside a block of pixels, and those inside no tile")
  func rows() throws {
    let g = try Convolution(stride: 1, padding: 1, hasBias: false).geometry([[1, 2, 7, 10], [1, 2, 3, 3]])
    let bounds = [Float](repeating: 1, count: 2 * 7 * 10).withUnsafeBufferPointer { x in
      [Float](repeating: 1, count: 18).withUnsafeBufferPointer { W in
        CloseCalls(x: x.baseAddress!, W: W.baseAddress!, g, stride: Extent2D(1), padding: Extent2D(1))
      }
    }
    let pool = PoolCloseCalls(bounds, side: 2)
    // 7 rows of 10 outputs: pool rows 0…2 cover pixels 0..<20, 20..<40, 40..<60 (row 6 is in none).
    #expect((pool.rows, pool.columns) == (3, 5))
    #expect(pool.rows(inside: 0..<70, width: 10) == 0..<3)
    #expect(pool.rows(inside: 5..<45, width: 10) == 1..<2)
    #expect(pool.rows(inside: 5..<35, width: 10).isEmpty)
    let tiles = PixelTiles(rows: 18, columns: 70, scratchFloats: 18 * 18)
    var covered = Set(pool.rows(outside: tiles, width: 10))
    for t in 0..<tiles.count { covered.formUnion(pool.rows(inside: tiles.pixels(t), width: 10)) }
    #expect(covered == Set(0..<3))
  }

  @Test("windows to decide: the candidates, then each window holding a repeated output, once")
  func windowsToDecide() throws {
    // 2 examples of 4×6 outputs, 3 filters: pool windows of 2×2, 2 rows of 3 per plane.
    let g = try Convolution(stride: 1, padding: 1, hasBias: false).geometry([[2, 1, 4, 6], [3, 1, 3, 3]])
    let bounds = [Float](repeating: 1, count: 48).withUnsafeBufferPointer { x in
      [Float](repeating: 1, count: 27).withUnsafeBufferPointer { W in
        CloseCalls(x: x.baseAddress!, W: W.baseAddress!, g, stride: Extent2D(1), padding: Extent2D(1))
      }
    }
    let pool = PoolCloseCalls(bounds, side: 2)
    var first = (0..<Int32(48)).map { $0 }
    #expect(pool.windows(candidates: [4, 9], first: first, repeats: 0, g) == [4, 9])
    // Example 1's pixel (1, 3) repeats pixel 0: its pool window (0, 1) in planes 3, 4, 5 —
    // windows 19, 25 (already a candidate) and 31.
    first[24 + 1 * 6 + 3] = 0
    #expect(pool.windows(candidates: [4, 25], first: first, repeats: 1, g) == [4, 25, 19, 31])
  }
}
