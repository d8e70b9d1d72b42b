import Testing

@testable import ConvTourIO

/// Every failure is a thrown `ImageError` whose description is one line, `FILE: PROBLEM`.
@Suite("Image errors: one line naming the file and the problem")
struct ImageErrorTests {
  /// Decodes `path`, expecting an `ImageError` for that file whose problem contains `phrase`.
  static func expectFailure(_ path: String, _ phrase: String) {
    do {
      let image = try ImageInput.decode(path: path)
      Issue.record("\(path) decoded as \(image.width)×\(image.height)")
    } catch let error as ImageError {
      #expect(error.file == path)
      #expect(error.problem.contains(phrase), "\(error)")
      #expect(error.description == "\(path): \(error.problem)")
      #expect(!error.description.contains("\n"))
    } catch {
      Issue.record("not an ImageError: \(error)")
    }
  }

  @Test(arguments: [
    ("truncated.png", "corrupt PNG"),
    ("bad-crc.png", "CRC error"),
    ("corrupt-data.png", "corrupt PNG: IDAT"),
    ("zero-size.png", "corrupt PNG: Invalid IHDR data"),
    ("huge.png", "too large (20000×10000, more than 100 megapixels)"),
    ("truncated.jpg", "corrupt JPEG: Premature end of JPEG file"),
    ("corrupt.jpg", "corrupt JPEG"),
    ("huge.jpg", "too large (20000×10000"),
    ("cmyk-8x8.jpg", "CMYK JPEG is not supported"),
    ("truncated.ppm", "truncated PPM: needs 180 bytes of pixel data, has 100"),
    ("zero-size.ppm", "zero size (0×6)"),
    ("huge.ppm", "too large (20000×10000"),
    ("bad-header.ppm", "bad PPM header: width is not a number"),
    ("ascii.ppm", "netpbm P3 is not supported: expected PNG, JPEG or binary PPM (P6)"),
    ("unknown.gif", "GIF is not supported"),
    ("empty.png", "empty file"),
  ])
  func brokenFilesAreRefused(_ name: String, _ phrase: String) {
    Self.expectFailure(ImageFixtures.path(name), phrase)
  }

  @Test func unknownBytesAreShownInHexadecimal() throws {
    let error = #expect(throws: ImageError.self) {
      try ImageFormat.sniff([0x00, 0x01, 0xAB, 0x7F, 0x33], file: "x.bin")
    }
    #expect(
      error?.description
        == "x.bin: unknown image format (first bytes 00 01 AB 7F): expected PNG, JPEG or binary PPM (P6)")
    #expect(throws: ImageError.self) { try ImageFormat.sniff(Array("P6".utf8), file: "short.ppm") }
    #expect(throws: ImageError.self) {
      try ImageFormat.sniff(Array("RIFF\0\0\0\0WEBPVP8 ".utf8), file: "a.webp")
    }
  }

  @Test func missingFile() {
    Self.expectFailure(ImageFixtures.path("no-such-image.png"), "cannot read: no such file")
  }

  @Test func directory() {
    Self.expectFailure(ImageFixtures.directory, "is a directory")
  }

  @Test func loadNamesTheFile() {
    let path = ImageFixtures.path("tall-12x50.png")
    // Decodes, then fails in preprocessing: the error still names the file.
    let error = #expect(throws: ImageError.self) { try ImageInput.load(path: path, resize: 256, crop: 0) }
    #expect(error?.file == path)
  }

  @Test func badPreprocessArguments() throws {
    let image = RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 9, count: 12))
    for (resize, crop) in [(0, 1), (1, 0), (-5, 3)] {
      #expect(throws: ImageError.self) { try ImageInput.preprocess(image, resize: resize, crop: crop) }
    }
    let short = RGBImage(width: 2, height: 2, pixels: [1, 2, 3])
    let error = #expect(throws: ImageError.self) { try ImageInput.preprocess(short) }
    #expect(error?.description == "(image in memory): 2×2 RGB image needs 12 bytes, has 3")
    let empty = RGBImage(width: 0, height: 3, pixels: [])
    #expect(throws: ImageError.self) { try ImageInput.preprocess(empty) }
  }

  @Test func resizingTooLargeIsRefusedBeforeAllocating() {
    // 1×2000 → 256×512000: 131 megapixels.
    let sliver = RGBImage(width: 1, height: 2000, pixels: [UInt8](repeating: 0, count: 6000))
    let error = #expect(throws: ImageError.self) { try ImageInput.preprocess(sliver) }
    #expect(error?.problem.contains("too large (256×512000") == true)
    let hugeCrop = RGBImage(width: 1, height: 1, pixels: [0, 0, 0])
    #expect(throws: ImageError.self) { try ImageInput.preprocess(hugeCrop, resize: 1, crop: 20000) }
  }

  @Test func descriptionIsOneLine() {
    let error = ImageError(file: "a.png", problem: "first\nsecond")
    #expect(error.description == "a.png: first second")
  }
}
