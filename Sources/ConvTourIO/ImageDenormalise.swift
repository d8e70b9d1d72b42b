import ConvTourEngine

extension RGBImage {
  /// A network input [M, 3, H, W] back as a picture: step 3 of `ImagePreprocess` undone,
  /// byte = round(255 · clip(x·std[c] + mean[c], 0, 1)), for example `example` (0-based).
  public init(denormalising x: Tensor32, example: Int = 0) {
    precondition(x.shape.count == 4 && x.shape[1] == 3 && example < x.shape[0], "an input [M, 3, H, W]")
    let (h, w) = (x.shape[2], x.shape[3])
    var pixels = [UInt8](repeating: 0, count: h * w * 3)
    let base = example * 3 * h * w
    for c in 0..<3 {
      for p in 0..<(h * w) {
        let v =
          x.values[base + c * h * w + p] * InputNormalisation.imageNet.std[c]
          + InputNormalisation.imageNet.mean[c]
        pixels[3 * p + c] = UInt8((min(1, max(0, v)) * 255).rounded())
      }
    }
    self.init(width: w, height: h, pixels: pixels)
  }
}
