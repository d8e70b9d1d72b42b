/// How much memory a VGG-16 run needs, estimated before anything is allocated.
public enum VGG16Memory {
  /// Bytes for a run at `batch`: parameters; with `backward` their gradients and every kept
  /// activation, else the two largest activations alive at once; the largest im2col buffers
  /// (col, and dcol when backward) for one example; and the input.
  public static func estimate(_ a: VGG16Architecture, batch: Int, backward: Bool) -> Int {
    let parameters = a.parameterCount * 4
    let perExampleKept = a.keptElements * 4
    let largestPair =
      zip(a.layers, a.layers.dropFirst()).map { (Shape.count($0.output) + Shape.count($1.output)) * 4 }.max()
      ?? 0
    let workspace =
      a.layers.filter { $0.kind == .convolution }.map {
        $0.input[0] * $0.kernel * $0.kernel * $0.output[1] * $0.output[2] * 4
      }
      .max() ?? 0
    let input = Shape.count(a.input) * 4 * batch
    if backward {
      return 2 * parameters + perExampleKept * batch + 2 * workspace + input
    }
    return parameters + largestPair * batch + workspace + input
  }

  /// The largest batch whose estimate fits in `available` bytes (0 when none does).
  public static func largestBatch(_ a: VGG16Architecture, available: Int, backward: Bool) -> Int {
    var low = 0
    var high = 1
    while estimate(a, batch: high, backward: backward) <= available, high < 1 << 20 {
      (low, high) = (high, high * 2)
    }
    while high - low > 1 {
      let mid = (low + high) / 2
      if estimate(a, batch: mid, backward: backward) <= available { low = mid } else { high = mid }
    }
    return low
  }
}
