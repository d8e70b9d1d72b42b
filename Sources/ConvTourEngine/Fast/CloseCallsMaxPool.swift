/// Max-pool close calls: the windows of the pool after the ReLU whose winner float32 could have
/// picked wrongly, recomputed in Double (`CloseCalls`).
///
/// Found in two steps. While a block of the convolution's outputs is still in cache, right after
/// its bias, ReLU and ReLU close calls, `PoolCloseCalls.scan` passes over its pool windows and
/// keeps the few whose largest two values are within their bound of each other (the
/// candidates). After the product, `decideMaxPool` looks at each candidate in full — which
/// values are close to the winner, and whether their windows are identical to the winner's —
/// and recomputes the close ones.
struct PoolCloseCalls {
  /// The pool's side (= stride) a.
  let side: Int
  /// Pool windows per plane: ⌊H_out / a⌋ rows of ⌊W_out / a⌋.
  let rows: Int
  let columns: Int
  /// widest[(e·rows + i)·columns + j]: the largest ‖s‖ among the a×a outputs of pool window
  /// (i, j) of example e (0 when all are 0).
  let widest: [Float]

  init(_ closeCalls: CloseCalls, side a: Int) {
    let g = closeCalls.g
    (side, rows, columns) = (a, g.z.h / a, g.z.w / a)
    let (rows, columns, width) = (self.rows, self.columns, g.z.w)
    widest = closeCalls.windowNorm.withUnsafeBufferPointer { norms in
      [Float](unsafeUninitializedCapacity: g.x.n * rows * columns) { widest, count in
        let (norms, widest) = (norms.baseAddress!, widest.baseAddress!)
        for e in 0..<g.x.n {
          for i in 0..<rows {
            let corner = norms + e * g.z.h * width + i * a * width
            let out = widest + (e * rows + i) * columns
            var j = 0
            if a == 2 {
              // Eight windows at a time: the larger of each pair along both rows (max is exact).
              let (top, bottom) = (UnsafeRawPointer(corner), UnsafeRawPointer(corner + width))
              while j + 8 <= columns {
                let (t, u) = (
                  top.loadUnaligned(fromByteOffset: 8 * j, as: SIMD16<Float>.self),
                  bottom.loadUnaligned(fromByteOffset: 8 * j, as: SIMD16<Float>.self)
                )
                let larger = CloseCalls.larger(
                  CloseCalls.larger(t.evenHalf, t.oddHalf), CloseCalls.larger(u.evenHalf, u.oddHalf))
                UnsafeMutableRawPointer(out + j).storeBytes(of: larger, as: SIMD8<Float>.self)
                j += 8
              }
            }
            for j in j..<columns {
              var largest = Float(0)
              for l in 0..<a {
                for m in 0..<a { largest = max(largest, corner[l * width + j * a + m]) }
              }
              out[j] = largest
            }
          }
        }
        count = g.x.n * rows * columns
      }
    }
  }

  /// The pool rows whose outputs lie inside a block of output pixels.
  func rows(inside pixels: Range<Int>, width: Int) -> Range<Int> {
    let span = side * width
    let (first, end) = ((pixels.lowerBound + span - 1) / span, min(rows, pixels.upperBound / span))
    return first..<max(first, end)
  }

  /// The pool rows that lie inside none of the tiles.
  func rows(outside tiles: PixelTiles, width: Int) -> [Int] {
    var inside = [Bool](repeating: false, count: rows)
    for t in 0..<tiles.count {
      for i in self.rows(inside: tiles.pixels(t), width: width) { inside[i] = true }
    }
    return inside.indices.filter { !inside[$0] }
  }

