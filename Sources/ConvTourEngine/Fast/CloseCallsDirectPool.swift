import Foundation

/// A max-pool's close calls after a direct convolution (`computesDirectly`) whose scan found few
/// candidates, decided without the batch's window classes (`IdenticalWindows`).
///
/// Computed straight from x, identical windows already have bitwise-identical outputs; the
/// classes would answer two questions only, and the windows themselves answer them:
/// - in a candidate pool window, is a close value's input window identical to the winner's (an
///   exact tie, left to the first)? Compared tap by tap;
/// - where else in the batch does a recomputed output's window occur? Those twins get the same
///   recomputed value, as `copyRepeats` gives them the other way, so identical windows keep
///   identical outputs.
/// So the same outputs are recomputed, to the same values, as by `decideMaxPool` with the classes
/// (`DirectPoolCloseCallsTests`, bit for bit). The cost grows with the candidates and the
/// recomputed outputs: past `work` taps read it gives up (nil) before writing anything, and the
/// caller finds the classes — for a flat region's thousands of exact ties, their way is cheaper.
extension CloseCalls {
  func decideMaxPoolDirectly(
    _ pool: PoolCloseCalls, candidates: [Int], z: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>,
    W: UnsafePointer<Float>, b: UnsafePointer<Float>, work: Int
  ) -> Int? {
    let (outputs, taps) = (g.z.h * g.z.w, g.x.c * g.fh * g.fw)
    var budget = work
    let window = UnsafeMutablePointer<Float>.allocate(capacity: 2 * taps)
    defer { window.deallocate() }
    func same(_ q: Int, _ r: Int) -> Bool {
      if q == r { return true }
      budget -= 2 * taps
      gather(example: q / outputs, pixel: q % outputs, x: x, into: window)
      gather(example: r / outputs, pixel: r % outputs, x: x, into: window + taps)
      return memcmp(window, window + taps, taps * MemoryLayout<Float>.stride) == 0
    }
    var finds: [Int] = []
    for n in candidates {
      decide(window: n, pool, same: same, z: z, into: &finds)
      guard budget >= 0 else { return nil }
    }
    guard !finds.isEmpty else { return 0 }
    // The recomputed outputs' pixels of the batch (e·H_out·W_out + p), and every pixel whose
    // window is identical to one of theirs.
    let targets = Set(finds).sorted()
    let pixels = Set(targets.map { $0 / outputs / g.k * outputs + $0 % outputs }).sorted()
    var twins: [Int: [Int]] = [:]
    for q in pixels {
      gather(example: q / outputs, pixel: q % outputs, x: x, into: window)
      guard let found = twinsOf(window, pixel: q, x: x, budget: &budget) else { return nil }
      twins[q] = found
    }
    // Their values in Double, as `decideMaxPool` computes them (`exact`'s sums, many at a time).
    let values = exactValues(targets, order: .inLanes, x: x, W: W, b: b)
    for (o, exact) in zip(targets, values) {
      let (ek, p) = o.quotientAndRemainder(dividingBy: outputs)
      let (e, k) = ek.quotientAndRemainder(dividingBy: g.k)
      let value = max(exact, 0)
      z[o] = value
      for r in twins[e * outputs + p, default: []] {
        z[(r / outputs * g.k + k) * outputs + r % outputs] = value
      }
    }
    return targets.count
  }

  /// The output pixels of the batch other than q whose input window is `window` (q's, as
  /// `gather` lays it out), or nil past the budget. A twin's window has `window`'s values at every
  /// tap, so at the first tap t = (c, l, m) whose value is not +0 (a zero is common: ReLU's):
  /// that tap lies inside the image for q and for every twin, so channel c of x is scanned for
  /// the value, sixteen at a time, and only where it is found are the windows compared whole.
  /// (A window of zeros only, or a stride above 1: every window is compared.)
  func twinsOf(_ window: UnsafePointer<Float>, pixel q: Int, x: UnsafePointer<Float>, budget: inout Int)
    -> [Int]?
  {
    let (outputs, taps) = (g.z.h * g.z.w, g.x.c * g.fh * g.fw)
    var found: [Int] = []
    func compare(_ r: Int) -> Bool {
      budget -= 16
      guard r != q, matches(window, example: r / outputs, pixel: r % outputs, x: x) else {
        return budget >= 0
      }
      found.append(r)
      budget -= taps
      return budget >= 0
    }
    guard let t = (0..<taps).first(where: { window[$0].bitPattern != 0 }), stride.rows == 1,
      stride.columns == 1
    else {
      for r in 0..<(g.x.n * outputs) { guard compare(r) else { return nil } }
      return found
    }
    // Output pixel (i, j)'s tap t is x[e, c, i + dh, j + dw].
    let (c, lm) = t.quotientAndRemainder(dividingBy: g.fh * g.fw)
    let (dh, dw) = (lm / g.fw - padding.rows, lm % g.fw - padding.columns)
    let plane = g.x.h * g.x.w
    let value = window[t].bitPattern
    let wanted = SIMD16<UInt32>(repeating: value)
    for e in 0..<g.x.n {
      let channel = UnsafeRawPointer(x + (e * g.x.c + c) * plane)
      budget -= plane / 4
      guard budget >= 0 else { return nil }
      var u0 = 0
      while u0 < plane {
        if u0 + 16 <= plane {
          let values = channel.loadUnaligned(fromByteOffset: 4 * u0, as: SIMD16<UInt32>.self)
          guard any(values .== wanted) else {
            u0 += 16
            continue
          }
        }
        for u in u0..<min(u0 + 16, plane) where channel.load(fromByteOffset: 4 * u, as: UInt32.self) == value
        {
          let (i, j) = (u / g.x.w - dh, u % g.x.w - dw)
          guard i >= 0, i < g.z.h, j >= 0, j < g.z.w else { continue }
          guard compare(e * outputs + i * g.z.w + j) else { return nil }
        }
        u0 += 16
      }
    }
    return found
  }

  /// Whether the input window of output pixel p of example e is `window` (as `gather` lays it
  /// out), bit for bit; most windows differ at their first tap or two.
  func matches(_ window: UnsafePointer<Float>, example e: Int, pixel p: Int, x: UnsafePointer<Float>) -> Bool
  {
    let (i, j) = p.quotientAndRemainder(dividingBy: g.z.w)
    let (top, left) = (i * stride.rows - padding.rows, j * stride.columns - padding.columns)
    let (plane, width) = (g.x.h * g.x.w, g.x.w)
    var t = 0
    for c in 0..<g.x.c {
      let channel = x + (e * g.x.c + c) * plane
      for l in 0..<g.fh {
        let r = top + l
        for m in 0..<g.fw {
          let q = left + m
          let value = r >= 0 && r < g.x.h && q >= 0 && q < width ? channel[r * width + q] : 0
          guard value.bitPattern == window[t].bitPattern else { return false }
          t += 1
        }
      }
    }
    return true
  }
}
