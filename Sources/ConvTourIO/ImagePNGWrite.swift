import CPNG

/// Encodes 8-bit RGB pictures as PNG with libpng's simplified API (`png_image_write_to_memory`),
/// which reports errors in `png_image.message` rather than by `longjmp`. The bytes are returned, not
/// written: the command line decides where and how safely they go.
public enum PNGEncoder {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  public static func encode(_ picture: RGBImage) throws -> [UInt8] {
    guard picture.width > 0, picture.height > 0, picture.pixels.count == picture.width * picture.height * 3
    else {
      throw Failure(
        description: "a \(picture.width)×\(picture.height) RGB picture needs "
          + "\(picture.width * picture.height * 3) bytes, got \(picture.pixels.count)")
    }
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    image.width = UInt32(picture.width)
    image.height = UInt32(picture.height)
    image.format = UInt32(PNG_FORMAT_FLAG_COLOR)  // PNG_FORMAT_RGB: 3 bytes a pixel, 8 bits a sample
    defer { png_image_free(&image) }
    let stride = Int32(picture.width * 3)
    // First the size, then the bytes (libpng's two-call protocol for writing to memory).
    var size = 0
    let sized = picture.pixels.withUnsafeBytes {
      png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, stride, nil)
    }
    guard sized != 0, size > 0 else { throw failure(image) }
    var bytes = [UInt8](repeating: 0, count: size)
    let written = bytes.withUnsafeMutableBytes { out in
      picture.pixels.withUnsafeBytes {
        png_image_write_to_memory(&image, out.baseAddress, &size, 0, $0.baseAddress, stride, nil)
      }
    }
    guard written != 0 else { throw failure(image) }
    return Array(bytes.prefix(size))
  }

  private static func failure(_ image: png_image) -> Failure {
    var message = image.message
    let text = withUnsafeBytes(of: &message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    return Failure(description: "libpng could not encode the picture: \(text)")
  }
}
