import Testing

@testable import ConvTourEngine

/// The Winograd transforms written once as data (`WinogradMatrices`): the data computes a
/// correlation, and the unrolled kernels compute the data's products.
@Suite("Winograd transform matrices")
struct WinogradMatricesTests {
  static func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    a.map { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
  }
  static func transpose(_ a: [[Double]]) -> [[Double]] { (0..<a[0].count).map { j in a.map { $0[j] } } }

  @Test("Aᵀ[(G g) ⊙ (Bᵀ d)] is the correlation of d with g, for F(2, 3) and F(4, 3)")
  func matricesCorrelate() {
    var random = SeededRandom(seed: 11)
    for t in [WinogradMatrices.f2, WinogradMatrices.f4] {
      let d = (0..<(t.m + 2)).map { _ in Double(random.next() % 1000) / 100 - 5 }
      let g = (0..<3).map { _ in Double(random.next() % 1000) / 100 - 5 }
      let u = Self.product(t.filter, g.map { [$0] }).map { $0[0] }
      let v = Self.product(t.inputT, d.map { [$0] }).map { $0[0] }
      let y = Self.product(t.outputT, zip(u, v).map { [$0 * $1] }).map { $0[0] }
      for i in 0..<t.m {
        let direct = (0..<3).reduce(0.0) { $0 + d[i + $1] * g[$1] }
        #expect(abs(y[i] - direct) <= 1e-9 * max(1, abs(direct)), "F(\(t.m), 3) output \(i)")
      }
    }
  }

  @Test("F(4×4)'s unrolled Bᵀ, G and Aᵀ are the matrices, column by column")
  func f4Kernels() {
    typealias Plan = FastWinograd.Plan
    let t = WinogradMatrices.f4
    for j in 0..<6 {
      var e = [Float](repeating: 0, count: 6)
      e[j] = 1
      let b = Plan.inputTransform(
        (
          SIMD4(repeating: e[0]), SIMD4(repeating: e[1]), SIMD4(repeating: e[2]), SIMD4(repeating: e[3]),
          SIMD4(repeating: e[4]), SIMD4(repeating: e[5])
        ))
      #expect([b.0[0], b.1[0], b.2[0], b.3[0], b.4[0], b.5[0]].map(Double.init) == t.inputT.map { $0[j] })
      let a = Plan.outputTransform(
        (
          SIMD4(repeating: e[0]), SIMD4(repeating: e[1]), SIMD4(repeating: e[2]), SIMD4(repeating: e[3]),
          SIMD4(repeating: e[4]), SIMD4(repeating: e[5])
        ))
      #expect([a.0[0], a.1[0], a.2[0], a.3[0]].map(Double.init) == t.outputT.map { $0[j] })
    }
    for j in 0..<3 {
      var e = [Float](repeating: 0, count: 3)
      e[j] = 1
      let g = Plan.filterTransform(SIMD8(repeating: e[0]), SIMD8(repeating: e[1]), SIMD8(repeating: e[2]))
      let column = [g.0[0], g.1[0], g.2[0], g.3[0], g.4[0], g.5[0]].map(Double.init)
      for (value, expected) in zip(column, t.filter.map { $0[j] }) {
        #expect(abs(value - expected) <= 1e-7, "G[·, \(j)]: \(column)")
      }
    }
  }

  @Test("F(2×2)'s unrolled G g Gᵀ and Aᵀ M A are the matrices' products")
  func f2Kernels() {
    typealias Plan = FastWinograd.Plan
    let t = WinogradMatrices.f2
    var random = SeededRandom(seed: 12)
    // G g Gᵀ for a random filter (the same in all eight lanes).
    let g = (0..<3).map { _ in (0..<3).map { _ in Double(random.next() % 200) / 8 - 12 } }
    let expected = Self.product(Self.product(t.filter, g), Self.transpose(t.filter))
    func row(_ r: [Double]) -> Plan.Row3 {
      (SIMD8(repeating: Float(r[0])), SIMD8(repeating: Float(r[1])), SIMD8(repeating: Float(r[2])))
    }
    var u = [Double](repeating: .nan, count: 16)
    Plan.transformFilter(row(g[0]), row(g[1]), row(g[2])) { xi, value in u[xi] = Double(value[0]) }
    #expect(u == expected.flatMap { $0 })
    // Aᵀ M A for four tiles: M[ξ][tile] at m + ξ·4 + tile.
    let tiles = (0..<4).map { _ in
      (0..<4).map { _ in (0..<4).map { _ in Double(random.next() % 200) / 8 - 12 } }
    }
    var m = [Float](repeating: 0, count: 64)
    for (tile, M) in tiles.enumerated() {
      for a in 0..<4 { for b in 0..<4 { m[(4 * a + b) * 4 + tile] = Float(M[a][b]) } }
    }
    let y = m.withUnsafeBufferPointer { Plan.inverse($0.baseAddress!, stride: 4) }
    for (tile, M) in tiles.enumerated() {
      let Y = Self.product(Self.product(t.outputT, M), Self.transpose(t.outputT))
      #expect(
        [y.0[tile], y.1[tile], y.2[tile], y.3[tile]].map(Double.init) == [Y[0][0], Y[0][1], Y[1][0], Y[1][1]])
    }
  }
  @Test("F(2×2)'s unrolled input transform is Bᵀ d B of every padded 4×4 window, edges included")
  func f2InputTransform() {
    let t = WinogradMatrices.f2
    // A 9×10 plane: odd height (the last tile row sticks out), five tiles per row (one block of
    // four, vectorized, and one left over), zero padding on every side.
    let (height, width) = (9, 10)
    var random = SeededRandom(seed: 13)
    let plane = (0..<(height * width)).map { _ in Float(Int(random.next() % 200) - 100) / 8 }
    let plan = FastWinograd.Plan(
      images: 1, inputChannels: 1, outputChannels: 1, height: height, width: width, filters: 1, channels: 1,
      transposed: false, scratchFloats: 1 << 12, wholeFloats: 1 << 12, tile: 2)
    let columns = plan.tileColumns
    let zeroRow = [Float](repeating: 0, count: width)
    var sums = [Float](repeating: .nan, count: 4 * plan.rowFloats)
    // V[ξ][i] at ξ·columns + i.
    var v = [Float](repeating: .nan, count: 16 * columns)
    for ty in 0..<plan.tileRows {
      plane.withUnsafeBufferPointer { p in
        plan.transformInput(
          p.baseAddress!, tileRow: ty, tileColumns: 0..<columns, zeroRow: zeroRow, sums: &sums, into: &v,
          stride: columns)
      }
      for tx in 0..<columns {
        // d: the window at padded rows 2t_y − 1 …, columns 2t_x − 1 … (0 outside the plane).
        let d = (0..<4).map { a in
          (0..<4).map { b -> Double in
            let (i, j) = (2 * ty - 1 + a, 2 * tx - 1 + b)
            return i >= 0 && i < height && j >= 0 && j < width ? Double(plane[i * width + j]) : 0
          }
        }
        let expected = Self.product(Self.product(t.inputT, d), Self.transpose(t.inputT)).flatMap { $0 }
        let got = (0..<16).map { Double(v[$0 * columns + tx]) }
        #expect(got == expected, "tile (\(ty), \(tx))")
      }
    }
  }
}
