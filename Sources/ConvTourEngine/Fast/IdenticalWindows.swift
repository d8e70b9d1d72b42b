/// Exact ties for the direct convolution: identical input windows give bitwise-identical outputs
/// wherever they are in the image.
///
/// A BLAS's sgemm does not promise that. Its kernels may add up a dot product in a different
/// order for some columns than for others: edge kernels at the end of a block, and (OpenBLAS
/// 0.3.21's Haswell and Zen sgemm, measured) different orders for columns in the same block,
/// depending on the block's size. Then two pixels of a flat image region, whose windows are equal,
/// get outputs a rounding apart, and a max-pool over them picks whichever rounded up instead of
/// the first in row-major order as PyTorch and the reference path do.
///
/// So the direct convolution finds the pixels whose windows are equal to an earlier pixel's,
/// exactly (bit for bit, never by a hash alone), and copies that pixel's outputs to them after
/// the product. Two steps, both linear in the image:
/// 1. pixel classes: `pixel[e·H·W + i·W + j]` = the first pixel of the batch whose C channel
///    values equal those of (i, j) in example e;
/// 2. window classes: a pixel's window is the f_h×f_w pixel classes around it (a padding
///    position counts as an all-zero pixel), and `first[e·H_out·W_out + p]` = the first output
///    pixel of the batch whose window has the same classes.
/// Over the whole batch, so that an example's position in it changes nothing either.
struct IdenticalWindows {
  /// first[q] = the first output pixel of the batch (row-major, examples in order) whose window
  /// equals that of pixel q: [N·H_out·W_out].
  var first: [Int32]
  /// How many pixels repeat an earlier window.
  var repeats: Int

  /// FNV-1a's constants.
  static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
  static let prime: UInt64 = 0x100_0000_01B3

  /// The identical windows of a batch x [N, C, H, W] under the convolution's geometry.
  init(_ x: UnsafePointer<Float>, _ g: Convolution.Geometry, stride: Extent2D, padding: Extent2D) {
    let plane = g.x.h * g.x.w
    let pixel = Self.pixelClasses(x, examples: g.x.n, channels: g.x.c, plane: plane)
    // The class of an all-zero pixel, which padding positions equal (−1 when no pixel is zero).
    let zero = Self.zeroClass(x, channels: g.x.c, plane: plane, pixel: pixel)
    let outputs = g.z.h * g.z.w
    let pixels = g.x.n * outputs
    let taps = g.fh * g.fw
    // No pixel repeats another and none is all zero: then windows at two places differ at a tap
    // that is inside the image for one of them (every window has one when the padding is less than
    // the filter), so no window repeats. The common case of a photograph.
    if zero < 0, padding.rows < g.fh, padding.columns < g.fw,
      pixel.indices.allSatisfy({ pixel[$0] == Int32($0) })
    {
      (first, repeats) = ((0..<Int32(pixels)).map { $0 }, 0)
      return
    }
    // Only windows made of shared pixels can repeat (`candidates`): usually few or none.
    let candidates = Self.candidates(pixel: pixel, zero: zero, g, stride: stride, padding: padding)
    var found = (0..<Int32(pixels)).map { $0 }
    guard !candidates.isEmpty else {
      (first, repeats) = (found, 0)
      return
    }
    // window[c·taps + l·f_w + m]: the class of the tap (l, m) of candidate c, and windowHash[c]
    // a hash of its taps; the workers take ranges of candidates.
    var window = [Int32](repeating: 0, count: candidates.count * taps)
    var windowHash = [UInt64](repeating: 0, count: candidates.count)
    pixel.withUnsafeBufferPointer { pixel in
      window.withUnsafeMutableBufferPointer { window in
        windowHash.withUnsafeMutableBufferPointer { windowHash in
          let (pixel, window, windowHash) = (pixel.baseAddress!, window.baseAddress!, windowHash.baseAddress!)
          FastPath.forEachShare(candidates.count, workers: FastPath.workers) { range in
            for n in range {
              let (e, p) = Int(candidates[n]).quotientAndRemainder(dividingBy: outputs)
              let (i, j) = p.quotientAndRemainder(dividingBy: g.z.w)
              let base = window + n * taps
              var h: UInt64 = Self.offsetBasis
              for l in 0..<g.fh {
                let r = i * stride.rows + l - padding.rows
                for m in 0..<g.fw {
                  let c = j * stride.columns + m - padding.columns
                  let inside = r >= 0 && r < g.x.h && c >= 0 && c < g.x.w
                  let tap = inside ? pixel[e * plane + r * g.x.w + c] : zero
                  base[l * g.fw + m] = tap
                  h = (h ^ UInt64(UInt32(bitPattern: tap))) &* Self.prime
                }
              }
              windowHash[n] = h
            }
          }
        }
      }
    }
    let firstCandidate = Self.firstOccurrences(count: candidates.count) {
      windowHash[$0]
    } equal: { p, q in
      (0..<taps).allSatisfy { window[p * taps + $0] == window[q * taps + $0] }
    }
    for (n, f) in firstCandidate.enumerated() { found[Int(candidates[n])] = candidates[Int(f)] }
    first = found
    repeats = first.enumerated().count { $0.offset != Int($0.element) }
  }

