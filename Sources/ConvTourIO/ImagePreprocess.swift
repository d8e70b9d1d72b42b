import ConvTourEngine

/// torchvision's VGG-16 evaluation transform on a PIL RGB image, step by step:
/// 1. `Resize(resize)`: the shorter side becomes `resize`, the longer `int(resize * long / short)`
///    (truncated), resampled by Pillow's bilinear filter (`ImageResample`).
/// 2. `CenterCrop(crop)`: top = `int(round((h - crop) / 2.0))`, left likewise (Python's round: ties
///    to even); a side shorter than `crop` is first padded with zeros, `(crop - h) // 2` before.
/// 3. `ToTensor()` and `Normalize`: `(Float(byte) / 255 - mean[c]) / std[c]` in Float32, as PyTorch
///    computes them element by element.
/// The result is `[3, crop, crop]`: `values[(c * crop + i) * crop + j]` is channel c, row i, column j.
enum ImagePreprocess {
  static func run(
    _ image: RGBImage, resize: Int, crop: Int, file: String, normalisation: InputNormalisation = .imageNet
  ) throws -> Tensor32 {
    guard resize > 0, crop > 0 else {
      throw ImageError(file: file, problem: "resize (\(resize)) and crop (\(crop)) must be positive")
    }
    try ImageInput.checkSize(width: image.width, height: image.height, file: file)
    let needed = image.width * image.height * 3
    guard image.pixels.count == needed else {
      let size = "\(image.width)×\(image.height)"
      throw ImageError(
        file: file, problem: "\(size) RGB image needs \(needed) bytes, has \(image.pixels.count)")
    }
    let (width, height) = try resizedSize(image, shorter: resize, file: file)
    try ImageInput.checkSize(width: width, height: height, file: file)
    try ImageInput.checkSize(width: crop, height: crop, file: file)
    let source = normalisation.grey ? grey(image) : image
    let resized = ImageResample.bilinear(source, width: width, height: height)
    let rgb = try normalized(
      resized, top: cropStart(height, crop), left: cropStart(width, crop), crop: crop, normalisation)
    guard normalisation.grey else { return rgb }
    return try Tensor32(shape: [1, crop, crop], values: Array(rgb.values[0..<(crop * crop)]))
  }

  /// PIL's `convert("L")`: L = (19595·R + 38470·G + 7471·B + 2¹⁵) >> 16, kept in all three channels
  /// (so resizing it is resizing the grey image).
  static func grey(_ image: RGBImage) -> RGBImage {
    var pixels = image.pixels
    for p in stride(from: 0, to: pixels.count, by: 3) {
      let l = (19595 * Int(pixels[p]) + 38470 * Int(pixels[p + 1]) + 7471 * Int(pixels[p + 2]) + 0x8000) >> 16
      (pixels[p], pixels[p + 1], pixels[p + 2]) = (UInt8(l), UInt8(l), UInt8(l))
    }
    return RGBImage(width: image.width, height: image.height, pixels: pixels)
  }

  /// torchvision's `_compute_resized_output_size` for an int size. `resize * long / short`
  /// truncated is the integer quotient: a Double quotient of integers below 2^52 never rounds up
  /// across an integer.
  static func resizedSize(_ image: RGBImage, shorter: Int, file: String) throws -> (width: Int, height: Int) {
    let (short, long) =
      image.width <= image.height ? (image.width, image.height) : (image.height, image.width)
    let (product, overflow) = shorter.multipliedReportingOverflow(by: long)
    guard !overflow else {
      throw ImageError(file: file, problem: "resize \(shorter) makes the image too large")
    }
    let newLong = product / short
    return image.width <= image.height ? (shorter, newLong) : (newLong, shorter)
  }

  /// Where the crop starts along a side of `size`: negative when the side is padded.
  static func cropStart(_ size: Int, _ crop: Int) -> Int {
    if crop > size { return -((crop - size) / 2) }
    return Int((Double(size - crop) / 2).rounded(.toNearestOrEven))
  }

  /// The crop window at (top, left), with zeros outside the image, as ToTensor and Normalize make it.
  static func normalized(
    _ image: RGBImage, top: Int, left: Int, crop: Int, _ normalisation: InputNormalisation = .imageNet
  ) throws -> Tensor32 {
    let (mean, std) = (normalisation.mean, normalisation.std)
    var values = [Float](repeating: 0, count: 3 * crop * crop)
    for c in 0..<3 {
      for i in 0..<crop {
        for j in 0..<crop {
          let (y, x) = (top + i, left + j)
          let inside = (0..<image.height).contains(y) && (0..<image.width).contains(x)
          let byte = inside ? image.pixels[(y * image.width + x) * 3 + c] : 0
          values[(c * crop + i) * crop + j] = (Float(byte) / 255 - mean[c % mean.count]) / std[c % std.count]
        }
      }
    }
    return try Tensor32(shape: [3, crop, crop], values: values)
  }
}
