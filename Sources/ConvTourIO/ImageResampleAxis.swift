/// The weights of Pillow's bilinear resample along one axis, as `precompute_coeffs` and
/// `normalize_coeffs_8bpc` in Pillow's src/libImaging/Resample.c compute them.
///
/// Output position `o` reads the `count[o]` input positions from `first[o]` on, with the weights
/// `weights[o * taps + k]` for `k < count[o]`: fixed point, 22 fractional bits (Pillow's
/// `PRECISION_BITS`). They are a triangle filter over the input positions' centres, widened by the
/// scale when shrinking (antialiasing), normalised to sum 1 in Double and then rounded, as Pillow
/// does, in the same order of operations.
struct ImageResampleAxis {
  static let precisionBits = 22

  let first: [Int]
  let count: [Int]
  let taps: Int
  let weights: [Int]

  init(inSize: Int, outSize: Int) {
    // Pillow's box is float: in1 - in0 is the input size as a Float, and in0 is 0.
    let scale = Double(Float(inSize)) / Double(outSize)
    let filterScale = max(scale, 1)
    let support = 1.0 * filterScale  // the triangle's support is 1
    let reciprocal = 1.0 / filterScale  // Pillow multiplies by it rather than dividing
    let taps = Int(support.rounded(.up)) * 2 + 1
    let unit = Double(1 << ImageResampleAxis.precisionBits)
    var first = [Int](repeating: 0, count: outSize)
    var count = [Int](repeating: 0, count: outSize)
    var weights = [Int](repeating: 0, count: outSize * taps)
    var raw = [Double](repeating: 0, count: taps)
    for o in 0..<outSize {
      let center = (Double(o) + 0.5) * scale
      // Int(_:) truncates toward zero, like C's (int) cast.
      let low = max(Int(center - support + 0.5), 0)
      let high = min(Int(center + support + 0.5), inSize)
      let n = high - low
      var total = 0.0
      for k in 0..<n {
        let w = Self.triangle((Double(k + low) - center + 0.5) * reciprocal)
        raw[k] = w
        total += w
      }
      for k in 0..<n {
        let w = total != 0 ? raw[k] / total : raw[k]
        weights[o * taps + k] = Int(0.5 + w * unit)  // w ≥ 0: Pillow's rounding for positive weights
      }
      first[o] = low
      count[o] = n
    }
    self.first = first
    self.count = count
    self.taps = taps
    self.weights = weights
  }

  /// Pillow's `bilinear_filter`.
  static func triangle(_ x: Double) -> Double {
    let a = abs(x)
    return a < 1 ? 1 - a : 0
  }

  /// A fixed-point sum (started at one half) back to a byte: Pillow's `clip8`.
  static func clip8(_ sum: Int) -> UInt8 {
    UInt8(clamping: sum >> precisionBits)
  }
}
