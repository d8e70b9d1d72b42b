import ConvTourEngine

extension RGBImage {
  /// A network input [M, C, H, W] (C = 3, or 1 for a grey network) back as a picture: step 3 of
  /// `ImagePreprocess` undone, byte = round(255 · clip(x·std[c] + mean[c], 0, 1)), for example
  /// `example` (0-based); a grey channel fills R, G and B.
  public init(denormalising x: Tensor32, example: Int = 0, normalisation: InputNormalisation = .imageNet) {
    precondition(
      x.shape.count == 4 && (x.shape[1] == 3 || x.shape[1] == 1) && example < x.shape[0],
      "an input [M, C, H, W]")
    let (channels, h, w) = (x.shape[1], x.shape[2], x.shape[3])
    var pixels = [UInt8](repeating: 0, count: h * w * 3)
    let base = example * channels * h * w
    for c in 0..<3 {
      let source = min(c, channels - 1)
      let (std, mean) = (
        normalisation.std[source % normalisation.std.count],
        normalisation.mean[source % normalisation.mean.count]
      )
      for p in 0..<(h * w) {
        let v = x.values[base + source * h * w + p] * std + mean
        pixels[3 * p + c] = UInt8((min(1, max(0, v)) * 255).rounded())
      }
    }
    self.init(width: w, height: h, pixels: pixels)
  }
}
