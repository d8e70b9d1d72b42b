/// Pillow's `Image.resize((width, height), Image.BILINEAR)` on an 8-bit RGB image, bit for bit:
/// `ImagingResampleInner` in Pillow's src/libImaging/Resample.c.
///
/// Two separable passes, each skipped when that side keeps its size. Each output sample is
/// `clip8(2^21 + Σ sample · weight)` with the fixed-point weights of `ImageResampleAxis`, so the
/// first pass's result is rounded and clipped to a byte before the second pass reads it, and the
/// order of the passes shows in the last bit (see `PassOrder`).
enum ImageResample {
  /// Which pass runs first when both sides change size.
  enum PassOrder: Sendable {
    /// Pillow 13 and later: vertical first when the height shrinks by more than twice as many
    /// pixels as the width does (`inH - outH > 2 · (inW - outW)`), else horizontal first. Under
    /// `Resize(256)` that is only a portrait image more than twice as tall as it is wide.
    case pillow13
    /// Pillow 12 and earlier: always horizontal first.
    case horizontalFirst
  }

  static func bilinear(
    _ image: RGBImage, width: Int, height: Int, order: PassOrder = .pillow13
  ) -> RGBImage {
    let shrinkY = image.height - height
    let verticalFirst = order == .pillow13 && shrinkY > 0 && shrinkY > (image.width - width) * 2
    var result = image
    if verticalFirst { result = vertical(result, height: height) }
    if width != result.width {
      let axis = ImageResampleAxis(inSize: result.width, outSize: width)
      result = pass(result, axis: axis, outWidth: width, outHeight: result.height, horizontal: true)
    }
    if !verticalFirst { result = vertical(result, height: height) }
    return result
  }

  private static func vertical(_ image: RGBImage, height: Int) -> RGBImage {
    guard height != image.height else { return image }
    let axis = ImageResampleAxis(inSize: image.height, outSize: height)
    return pass(image, axis: axis, outWidth: image.width, outHeight: height, horizontal: false)
  }

  /// One pass along x (`horizontal`) or y: output pixel (x, y) sums the input pixels along that axis
  /// at `axis.first[o] ..< axis.first[o] + axis.count[o]`, where o is x or y.
  private static func pass(
    _ input: RGBImage, axis: ImageResampleAxis, outWidth: Int, outHeight: Int, horizontal: Bool
  ) -> RGBImage {
    let half = 1 << (ImageResampleAxis.precisionBits - 1)
    var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
    let inWidth = input.width
    input.pixels.withUnsafeBufferPointer { source in
      axis.weights.withUnsafeBufferPointer { weights in
        out.withUnsafeMutableBufferPointer { target in
          for y in 0..<outHeight {
            for x in 0..<outWidth {
              let o = horizontal ? x : y
              let first = axis.first[o]
              var sums = (half, half, half)
              for k in 0..<axis.count[o] {
                let w = weights[o * axis.taps + k]
                let p = horizontal ? (y * inWidth + first + k) * 3 : ((first + k) * inWidth + x) * 3
                sums.0 += Int(source[p]) * w
                sums.1 += Int(source[p + 1]) * w
                sums.2 += Int(source[p + 2]) * w
              }
              let t = (y * outWidth + x) * 3
              target[t] = ImageResampleAxis.clip8(sums.0)
              target[t + 1] = ImageResampleAxis.clip8(sums.1)
              target[t + 2] = ImageResampleAxis.clip8(sums.2)
            }
          }
        }
      }
    }
    return RGBImage(width: outWidth, height: outHeight, pixels: out)
  }
}
