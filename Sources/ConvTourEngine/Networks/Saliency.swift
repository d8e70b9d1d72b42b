/// The saliency map of an input (Simonyan, Vedaldi and Zisserman, 2013): how strongly the loss
/// reacts to each pixel, max over the colour channels of |∂J/∂x|.
public enum Saliency {
  /// inputGradient: ∂J/∂x [M, C, H, W]; returns [H, W] for example `example` (0-based), where
  /// saliency(i, j) = max over c of |∂J/∂x[example, c, i, j]|.
  public static func map(_ inputGradient: Tensor32, example: Int = 0) throws -> Tensor32 {
    let shape = inputGradient.shape
    guard shape.count == 4, (0..<shape[0]).contains(example) else {
      throw EngineError.shapeMismatch(
        op: "saliency", shapes: [shape], expected: "∂J/∂x [M, C, H, W] with example \(example + 1) in it")
    }
    let (c, h, w) = (shape[1], shape[2], shape[3])
    var s = [Float](repeating: 0, count: h * w)
    let base = example * c * h * w
    for channel in 0..<c {
      for p in 0..<(h * w) {
        s[p] = max(s[p], abs(inputGradient.values[base + channel * h * w + p]))
      }
    }
    return try Tensor32(shape: [h, w], values: s)
  }
}
