/// ReLU close calls, recomputed in Double.
extension CloseCalls {
  /// Pre-ReLU outputs found within their bound of 0 (`nearZero`, offsets in z, emptied here),
  /// recomputed in Double from their input windows gathered from x — the values of their im2col
  /// columns, in the same order (c, l, m), zeros in the border — then ReLU. Each Double sum runs
  /// in order from b, tap by tap: where z cancels to 1e-8 the order shows in float32's last bit,
  /// and this is the Double value `CloseCallsTests` holds it to. (An output whose window repeats
  /// an earlier one then gets that one's value, `IdenticalWindows`: where it differs, both are
  /// beyond their bounds, so the sign is right either way.)
  ///
  /// Many outputs at a time, a block of channels of x at a time, four sums side by side
  /// (`exactValues`): each sum still adds its terms one after another, in the same order. (Four
  /// at a time from whole windows gathered tap by tap, VGG-16's 600–1,900 per layer at batch 8
  /// took 4.6–5.7 ms a layer on one thread; now 2.8–4.1.)
  func decideReLU(
    _ nearZero: inout [Int], x: UnsafePointer<Float>, z: UnsafeMutablePointer<Float>, W: UnsafePointer<Float>,
    b: [Float]
  ) {
    guard !nearZero.isEmpty else { return }
    let values = b.withUnsafeBufferPointer { b in
      exactValues(nearZero, order: .inOrder, x: x, W: W, b: b.baseAddress!)
    }
    for (n, o) in nearZero.enumerated() { z[o] = max(values[n], 0) }
    nearZero.removeAll(keepingCapacity: true)
  }
}
