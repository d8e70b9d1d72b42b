import CPNG

/// Decodes PNG with libpng's simplified API (`png_image`), which reports errors in
/// `png_image.message` rather than by `longjmp`.
///
/// 8-bit and lower depths, palette and gray included, are read as 8-bit RGBA (never composited) and
/// the alpha dropped. 16-bit images are read as 16-bit linear RGB, which for a PNG without gAMA is
/// the file's samples unchanged (see `ImagePNGChunks`), and reduced as PIL reduces them:
/// - RGB and RGBA: the high byte of each sample (PIL's `RGB;16B` raw mode);
/// - gray with alpha: the high byte of the gray sample (PIL's `LA;16B`);
/// - gray without alpha: the sample clipped to 255 (PIL opens it as `I;16`, whose `convert("RGB")`
///   clips rather than scales, so most 16-bit gray images come out nearly white in PIL too).
/// With an alpha channel libpng's 16-bit output is premultiplied; the samples are recovered by
/// dividing by alpha, exactly where alpha is 65535 and to within about 65535 / (2·alpha) elsewhere,
/// and are 0 where alpha is 0 — the one case where the result may differ from PIL's.
enum ImagePNG {
  static func decode(_ png: [UInt8], file: String) throws -> RGBImage {
    let prepared = ImagePNGChunks(png)
    if let problem = prepared.problem { throw ImageError(file: file, problem: "corrupt PNG: \(problem)") }
    return try prepared.bytes.withUnsafeBytes { memory in
      var image = png_image()
      image.version = UInt32(PNG_IMAGE_VERSION)
      // Frees whatever libpng still holds; a no-op once a failed or finished read has freed it.
      defer { png_image_free(&image) }
      guard png_image_begin_read_from_memory(&image, memory.baseAddress, memory.count) != 0 else {
        throw failure(image, file: file)
      }
      let width = Int(image.width)
      let height = Int(image.height)
      try ImageInput.checkHeaderSize(width: width, height: height, file: file)
      let hasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
      let isColor = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
      if prepared.bitDepth == 16 {
        image.format = linearRGB | (hasAlpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
        let channels = hasAlpha ? 4 : 3
        var samples = [UInt16](repeating: 0, count: width * height * channels)
        let done = samples.withUnsafeMutableBytes {
          png_image_finish_read(&image, nil, $0.baseAddress, 0, nil)
        }
        guard done != 0 else { throw failure(image, file: file) }
        let pixels = reduce16(samples, channels: channels, clipGray: !isColor && !hasAlpha)
        return RGBImage(width: width, height: height, pixels: pixels)
      }
      image.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)  // PNG_FORMAT_RGBA
      var rgba = [UInt8](repeating: 0, count: width * height * 4)
      let done = rgba.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
      guard done != 0 else { throw failure(image, file: file) }
      var pixels = [UInt8](repeating: 0, count: width * height * 3)
      for p in 0..<width * height {
        pixels[p * 3] = rgba[p * 4]
        pixels[p * 3 + 1] = rgba[p * 4 + 1]
        pixels[p * 3 + 2] = rgba[p * 4 + 2]
      }
      return RGBImage(width: width, height: height, pixels: pixels)
    }
  }

  /// PNG_FORMAT_LINEAR_RGB (png.h's composite format macros do not reach Swift).
  private static let linearRGB = UInt32(PNG_FORMAT_FLAG_LINEAR | PNG_FORMAT_FLAG_COLOR)

  /// 16-bit linear RGB or premultiplied RGBA (`channels` 3 or 4) to PIL's 8-bit RGB.
  static func reduce16(_ samples: [UInt16], channels: Int, clipGray: Bool) -> [UInt8] {
    let count = samples.count / channels
    var pixels = [UInt8](repeating: 0, count: count * 3)
    for p in 0..<count {
      let alpha = channels == 4 ? Int(samples[p * channels + 3]) : 65535
      for c in 0..<3 {
        var value = Int(samples[p * channels + c])
        if alpha == 0 {
          value = 0
        } else if alpha < 65535 {
          value = min(65535, (value * 65535 + alpha / 2) / alpha)
        }
        pixels[p * 3 + c] = UInt8(clipGray ? min(value, 255) : value >> 8)
      }
    }
    return pixels
  }

  /// libpng's message from a failed call, e.g. "PNG: Not enough image data".
  private static func failure(_ image: png_image, file: String) -> ImageError {
    var message = image.message
    let text = withUnsafeBytes(of: &message) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    return ImageError(file: file, problem: "corrupt PNG: \(text.isEmpty ? "libpng failed" : text)")
  }
}
