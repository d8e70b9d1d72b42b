/// The image formats `ImageInput.decode` reads, told apart by their first bytes:
/// PNG `89 50 4E 47 0D 0A 1A 0A`, JPEG `FF D8`, binary PPM `P6` and a whitespace byte.
/// Other netpbm kinds and a few common formats are named in the error; anything else is shown
/// by its first four bytes in hexadecimal.
enum ImageFormat {
  case png, jpeg, ppm

  static func sniff(_ bytes: [UInt8], file: String) throws -> ImageFormat {
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
    // FF D8 is JPEG's start of image; a file that stops there or soon after is a truncated JPEG.
    if bytes.starts(with: [0xFF, 0xD8]) { return .jpeg }
    if bytes.count >= 3, bytes[0] == UInt8(ascii: "P"), ImagePPM.isWhitespace(bytes[2]) {
      if bytes[1] == UInt8(ascii: "6") { return .ppm }
      if (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(bytes[1]) {
        throw unsupported("netpbm P\(Character(Unicode.Scalar(bytes[1])))", file: file)
      }
    }
    guard !bytes.isEmpty else { throw ImageError(file: file, problem: "empty file") }
    let known: [(name: String, magic: [UInt8])] = [
      ("GIF", Array("GIF8".utf8)), ("BMP", Array("BM".utf8)), ("TIFF", [0x49, 0x49, 0x2A, 0x00]),
      ("TIFF", [0x4D, 0x4D, 0x00, 0x2A]),
    ]
    if let format = known.first(where: { bytes.starts(with: $0.magic) }) {
      throw unsupported(format.name, file: file)
    }
    if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
      throw unsupported("WebP", file: file)
    }
    let first = bytes.prefix(4).map { byte in
      let hex = String(byte, radix: 16, uppercase: true)
      return hex.count == 1 ? "0" + hex : hex
    }
    throw ImageError(
      file: file,
      problem: "unknown image format (first bytes \(first.joined(separator: " "))): expected \(expected)")
  }

  private static let expected = "PNG, JPEG or binary PPM (P6)"

  private static func unsupported(_ format: String, file: String) -> ImageError {
    ImageError(file: file, problem: "\(format) is not supported: expected \(expected)")
  }
}