  /// Appends to `candidates` the pool windows (plane·rows·columns + i·columns + j, plane =
  /// e·K + k) of example e, filters `filters`, pool rows `poolRows`, after ReLU, whose largest
  /// value is positive and at most 2·‖W_k‖·tolerance·(the window's widest ‖s‖) above the second:
  /// the first two tests of `CloseCalls.decide`, so a window that fails them decides nothing.
  /// 2×2 windows eight at a time, without branches (which is larger follows the data).
  func scan<Rows: Sequence<Int>>(
    _ closeCalls: CloseCalls, z: UnsafePointer<Float>, example e: Int, filters: Range<Int>, poolRows: Rows,
    into candidates: inout [Int]
  ) {
    let g = closeCalls.g
    let (outputs, width, perPlane) = (g.z.h * g.z.w, g.z.w, rows * columns)
    widest.withUnsafeBufferPointer { widest in
      for k in filters {
        let plane = e * g.k + k
        let values = z + plane * outputs
        let twice = 2 * closeCalls.filterScale[k]
        let twice8 = SIMD8<Float>(repeating: twice)
        for i in poolRows {
          let norms = widest.baseAddress! + (e * rows + i) * columns
          let base = plane * perPlane + i * columns
          var j = 0
          if side == 2 {
            let (top, bottom) = (
              UnsafeRawPointer(values + 2 * i * width), UnsafeRawPointer(values + (2 * i + 1) * width)
            )
            while j + 8 <= columns {
              let t = top.loadUnaligned(fromByteOffset: 8 * j, as: SIMD16<Float>.self)
              let u = bottom.loadUnaligned(fromByteOffset: 8 * j, as: SIMD16<Float>.self)
              let (highTop, lowTop) = (
                CloseCalls.larger(t.evenHalf, t.oddHalf), CloseCalls.smaller(t.evenHalf, t.oddHalf)
              )
              let (highBottom, lowBottom) = (
                CloseCalls.larger(u.evenHalf, u.oddHalf), CloseCalls.smaller(u.evenHalf, u.oddHalf)
              )
              let best = CloseCalls.larger(highTop, highBottom)
              let second = CloseCalls.larger(
                CloseCalls.smaller(highTop, highBottom), CloseCalls.larger(lowTop, lowBottom))
              let reach = twice8 * UnsafeRawPointer(norms + j).loadUnaligned(as: SIMD8<Float>.self)
              let close = (best .> SIMD8<Float>()) .& (best - second .<= reach)
              if any(close) {
                for lane in 0..<8 where close[lane] { candidates.append(base + j + lane) }
              }
              j += 8
            }
          }
          for j in j..<columns {
            let corner = (i * side) * width + j * side
            var (best, second): (Float, Float) = (-.infinity, -.infinity)
            for l in 0..<side {
              for m in 0..<side {
                let v = values[corner + l * width + m]
                second = max(second, min(best, v))
                best = max(best, v)
              }
            }
            if best > 0, best - second <= twice * norms[j] { candidates.append(base + j) }
          }
        }
      }
    }
  }

  /// The pool windows `decideMaxPool` looks at: the candidates (disjoint: each window is
  /// scanned once), then, once each, every window holding an output whose window repeats an
  /// earlier one's (first[q] ≠ q): `copyRepeats` has replaced its value since the scan. A bit
  /// per window of the batch marks those already there.
  func windows(candidates: [Int], first: [Int32], repeats: Int, _ g: Convolution.Geometry) -> [Int] {
    guard repeats > 0 else { return candidates }
    let outputs = g.z.h * g.z.w
    var windows = candidates
    var known = [UInt64](repeating: 0, count: (g.x.n * g.k * rows * columns + 63) / 64)
    func mark(_ n: Int) -> Bool {
      let (word, bit) = (n >> 6, UInt64(1) << UInt64(n & 63))
      defer { known[word] |= bit }
      return known[word] & bit == 0
    }
    for n in candidates { _ = mark(n) }
    for q in first.indices where first[q] != Int32(q) {
      let (e, p) = q.quotientAndRemainder(dividingBy: outputs)
      let (i, j) = (p / g.z.w / side, p % g.z.w / side)
      guard i < rows, j < columns else { continue }
      for k in 0..<g.k {
        let n = ((e * g.k + k) * rows + i) * columns + j
        if mark(n) { windows.append(n) }
      }
    }
    return windows
  }
}

