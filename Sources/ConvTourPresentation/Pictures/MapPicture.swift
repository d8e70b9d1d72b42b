/// One channel of a feature map or of its gradient as a grid of values, to be drawn with a
/// `ColourScale`: shrunk by averaging blocks of pixels (never by skipping them), enlarged by
/// repeating each pixel.
public struct MapPicture: Equatable, Sendable {
  /// Rows × columns, row-major.
  public var height: Int, width: Int
  public var values: [Float]

  public init(height: Int, width: Int, values: [Float]) {
    precondition(values.count == height * width, "a \(height)×\(width) map needs \(height * width) values")
    (self.height, self.width, self.values) = (height, width, values)
  }

  /// Channel `channel` (0-based) of example `example` of t: [M, C, H, W], [C, H, W] or [H, W]; a
  /// vector [M, n] or [n] is drawn as one row.
  public init(_ values: [Float], shape: [Int], channel: Int = 0, example: Int = 0) {
    var shape = shape
    var offset = 0
    if shape.count == 4 {
      offset = example * shape[1] * shape[2] * shape[3]
      shape.removeFirst()
    }
    switch shape.count {
    case 3:
      let (h, w) = (shape[1], shape[2])
      let start = offset + channel * h * w
      self.init(height: h, width: w, values: Array(values[start..<(start + h * w)]))
    case 2:
      self.init(height: shape[0], width: shape[1], values: Array(values.prefix(shape[0] * shape[1])))
    default:
      self.init(height: 1, width: values.count, values: values)
    }
  }

  /// The picture shrunk to at most `height` × `width` pixels, keeping its shape: each new pixel is
  /// the mean of the block of old pixels it covers. Never enlarges.
  public func shrunk(toFit height: Int, _ width: Int) -> MapPicture {
    let factor = max(Double(self.height) / Double(max(1, height)), Double(self.width) / Double(max(1, width)))
    guard factor > 1 else { return self }
    let newHeight = max(1, Int((Double(self.height) / factor).rounded(.down)))
    let newWidth = max(1, Int((Double(self.width) / factor).rounded(.down)))
    var out = [Float](repeating: 0, count: newHeight * newWidth)
    for r in 0..<newHeight {
      // Block rows [r·H/h, (r+1)·H/h): every old row lands in exactly one new row.
      let rows = (r * self.height / newHeight)..<((r + 1) * self.height / newHeight)
      for c in 0..<newWidth {
        let columns = (c * self.width / newWidth)..<((c + 1) * self.width / newWidth)
        var sum: Double = 0
        for i in rows { for j in columns { sum += Double(values[i * self.width + j]) } }
        out[r * newWidth + c] = Float(sum / Double(rows.count * columns.count))
      }
    }
    return MapPicture(height: newHeight, width: newWidth, values: out)
  }

  /// The picture with every pixel repeated `factor` × `factor` times.
  public func enlarged(by factor: Int) -> MapPicture {
    guard factor > 1 else { return self }
    var out = [Float](repeating: 0, count: height * width * factor * factor)
    let newWidth = width * factor
    for i in 0..<(height * factor) {
      for j in 0..<newWidth { out[i * newWidth + j] = values[(i / factor) * width + j / factor] }
    }
    return MapPicture(height: height * factor, width: newWidth, values: out)
  }

  /// 8-bit RGB pixels, row-major, in `scale` over the picture's own range (see `ColourScale.range`),
  /// and that range, for the legend.
  public func rgb(_ scale: ColourScale) -> (pixels: [UInt8], low: Float, high: Float) {
    let (low, high) = scale.range(of: values)
    var pixels = [UInt8](repeating: 0, count: values.count * 3)
    for (p, v) in values.enumerated() {
      let c = scale.colour(v, low: low, high: high)
      (pixels[3 * p], pixels[3 * p + 1], pixels[3 * p + 2]) = (c.red, c.green, c.blue)
    }
    return (pixels, low, high)
  }
}
