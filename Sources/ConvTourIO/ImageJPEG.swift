import CJPEG

/// Decodes JPEG with TurboJPEG, which reports errors by return value (libjpeg's own handler would
/// exit). Decoding is libjpeg's default, as in PIL: the accurate integer IDCT and fancy chroma
/// upsampling; gray comes out with R = G = B. CMYK and YCCK files are refused.
///
/// libjpeg's warnings leave a complete image and PIL accepts it (e.g. "Corrupt JPEG data:
/// 2 extraneous bytes before marker"), so they are accepted too, except "Premature end of JPEG
/// file": a truncated file, which PIL refuses ("image file is truncated").
enum ImageJPEG {
  static func decode(_ jpeg: [UInt8], file: String) throws -> RGBImage {
    guard let handle = tjInitDecompress() else {
      throw ImageError(file: file, problem: "cannot start the JPEG decoder")
    }
    defer { tjDestroy(handle) }
    return try jpeg.withUnsafeBufferPointer { source in
      var width: Int32 = 0
      var height: Int32 = 0
      var subsampling: Int32 = 0
      var colorspace: Int32 = 0
      let size = UInt(source.count)
      guard
        tjDecompressHeader3(handle, source.baseAddress, size, &width, &height, &subsampling, &colorspace)
          == 0
      else {
        throw failure(handle, file: file)
      }
      // A file that ends before its frame header (SOF) has no size yet: TurboJPEG answers 0×0.
      guard width > 0, height > 0 else {
        throw ImageError(
          file: file,
          problem:
            "truncated JPEG: the file (\(source.count) bytes) ends before its frame header gives the image's size"
        )
      }
      if colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue) {
        throw ImageError(file: file, problem: "CMYK JPEG is not supported (convert it to RGB first)")
      }
      try ImageInput.checkHeaderSize(width: Int(width), height: Int(height), file: file)
      var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * 3)
      let result = pixels.withUnsafeMutableBufferPointer { target in
        tjDecompress2(
          handle, source.baseAddress, size, target.baseAddress, width, 0, height,
          Int32(TJPF_RGB.rawValue), TJFLAG_ACCURATEDCT)
      }
      if result != 0 {
        let warning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
        let message = String(cString: tjGetErrorStr2(handle))
        if !warning || message.hasPrefix("Premature end of JPEG file") {
          throw failure(handle, file: file)
        }
      }
      return RGBImage(width: Int(width), height: Int(height), pixels: pixels)
    }
  }

  private static func failure(_ handle: tjhandle, file: String) -> ImageError {
    ImageError(file: file, problem: "corrupt JPEG: \(String(cString: tjGetErrorStr2(handle)))")
  }
}
