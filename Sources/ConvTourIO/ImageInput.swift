import ConvTourEngine

/// Reading images and preparing them for VGG-16 as torchvision does:
/// `Image.open(path).convert("RGB")`, then `Resize(256)`, `CenterCrop(224)`, `ToTensor()` and
/// `Normalize(mean: (0.485, 0.456, 0.406), std: (0.229, 0.224, 0.225))`.
///
/// Every failure is a thrown `ImageError` naming the file; nothing traps or exits.
public enum ImageInput {
  /// The largest image accepted, in pixels, checked against the header before any pixel buffer is
  /// allocated (and against the resized image before resizing).
  /// The fuzz targets lower it (set once, before any decoding) so that their time goes to the
  /// decoders' logic rather than to filling 100 megapixels a tiny corrupt file declares.
  nonisolated(unsafe) public static var maxPixels = 100_000_000

  /// The largest file read, in bytes (a 100-megapixel 16-bit PPM is 600 MB).
  public static let maxFileBytes = 1 << 30

  /// Decodes PNG, JPEG or binary PPM (P6, maxval ≤ 255; 16-bit maxval ≤ 65535 scaled to 8 bits),
  /// chosen by the file's magic bytes, not its extension. The pixels are PIL's after
  /// `convert("RGB")`: alpha is dropped without compositing, gray is copied to R, G and B, and
  /// colour-space chunks (gAMA, cHRM, sRGB, iCCP) are ignored.
  public static func decode(path: String) throws -> RGBImage {
    let bytes = try ImageFile.bytes(path: path)
    switch try ImageFormat.sniff(bytes, file: path) {
    case .png: return try ImagePNG.decode(bytes, file: path)
    case .jpeg: return try ImageJPEG.decode(bytes, file: path)
    case .ppm: return try ImagePPM.decode(bytes, file: path)
    }
  }

  /// torchvision's `Resize(resize)`, `CenterCrop(crop)`, `ToTensor()` and `Normalize` with
  /// ImageNet's mean and standard deviation, on a PIL image: returns `[3, crop, crop]` Float32,
  /// channel-major like PyTorch (`values[(c * crop + i) * crop + j]` is channel `c`, row `i`,
  /// column `j`).
  public static func preprocess(_ image: RGBImage, resize: Int = 256, crop: Int = 224) throws -> Tensor32 {
    try ImagePreprocess.run(image, resize: resize, crop: crop, file: "(image in memory)")
  }

  /// `decode(path:)` then `preprocess`; errors name `path`. Other networks than VGG give their
  /// own normalisation (and one grey channel, for a grey network).
  public static func load(
    path: String, resize: Int = 256, crop: Int = 224, normalisation: InputNormalisation = .imageNet
  ) throws -> Tensor32 {
    try ImagePreprocess.run(
      decode(path: path), resize: resize, crop: crop, file: path, normalisation: normalisation)
  }

  /// The largest image decoded, in pixels, checked against the file's header before decoding:
  /// the networks take at most a few hundred pixels a side, and an image is decoded whole (as
  /// PIL does, so that the pixels match torchvision's), at about 3 bytes a pixel and several more
  /// while resizing. 25 megapixels admits a 6000×4000 camera photo in about 300 MB; a larger one
  /// is refused with its size, not decoded scaled (which would change the pixels PyTorch sees).
  public static let decodeBudget = 25_000_000

  /// Throws unless the header's `width × height` is between 1 and the decoding budget.
  static func checkHeaderSize(width: Int, height: Int, file: String) throws {
    try checkSize(width: width, height: height, file: file)
    let budget = min(decodeBudget, maxPixels)
    guard width * height <= budget else {
      let tenths = (width * height + 50_000) / 100_000
      let megapixels = "\(tenths / 10).\(tenths % 10)"
      throw ImageError(
        file: file,
        problem:
          "image is too large to read (\(width)×\(height), \(megapixels) megapixels; at most \(budget / 1_000_000) are read): the networks take a few hundred pixels a side, so shrink it first (e.g. to 1024 pixels across)"
      )
    }
  }

  /// Throws unless `width × height` is between 1 and `maxPixels`.
  static func checkSize(width: Int, height: Int, file: String) throws {
    guard width > 0, height > 0 else {
      throw ImageError(file: file, problem: "image has zero size (\(width)×\(height))")
    }
    let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
    guard !overflow, pixels <= maxPixels else {
      throw ImageError(
        file: file,
        problem: "image is too large (\(width)×\(height), more than \(maxPixels / 1_000_000) megapixels)")
    }
  }
}
