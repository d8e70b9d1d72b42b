/// Pillow's `Image.resize((width, height), Image.BILINEAR)` on an 8-bit RGB image, bit for bit:
/// `ImagingResample` in Pillow's src/libImaging/Resample.c.
///
/// Two separable passes, horizontal first, each skipped when that side keeps its size. Each output
/// sample is `clip8(2^21 + Σ sample · weight)` with the fixed-point weights of
/// `ImageResampleAxis`, so the horizontal pass's result is rounded and clipped to a byte before
/// the vertical pass reads it.
enum ImageResample {
  static func bilinear(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
    var result = image
    if width != image.width {
      let axis = ImageResampleAxis(inSize: image.width, outSize: width)
      result = pass(result, axis: axis, outWidth: width, outHeight: image.height, horizontal: true)
    }
    if height != image.height {
      let axis = ImageResampleAxis(inSize: image.height, outSize: height)
      result = pass(result, axis: axis, outWidth: result.width, outHeight: height, horizontal: false)
    }
    return result
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
