/// Close calls recomputed in Double many at a time, a block of input channels at a time.
///
/// One output's window spans C·f_h cache lines of x, each on another channel's plane (conv1_2's 64
/// channels of 200 KB each: a page apiece, and none of them in cache). Gathered one output after
/// another, a batch's few thousand close calls took 4–5 µs each, mostly waiting on those loads.
/// Here the outputs (sorted by example, then pixel) are taken through x a block of channels at a
/// time: the block's planes stay in cache for all of them, and each output keeps its running sums
/// between blocks. A block holds a multiple of 8 channels, so its first tap is a multiple of 8:
/// tap t goes to lane t mod 8 as in `exact`, and every sum adds the same terms in the same order
/// as one output at a time did — the same bits (`CloseCallsBatchTests`).
extension CloseCalls {
  /// How an output's Double sum runs: `inOrder` from b, tap by tap (`decideReLU`); `inLanes`
  /// eight lanes of taps t mod 8, then b + their sum, then the last taps in order (`exact`).
  enum SumOrder { case inOrder, inLanes }

  /// Bytes of x's planes a channel block aims at (at least 8 channels, or all when C is not a
  /// multiple of 8).
  static let blockBytes = 512 << 10

  /// The channels of one block: a multiple of 8 (or all C), about `bytes` of one example's planes.
  func channelBlock(bytes: Int = CloseCalls.blockBytes) -> Int {
    let c = g.x.c
    guard c % 8 == 0 else { return c }
    let fitting = bytes / max(1, g.x.h * g.x.w * MemoryLayout<Float>.stride) / 8 * 8
    return min(c, max(8, fitting))
  }

  /// Float(the Double sum) of each output in `outputs` (offsets in z), in their order; one worker.
  func exactValues(
    _ outputs: [Int], order: SumOrder, x: UnsafePointer<Float>, W: UnsafePointer<Float>,
    b: UnsafePointer<Float>,
    blockBytes: Int = CloseCalls.blockBytes
  ) -> [Float] {
    let count = outputs.count
    guard count > 0 else { return [] }
    let (pixels, taps) = (g.z.h * g.z.w, g.fh * g.fw)
    let rows = g.x.c * taps
    let lanesEnd = rows / 8 * 8
    // (example·pixels + pixel, filter) of each output, and the outputs' indices sorted by them.
    let place = outputs.map { o -> (pixel: Int, filter: Int) in
      let (ek, p) = o.quotientAndRemainder(dividingBy: pixels)
      let (e, k) = ek.quotientAndRemainder(dividingBy: g.k)
      return (e * pixels + p, k)
    }
    let sorted = place.indices.sorted {
      (place[$0].pixel, place[$0].filter) < (place[$1].pixel, place[$1].filter)
    }
    let block = channelBlock(bytes: blockBytes)
    // Four windows of a block side by side: four outputs' sums run at once (each still in its own
    // order), so their additions' latencies overlap.
    let windows = UnsafeMutablePointer<Float>.allocate(capacity: 4 * block * taps)
    defer { windows.deallocate() }
    var lanes = [SIMD8<Double>](repeating: SIMD8(), count: order == .inLanes ? count : 0)
    var sums = (0..<count).map { n in order == .inOrder ? Double(b[place[n].filter]) : 0 }
    // The outputs of one example at a time, so that its planes stay in cache across them.
    var start = 0
    while start < count {
      let e = place[sorted[start]].pixel / pixels
      var end = start
      while end < count, place[sorted[end]].pixel / pixels == e { end += 1 }
      for c0 in Swift.stride(from: 0, to: g.x.c, by: block) {
        let channels = c0..<min(g.x.c, c0 + block)
        let (t0, t1) = (c0 * taps, channels.upperBound * taps)
        let span = t1 - t0
        for first in Swift.stride(from: start, to: end, by: 4) {
          // Slots past the last output repeat the first: computed and dropped. A slot at the
          // previous slot's pixel shares its window.
          let group = (0..<4).map { sorted[first + ($0 < end - first ? $0 : 0)] }
          var from = [0, 1, 2, 3]
          for (slot, n) in group.enumerated() {
            if slot >= end - first {
              from[slot] = 0
            } else if slot > 0, place[n].pixel == place[group[slot - 1]].pixel {
              from[slot] = from[slot - 1]
            } else {
              let q = place[n].pixel - e * pixels
              gather(example: e, pixel: q, channels: channels, x: x, into: windows + slot * span)
            }
          }
          let window = (0..<4).map { UnsafePointer(windows + from[$0] * span) }
          let filter = group.map { W + place[$0].filter * rows }
          switch order {
          case .inOrder:
            var (s0, s1, s2, s3) = (sums[group[0]], sums[group[1]], sums[group[2]], sums[group[3]])
            let (f0, f1, f2, f3) = (filter[0] + t0, filter[1] + t0, filter[2] + t0, filter[3] + t0)
            let (w0, w1, w2, w3) = (window[0], window[1], window[2], window[3])
            for t in 0..<span {
              s0 += Double(f0[t]) * Double(w0[t])
              s1 += Double(f1[t]) * Double(w1[t])
              s2 += Double(f2[t]) * Double(w2[t])
              s3 += Double(f3[t]) * Double(w3[t])
            }
            for (slot, s) in [s0, s1, s2, s3].enumerated() where slot < end - first { sums[group[slot]] = s }
          case .inLanes:
            var l = (lanes[group[0]], lanes[group[1]], lanes[group[2]], lanes[group[3]])
            var t = t0
            @inline(__always) func term(_ slot: Int) -> (SIMD8<Double>, SIMD8<Double>) {
              let w = UnsafeRawPointer(filter[slot] + t).loadUnaligned(as: SIMD8<Float>.self)
              let s = UnsafeRawPointer(window[slot] + (t - t0)).loadUnaligned(as: SIMD8<Float>.self)
              return (SIMD8<Double>(w), SIMD8<Double>(s))
            }
            while t + 8 <= min(t1, lanesEnd) {
              let (a0, a1, a2, a3) = (term(0), term(1), term(2), term(3))
              l.0.addProduct(a0.0, a0.1)
              l.1.addProduct(a1.0, a1.1)
              l.2.addProduct(a2.0, a2.1)
              l.3.addProduct(a3.0, a3.1)
              t += 8
            }
            for (slot, lane) in [l.0, l.1, l.2, l.3].enumerated() where slot < end - first {
              let n = group[slot]
              lanes[n] = lane
              guard t1 == rows else { continue }
              // The last block: b and the lanes, then the taps past the last whole eight, in order.
              var sum = Double(b[place[n].filter]) + lane.sum()
              for u in t..<rows { sum += Double(filter[slot][u]) * Double(window[slot][u - t0]) }
              sums[n] = sum
            }
          }
        }
      }
      start = end
    }
    var values = [Float](repeating: 0, count: count)
    for n in 0..<count { values[n] = Float(sums[n]) }
    return values
  }
}