extension CloseCalls {
  /// After ReLU and `copyRepeats`: every candidate pool window (`PoolCloseCalls.scan`) — and
  /// every window holding an output whose window repeats another's, whose value `copyRepeats`
  /// has just replaced — is looked at in full (`decide`); its close values are recomputed at the
  /// first identical window's place. Returns how many outputs.
  func decideMaxPool(
    _ pool: PoolCloseCalls, candidates: [Int], identical: IdenticalWindows, z: UnsafeMutablePointer<Float>,
    x: UnsafePointer<Float>, W: UnsafePointer<Float>, b: UnsafePointer<Float>
  ) -> Int {
    let first = identical.first
    let windows = pool.windows(candidates: candidates, first: first, repeats: identical.repeats, g)
    // Each worker's finds, over its share of the windows (one worker for the usual few hundred:
    // waking the others would cost more).
    let workers = windows.count < 4096 ? 1 : FastPath.workers
    let finds = UnsafeMutablePointer<[Int]>.allocate(capacity: workers)
    finds.initialize(repeating: [], count: workers)
    defer { finds.deinitialize(count: workers).deallocate() }
    FastPath.forEachWorker(workers) { w in
      for n in FastPath.share(windows.count, w, workers) {
        decide(window: windows[n], pool, same: { first[$0] == first[$1] }, z: z, into: &finds[w])
      }
    }
    // Each canonical output once, the workers taking ranges of them (`exactValues` goes through
    // x a block of channels at a time for all of a range).
    let targets = Set((0..<workers).flatMap { finds[$0] }.map { canonical($0, first: first) }).sorted()
    FastPath.forEachShare(targets.count, workers: FastPath.workers) { range in
      let values = exactValues(Array(targets[range]), order: .inLanes, x: x, W: W, b: b)
      for (n, o) in targets[range].enumerated() { z[o] = max(values[n], 0) }
    }
    return targets.count
  }

  /// The outputs of pool window `window` (as `PoolCloseCalls.scan` numbers them), after ReLU,
  /// that are within their bound of the window's largest value, when one of them comes from a
  /// window that is not identical to the winner's (`same` of two output pixels of the batch,
  /// e·H_out·W_out + p: whether their input windows are identical).
  func decide(
    window: Int, _ pool: PoolCloseCalls, same: (Int, Int) -> Bool, z: UnsafeMutablePointer<Float>,
    into finds: inout [Int]
  ) {
    let (outputs, a) = (g.z.h * g.z.w, pool.side)
    let (plane, ij) = window.quotientAndRemainder(dividingBy: pool.rows * pool.columns)
    let (i, j) = ij.quotientAndRemainder(dividingBy: pool.columns)
    let (e, k) = plane.quotientAndRemainder(dividingBy: g.k)
    let base = plane * outputs
    let scale = filterScale[k]
    windowNorm.withUnsafeBufferPointer { norms in
      let norms = norms.baseAddress! + e * outputs
      let values = UnsafePointer(z + base)
      let corner = (i * a) * g.z.w + j * a
      // The largest value and the second (without branches: which is larger follows the data).
      var (best, second): (Float, Float) = (-.infinity, -.infinity)
      for l in 0..<a {
        for m in 0..<a {
          let v = values[corner + l * g.z.w + m]
          second = max(second, min(best, v))
          best = max(best, v)
        }
      }
      // The winner is the first of the largest, in row-major order, as in the max-pool.
      var (bestAt, widest) = (-1, Float(0))
      for l in 0..<a {
        for m in 0..<a {
          let p = corner + l * g.z.w + m
          if bestAt < 0, values[p] == best { bestAt = p }
          widest = max(widest, norms[p])
        }
      }
      // A window of zeros (all clipped by ReLU), or one whose winner is clear, decides nothing.
      guard best > 0, best - second <= 2 * scale * widest else { return }
      // Close values at windows identical to the winner's are exact ties (the first wins, as
      // in exact arithmetic): only a close value from another window is a close call.
      let reach = scale * norms[bestAt]
      var other = false
      for l in 0..<a {
        for m in 0..<a {
          let p = corner + l * g.z.w + m
          if best - values[p] <= reach + scale * norms[p], !same(e * outputs + p, e * outputs + bestAt) {
            other = true
          }
        }
      }
      guard other else { return }
      for l in 0..<a {
        for m in 0..<a {
          let p = corner + l * g.z.w + m
          if best - values[p] <= reach + scale * norms[p] { finds.append(base + p) }
        }
      }
    }
  }

  @inline(__always)
  static func larger(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    a.replacing(with: b, where: a .< b)
  }

  @inline(__always)
  static func smaller(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    a.replacing(with: b, where: b .< a)
  }

  /// The offset in z of the same filter's output at the first window identical to offset o's.
  func canonical(_ o: Int, first: [Int32]) -> Int {
    let outputs = g.z.h * g.z.w
    let (ek, p) = o.quotientAndRemainder(dividingBy: outputs)
    let (e, k) = ek.quotientAndRemainder(dividingBy: g.k)
    let q = Int(first[e * outputs + p])
    return (q / outputs * g.k + k) * outputs + q % outputs
  }
}
