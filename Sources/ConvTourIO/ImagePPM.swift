/// Decodes binary PPM (P6) as PIL does.
///
/// Layout: `P6`, then width, height and maxval as ASCII decimals, separated by whitespace and
/// `#` comments (to the end of the line), then exactly one whitespace byte, then the samples:
/// R, G, B per pixel, rows from the top, one byte each when maxval < 256, else two (big-endian).
/// Samples are scaled as PIL's PPM decoder does: kept when maxval is 255, otherwise
/// `min(255, round(value / maxval * 255))` in Double with ties to even. Bytes after the last
/// pixel (a further image) are ignored.
enum ImagePPM {
  static func decode(_ ppm: [UInt8], file: String) throws -> RGBImage {
    var header = ImagePPMHeader(ppm, file: file)
    let width = try header.number("width")
    let height = try header.number("height")
    let maxval = try header.number("maxval")
    guard (1...65535).contains(maxval) else {
      throw ImageError(file: file, problem: "bad PPM header: maxval \(maxval) is not between 1 and 65535")
    }
    guard ImagePPM.isWhitespace(ppm[header.at]) else {
      throw ImageError(file: file, problem: "bad PPM header: maxval must be followed by one whitespace byte")
    }
    try ImageInput.checkHeaderSize(width: width, height: height, file: file)
    let start = header.at + 1  // the single whitespace byte after maxval
    let sampleBytes = maxval < 256 ? 1 : 2
    let needed = width * height * 3 * sampleBytes
    let available = max(0, ppm.count - start)
    guard available >= needed else {
      throw ImageError(
        file: file, problem: "truncated PPM: needs \(needed) bytes of pixel data, has \(available)")
    }
    if maxval == 255 {
      return RGBImage(width: width, height: height, pixels: Array(ppm[start..<start + needed]))
    }
    let scale = (0...maxval).map { value in
      UInt8(min(255, (Double(value) / Double(maxval) * 255).rounded(.toNearestOrEven)))
    }
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for i in pixels.indices {
      let at = start + i * sampleBytes
      let value = sampleBytes == 1 ? Int(ppm[at]) : Int(ppm[at]) << 8 | Int(ppm[at + 1])
      pixels[i] = value <= maxval ? scale[value] : 255
    }
    return RGBImage(width: width, height: height, pixels: pixels)
  }

  /// Netpbm's whitespace: space, tab, line feed, vertical tab, form feed, carriage return.
  static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }
}

/// Reads the decimal numbers of a PPM header after the 2-byte magic; `at` is the byte that ended
/// the last number.
struct ImagePPMHeader {
  let bytes: [UInt8]
  let file: String
  var at = 2

  init(_ bytes: [UInt8], file: String) {
    self.bytes = bytes
    self.file = file
  }

  mutating func number(_ name: String) throws -> Int {
    while at < bytes.count, ImagePPM.isWhitespace(bytes[at]) || bytes[at] == UInt8(ascii: "#") {
      if bytes[at] == UInt8(ascii: "#") {
        while at < bytes.count, bytes[at] != 0x0A, bytes[at] != 0x0D { at += 1 }
      } else {
        at += 1
      }
    }
    var value = 0
    var digits = 0
    while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) {
      guard digits < 9 else { throw problem("\(name) has too many digits") }
      value = value * 10 + Int(bytes[at] - UInt8(ascii: "0"))
      digits += 1
      at += 1
    }
    guard at < bytes.count else { throw problem("file ends in the header, at the \(name)") }
    guard digits > 0, ImagePPM.isWhitespace(bytes[at]) || bytes[at] == UInt8(ascii: "#") else {
      throw problem("\(name) is not a number")
    }
    return value
  }

  private func problem(_ text: String) -> ImageError {
    ImageError(file: file, problem: "bad PPM header: \(text)")
  }
}