  /// The output pixels of the batch whose windows could repeat another's, in order: those whose
  /// taps inside the image are all shared pixels — of a class that occurs more than once in the
  /// batch, or all zero (as the padding is). A pixel of a class of its own at tap (l, m) of two
  /// windows is at the same place in both, so only one window has it there: a window that holds
  /// one repeats no other. Per example, the pixels of their own are counted over each window's
  /// inside rectangle from running sums (a summed-area table).
  static func candidates(
    pixel: [Int32], zero: Int32, _ g: Convolution.Geometry, stride: Extent2D, padding: Extent2D
  ) -> [Int32] {
    var occurrences = [Int32](repeating: 0, count: pixel.count)
    for c in pixel { occurrences[Int(c)] += 1 }
    let plane = g.x.h * g.x.w
    let outputs = g.z.h * g.z.w
    let side = g.x.w + 1
    var found: [Int32] = []
    // sums[(r + 1)·(W + 1) + c + 1]: how many pixels of their own rows 0…r, columns 0…c hold.
    var sums = [Int32](repeating: 0, count: (g.x.h + 1) * side)
    for e in 0..<g.x.n {
      for r in 0..<g.x.h {
        var run: Int32 = 0
        for c in 0..<g.x.w {
          let k = pixel[e * plane + r * g.x.w + c]
          if occurrences[Int(k)] == 1 && k != zero { run += 1 }
          sums[(r + 1) * side + c + 1] = sums[r * side + c + 1] + run
        }
      }
      for i in 0..<g.z.h {
        let top = i * stride.rows - padding.rows
        let (r0, r1) = (max(0, top), min(g.x.h, top + g.fh))
        for j in 0..<g.z.w {
          let left = j * stride.columns - padding.columns
          let (c0, c1) = (max(0, left), min(g.x.w, left + g.fw))
          let own =
            r0 < r1 && c0 < c1
            ? sums[r1 * side + c1] - sums[r0 * side + c1] - sums[r1 * side + c0] + sums[r0 * side + c0] : 0
          if own == 0 { found.append(Int32(e * outputs + i * g.z.w + j)) }
        }
      }
    }
    return found
  }

