/// Close calls recomputed in Double many at a time, a block of input channels at a time.
///
/// One output's window spans C·f_h cache lines of x, each on another channel's plane (conv1_2's 64
/// channels of 200 KB each: a page apiece, and none of them in cache after the layer). Gathered
/// one output after another, tap by tap, and summed through SIMD8<Double> conversions the
/// compiler spilled to the stack, VGG-16's 3,000–3,700 max-pool close calls per pooled layer took
/// 12–19 ms at batch 8. Here the outputs, in z's order (example, filter, pixel: a pool window's
/// close values, of one filter at neighbouring pixels, share their lines of x and their weights),
/// are taken through x a block of channels at a time, four sums side by side, each output keeping
/// its running sums between blocks; a window three taps wide is copied a row of four at a time
/// (`gather`), and the lanes are added as two halves of four. A block holds a multiple of 8
/// channels, so its first tap is a multiple of 8: tap t goes to lane t mod 8 as in `exact`, and
/// every sum adds the same terms in the same order as one output at a time did — the same bits
/// (`CloseCallsBatchTests`).
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
    // (example·pixels + pixel, filter) of each output, and the outputs' indices in z's order.
    let place = outputs.map { o -> (pixel: Int, filter: Int) in
      let (ek, p) = o.quotientAndRemainder(dividingBy: pixels)
      let (e, k) = ek.quotientAndRemainder(dividingBy: g.k)
      return (e * pixels + p, k)
    }
    let sorted = outputs.indices.sorted { outputs[$0] < outputs[$1] }
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
            let (f0, f1, f2, f3) = (
              UnsafeRawPointer(filter[0] + t0), UnsafeRawPointer(filter[1] + t0),
              UnsafeRawPointer(filter[2] + t0),
              UnsafeRawPointer(filter[3] + t0)
            )
            let (w0, w1, w2, w3) = (
              UnsafeRawPointer(window[0]), UnsafeRawPointer(window[1]), UnsafeRawPointer(window[2]),
              UnsafeRawPointer(window[3])
            )
            // Bytes from the block's first tap, eight taps at a time: lanes 0–3 and 4–7 as two
            // halves of four (a float32 pair's product is exact in Double, so one rounding each).
            var offset = 0
            let lanesBytes = (min(t1, lanesEnd) - t0) * MemoryLayout<Float>.stride
            var (low, high) = (
              (l.0.lowHalf, l.1.lowHalf, l.2.lowHalf, l.3.lowHalf),
              (l.0.highHalf, l.1.highHalf, l.2.highHalf, l.3.highHalf)
            )
            @inline(__always) func half(_ p: UnsafeRawPointer, _ at: Int) -> SIMD4<Double> {
              let v = p.loadUnaligned(fromByteOffset: at, as: SIMD4<Float>.self)
              return SIMD4<Double>(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]))
            }
            while offset + 32 <= lanesBytes {
              low.0.addProduct(half(f0, offset), half(w0, offset))
              high.0.addProduct(half(f0, offset + 16), half(w0, offset + 16))
              low.1.addProduct(half(f1, offset), half(w1, offset))
              high.1.addProduct(half(f1, offset + 16), half(w1, offset + 16))
              low.2.addProduct(half(f2, offset), half(w2, offset))
              high.2.addProduct(half(f2, offset + 16), half(w2, offset + 16))
              low.3.addProduct(half(f3, offset), half(w3, offset))
              high.3.addProduct(half(f3, offset + 16), half(w3, offset + 16))
              offset += 32
            }
            l = (
              SIMD8(lowHalf: low.0, highHalf: high.0), SIMD8(lowHalf: low.1, highHalf: high.1),
              SIMD8(lowHalf: low.2, highHalf: high.2), SIMD8(lowHalf: low.3, highHalf: high.3)
            )
            let t = t0 + offset / MemoryLayout<Float>.stride
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
