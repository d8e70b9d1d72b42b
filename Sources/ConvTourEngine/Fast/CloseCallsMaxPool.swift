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
    let outputs = g.z.h * g.z.w
    let widestInExample = (0..<g.x.n).map { e in windowNorm[(e * outputs)..<((e + 1) * outputs)].max() ?? 0 }
    FastPath.forEachWorker(workers) { w in
      for plane in FastPath.share(g.x.n * g.k, w, workers) {
        closePoolWindows(
          side: a, plane: plane, widest: widestInExample[plane / g.k], first: first, z: z, into: &finds[w])
      }
    }
    // In storage order, so that neighbouring windows are gathered from x one after the other.
    let targets = Array(Set((0..<workers).flatMap { finds[$0] }.map { canonical($0, first: first) })).sorted()
    let rows = g.x.c * g.fh * g.fw
    FastPath.forEachShare(targets.count, workers: workers) { range in
      let window = UnsafeMutablePointer<Float>.allocate(capacity: rows)
      defer { window.deallocate() }
      for o in targets[range] { z[o] = max(exact(o, x: x, W: W, b: b, window: window), 0) }
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
      for i in 0..<rows {
        for j in 0..<columns {
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
          guard best > 0, best - second <= reachInPlane else { continue }
          // The winner is the first of the largest, in row-major order, as in the max-pool.
          var (bestAt, widest) = (-1, Float(0))
          for l in 0..<a {
            for m in 0..<a {
              let p = corner + l * g.z.w + m
              if bestAt < 0, values[p] == best { bestAt = p }
              widest = max(widest, norms[p])
            }
          }
          guard best - second <= 2 * scale * widest else { continue }
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
          guard other else { continue }
          for l in 0..<a {
            for m in 0..<a {
              let p = corner + l * g.z.w + m
              if best - values[p] <= reach + scale * norms[p] { finds.append(base + p) }
            }
          }
        }
      }
    }
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
