import ConvTourEngine

/// Preparing a split for a network whose input is `[C, H, W]`, as a torchvision pipeline would:
///
/// 1. channels, by PIL's rules: grey to RGB copies the grey value to R, G and B; RGB to grey is
///    `L = (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16` (`convert("L")`);
/// 2. size: Pillow's bilinear `resize((W, H))` (as `ImageResample`, bit for bit) when the image's
///    size differs, no crop;
/// 3. `ToTensor()`: byte / 255 as float32;
/// 4. `Normalize(mean, std)`: `(x − mean[c]) / std[c]`.
///
/// Float32 images (a `.npy` pair) are already preprocessed: they are used as they are, and must
/// be of the input's shape exactly.
extension Dataset {
  /// `split`'s images as one float32 tensor `[N, C, H, W]`.
  public func prepared(
    _ split: DatasetSplit, for input: [Int], normalisation: InputNormalisation
  ) throws -> Tensor32 {
    guard input.count == 3, [1, 3].contains(input[0]), input[1] > 0, input[2] > 0 else {
      throw DatasetError(
        file: source, problem: "a network input of \(input): expected [C, H, W] with C = 1 or 3")
    }
    let (channels, height, width) = (input[0], input[1], input[2])
    let size = channels * height * width
    guard let total = DatasetSize.product([split.count, size]) else {
      throw DatasetError(file: source, problem: "\(split.count) images of \(input) are too many to count")
    }
    switch split.images {
    case .floats(let tensor):
      guard Array(tensor.shape.dropFirst()) == input else {
        throw DatasetError(
          file: source,
          problem: "images of \(Array(tensor.shape.dropFirst())) for a network whose input is \(input): "
            + "a .npy pair is used as it is, so its images must be of the input's size")
      }
      return tensor
    case .bytes(let c, let h, let w, let pixels):
      var values = [Float](repeating: 0, count: total)
      let imageSize = c * h * w
      for n in 0..<split.count {
        let image = Array(pixels[(n * imageSize)..<((n + 1) * imageSize)])
        let bytes = Self.converted(planar: image, channels: c, height: h, width: w, to: input)
        Self.normalise(bytes, into: &values, at: n * size, channels: channels, normalisation)
      }
      return try Tensor32(shape: [split.count] + input, values: values)
    case .pictures(let pictures):
      var values = [Float](repeating: 0, count: total)
      for (n, picture) in pictures.enumerated() {
        let bytes = Self.converted(picture, to: input)
        Self.normalise(bytes, into: &values, at: n * size, channels: channels, normalisation)
      }
      return try Tensor32(shape: [split.count] + input, values: values)
    }
  }

  /// PIL's `convert("L")` of one RGB pixel.
  public static func grey(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
    let red: Int = 19595 * Int(r)
    let green: Int = 38470 * Int(g)
    let blue: Int = 7471 * Int(b)
    return UInt8((red + green + blue + 32768) >> 16)
  }

  /// A channels-first image of `channels` (1 or 3) as `input`'s channels and size, channels-first.
  static func converted(planar: [UInt8], channels: Int, height: Int, width: Int, to input: [Int]) -> [UInt8] {
    let plane = height * width
    if channels == input[0], (height, width) == (input[1], input[2]) { return planar }
    if channels == 1 {
      // Grey: resize one plane (the resampler is the same on each channel), then copy if RGB.
      let grey = resized(plane: planar, height: height, width: width, to: input)
      return input[0] == 1 ? grey : grey + grey + grey
    }
    var rgb = [UInt8](repeating: 0, count: plane * 3)
    for i in 0..<plane {
      for c in 0..<3 { rgb[i * 3 + c] = planar[c * plane + i] }
    }
    return converted(RGBImage(width: width, height: height, pixels: rgb), to: input)
  }

  /// An RGB picture as `input`'s channels and size, channels-first: grey first, then resized.
  static func converted(_ picture: RGBImage, to input: [Int]) -> [UInt8] {
    let pixels = picture.width * picture.height
    if input[0] == 1 {
      var plane = [UInt8](repeating: 0, count: pixels)
      for i in 0..<pixels {
        plane[i] = grey(picture.pixels[i * 3], picture.pixels[i * 3 + 1], picture.pixels[i * 3 + 2])
      }
      return resized(plane: plane, height: picture.height, width: picture.width, to: input)
    }
    let image =
      (picture.width, picture.height) == (input[2], input[1])
      ? picture : ImageResample.bilinear(picture, width: input[2], height: input[1])
    let out = input[1] * input[2]
    var planar = [UInt8](repeating: 0, count: out * 3)
    for i in 0..<out {
      for c in 0..<3 { planar[c * out + i] = image.pixels[i * 3 + c] }
    }
    return planar
  }

  /// One grey plane resized to `input`'s height and width (through the RGB resampler, whose
  /// channels are independent).
  static func resized(plane: [UInt8], height: Int, width: Int, to input: [Int]) -> [UInt8] {
    guard (height, width) != (input[1], input[2]) else { return plane }
    var rgb = [UInt8](repeating: 0, count: plane.count * 3)
    for i in 0..<plane.count { rgb[i * 3] = plane[i] }
    let image = ImageResample.bilinear(
      RGBImage(width: width, height: height, pixels: rgb), width: input[2], height: input[1])
    return (0..<(input[1] * input[2])).map { image.pixels[$0 * 3] }
  }

  /// ToTensor and Normalize of one channels-first image into `values` from `offset`.
  static func normalise(
    _ bytes: [UInt8], into values: inout [Float], at offset: Int, channels: Int,
    _ normalisation: InputNormalisation
  ) {
    let plane = bytes.count / channels
    let (mean, std) = (normalisation.mean, normalisation.std)
    for c in 0..<channels {
      let (m, s) = (mean[c % mean.count], std[c % std.count])
      for i in 0..<plane {
        values[offset + c * plane + i] = (Float(bytes[c * plane + i]) / 255 - m) / s
      }
    }
  }
}