  /// pixel[e·H·W + i·W + j] = the first pixel of the batch whose channel vector equals that of
  /// (i, j) in example e, bit for bit.
  ///
  /// Most pixels of an image equal no other, so they are sorted out first, cheaply: a 32-bit
  /// hash per pixel, and two bit sets indexed by it — slots hit once, slots hit again. A pixel
  /// whose slot was hit once has a vector of its own (equal vectors hash alike) and is its own
  /// class; only the others (pixels that repeat, and a few whose slot is shared by chance) go
  /// through `firstOccurrences`, which compares them exactly, in order.
  static func pixelClasses(_ x: UnsafePointer<Float>, examples: Int, channels: Int, plane: Int) -> [Int32] {
    let count = examples * plane
    // FNV-1a over the channels' bits, channel by channel (x is [N, C, H·W]: each pass reads one
    // plane); the workers take ranges of pixels.
    var hashes = [UInt32](repeating: 0x811C_9DC5, count: count)
    hashes.withUnsafeMutableBufferPointer { hashes in
      let hashes = hashes.baseAddress!
      FastPath.forEachShare(plane, workers: FastPath.workers) { pixels in
        for e in 0..<examples {
          let out = hashes + e * plane
          for c in 0..<channels {
            let row = x + (e * channels + c) * plane
            for p in pixels { out[p] = (out[p] ^ row[p].bitPattern) &* 0x0100_0193 }
          }
        }
      }
    }
    // Slots: the top `bits` bits of the hash, mixed; at least 16 slots per pixel.
    var bits = 6
    while bits < 31, 1 << bits < 16 * count { bits += 1 }
    func slot(_ h: UInt32) -> Int {
      var v = h ^ (h >> 16)
      v = (v &* 0x85EB_CA6B) ^ ((v &* 0x85EB_CA6B) >> 13)
      return Int((v &* 0xC2B2_AE35) >> UInt32(32 - bits))
    }
    var once = [UInt64](repeating: 0, count: (1 << bits) / 64)
    var twice = once
    for h in hashes {
      let s = slot(h)
      let (word, bit) = (s >> 6, UInt64(1) << UInt64(s & 63))
      if once[word] & bit != 0 { twice[word] |= bit } else { once[word] |= bit }
    }
    let maybe = hashes.indices.filter { q in
      let s = slot(hashes[q])
      return twice[s >> 6] & (UInt64(1) << UInt64(s & 63)) != 0
    }
    var classes = (0..<Int32(count)).map { $0 }
    guard !maybe.isEmpty else { return classes }
    // The value of channel c at pixel q of the batch.
    func value(_ q: Int, _ c: Int) -> UInt32 { x[(q / plane * channels + c) * plane + q % plane].bitPattern }
    let first = firstOccurrences(count: maybe.count) {
      UInt64(hashes[maybe[$0]])
    } equal: { p, q in
      (0..<channels).allSatisfy { value(maybe[p], $0) == value(maybe[q], $0) }
    }
    for (n, f) in first.enumerated() { classes[maybe[n]] = Int32(maybe[Int(f)]) }
    return classes
  }

  /// The class of the first pixel whose channels are all +0.0, or −1.
  static func zeroClass(_ x: UnsafePointer<Float>, channels: Int, plane: Int, pixel: [Int32]) -> Int32 {
    for q in pixel.indices where pixel[q] == Int32(q) {
      let base = x + q / plane * channels * plane + q % plane
      if (0..<channels).allSatisfy({ base[$0 * plane].bitPattern == 0 }) { return Int32(q) }
    }
    return -1
  }

  /// first[p] = the smallest q ≤ p with equal(p, q), found through an open-addressing table of
  /// the first items of each hash; items whose hashes agree are compared with `equal`.
  static func firstOccurrences(
    count: Int, hash: (Int) -> UInt64, equal: (Int, Int) -> Bool
  ) -> [Int32] {
    var capacity = 16
    while capacity < 2 * count { capacity *= 2 }
    let mask = capacity - 1
    var slots = [Int32](repeating: -1, count: capacity)
    var slotHash = [UInt64](repeating: 0, count: capacity)
    var first = [Int32](repeating: 0, count: count)
    for p in 0..<count {
      let h = hash(p)
      var s = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
      while true {
        let q = slots[s]
        if q < 0 {
          (slots[s], slotHash[s], first[p]) = (Int32(p), h, Int32(p))
          break
        }
        if slotHash[s] == h, equal(p, Int(q)) {
          first[p] = q
          break
        }
        s = (s + 1) & mask
      }
    }
    return first
  }

  /// z[e, k, p] = z at the first identical window, for every filter k: z [N, K, H_out·W_out].
  func copyRepeats(into z: UnsafeMutablePointer<Float>, filters: Int, outputs: Int) {
    guard repeats > 0 else { return }
    // Where pixel q of the batch has filter k's output: q / outputs is its example.
    func at(_ q: Int, _ k: Int) -> Int { (q / outputs * filters + k) * outputs + q % outputs }
    for q in first.indices where first[q] != Int32(q) {
      let source = Int(first[q])
      for k in 0..<filters { z[at(q, k)] = z[at(source, k)] }
    }
  }
}
