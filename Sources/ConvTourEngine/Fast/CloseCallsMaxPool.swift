/// Max-pool close calls: the windows of the pool after the ReLU whose winner float32 could have
/// picked wrongly, recomputed in Double (`CloseCalls`).
extension CloseCalls {
  /// After ReLU: every a×a window (stride a) of z whose largest values are within their bounds of
  /// each other is recomputed at the first identical window's place; returns how many outputs.
  func decideMaxPool(
    side a: Int, first: [Int32], z: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>,
    W: UnsafePointer<Float>, b: UnsafePointer<Float>
  ) -> Int {
    let workers = FastPath.workers
    // Each worker's finds, over its share of the planes (e, k).
    let finds = UnsafeMutablePointer<[Int]>.allocate(capacity: workers)
    finds.initialize(repeating: [], count: workers)
    defer { finds.deinitialize(count: workers).deallocate() }
    // No two values of a window can be a close call when they are further apart than twice the
    // largest bound of their example: most windows are passed over on that test alone.
    let (outputs, rows) = (g.z.h * g.z.w, g.x.c * g.fh * g.fw)
    let widestInExample = (0..<g.x.n).map { e in windowNorm[(e * outputs)..<((e + 1) * outputs)].max() ?? 0 }
    FastPath.forEachWorker(workers) { w in
      for plane in FastPath.share(g.x.n * g.k, w, workers) {
        closePoolWindows(
          side: a, plane: plane, widest: widestInExample[plane / g.k], first: first, z: z, into: &finds[w])
      }
    }
    // Ordered by example, pixel and filter: a window is gathered once for all the filters
    // whose output there is a close call, and neighbouring windows one after the other.
    let targets = Set((0..<workers).flatMap { finds[$0] }.map { canonical($0, first: first) })
      .map { o -> (key: Int, offset: Int) in
        let (ek, p) = o.quotientAndRemainder(dividingBy: outputs)
        let (e, k) = ek.quotientAndRemainder(dividingBy: g.k)
        return (((e * outputs + p) * g.k + k), o)
      }
      .sorted { $0.key < $1.key }
    FastPath.forEachShare(targets.count, workers: workers) { range in
      let window = UnsafeMutablePointer<Float>.allocate(capacity: rows)
      defer { window.deallocate() }
      var gathered = -1
      for (key, o) in targets[range] {
        let (ep, k) = key.quotientAndRemainder(dividingBy: g.k)
        if ep != gathered {
          gather(example: ep / outputs, pixel: ep % outputs, x: x, into: window)
          gathered = ep
        }
        z[o] = max(exact(filter: k, window: window, W: W, b: b), 0)
      }
    }
    return targets.count
  }

  /// The outputs of one plane (example e, filter k) of z, after ReLU, that are within their
  /// bound of their pool window's largest value, in windows where one of them comes from a
  /// window that is not identical to the winner's. `widest`: the largest window norm of the
  /// plane's example.
  private func closePoolWindows(
    side a: Int, plane: Int, widest widestInPlane: Float, first: [Int32], z: UnsafeMutablePointer<Float>,
    into finds: inout [Int]
  ) {
    let (outputs, rows, columns) = (g.z.h * g.z.w, g.z.h / a, g.z.w / a)
    let (e, k) = plane.quotientAndRemainder(dividingBy: g.k)
    let base = plane * outputs
    let scale = filterScale[k]
    windowNorm.withUnsafeBufferPointer { norms in
      let norms = norms.baseAddress! + e * outputs
      let reachInPlane = 2 * scale * widestInPlane
      let values = UnsafePointer(z + base)
      // Window (i, j), in full.
      func check(_ i: Int, _ j: Int) {
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
        // A window of zeros (all clipped by ReLU), or one whose winner is clear, decides nothing.
        guard best > 0, best - second <= reachInPlane else { return }
        // The winner is the first of the largest, in row-major order, as in the max-pool.
        var (bestAt, widest) = (-1, Float(0))
        for l in 0..<a {
          for m in 0..<a {
            let p = corner + l * g.z.w + m
            if bestAt < 0, values[p] == best { bestAt = p }
            widest = max(widest, norms[p])
          }
        }
        guard best - second <= 2 * scale * widest else { return }
        // Close values at windows identical to the winner's are exact ties (the first wins, as
        // in exact arithmetic): only a close value from another window is a close call.
        let reach = scale * norms[bestAt]
        let winner = first[e * outputs + bestAt]
        var other = false
        for l in 0..<a {
          for m in 0..<a {
            let p = corner + l * g.z.w + m
            if best - values[p] <= reach + scale * norms[p], first[e * outputs + p] != winner {
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
      // Eight 2×2 windows at a time: the largest and second values of each without branches
      // (which is larger follows the data); only the few windows that could be close are
      // checked in full.
      let reach8 = SIMD8<Float>(repeating: reachInPlane)
      for i in 0..<rows {
        var j = 0
        if a == 2 {
          let (top, bottom) = (
            UnsafeRawPointer(values + 2 * i * g.z.w), UnsafeRawPointer(values + (2 * i + 1) * g.z.w)
          )
          while j + 8 <= columns {
            let t = top.loadUnaligned(fromByteOffset: 8 * j, as: SIMD16<Float>.self)
            let u = bottom.loadUnaligned(fromByteOffset: 8 * j, as: SIMD16<Float>.self)
            let (highTop, lowTop) = (Self.larger(t.evenHalf, t.oddHalf), Self.smaller(t.evenHalf, t.oddHalf))
            let (highBottom, lowBottom) = (
              Self.larger(u.evenHalf, u.oddHalf), Self.smaller(u.evenHalf, u.oddHalf)
            )
            let best = Self.larger(highTop, highBottom)
            let second = Self.larger(Self.smaller(highTop, highBottom), Self.larger(lowTop, lowBottom))
            let candidate = (best .> SIMD8<Float>()) .& (best - second .<= reach8)
            if any(candidate) {
              for lane in 0..<8 where candidate[lane] { check(i, j + lane) }
            }
            j += 8
          }
        }
        for j in j..<columns { check(i, j) }
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
