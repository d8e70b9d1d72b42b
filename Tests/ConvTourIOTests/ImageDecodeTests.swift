import Testing

@testable import ConvTourIO

/// Decoding gives Pillow's `Image.open(path).convert("RGB")` pixel for pixel: the hashes and first
/// pixels below were printed by `Fixtures/Images/make_image_fixtures.py` (Pillow 13.0).
@Suite("Image decoding: the pixels Pillow gives")
struct ImageDecodeTests {
  struct Expected: Sendable, CustomTestStringConvertible {
    var name: String
    var width: Int
    var height: Int
    var hash: UInt64
    var first: (UInt8, UInt8, UInt8)
    var testDescription: String { name }
  }

  static let expected: [Expected] = [
    .init(name: "rgb-40x30.png", width: 40, height: 30, hash: 0x92a7_ee51_a14e_9af1, first: (36, 1, 22)),
    // A PNG named .jpg: the magic bytes decide.
    .init(name: "png-named.jpg", width: 40, height: 30, hash: 0x92a7_ee51_a14e_9af1, first: (36, 1, 22)),
    .init(name: "gray-17x13.png", width: 17, height: 13, hash: 0xa9e7_a8ed_962a_4145, first: (36, 36, 36)),
    // Alpha dropped without compositing: the first six pixels have alpha 0.
    .init(name: "rgba-23x11.png", width: 23, height: 11, hash: 0x9599_fb2f_bf2f_2c4e, first: (36, 1, 22)),
    .init(name: "palette-19x14.png", width: 19, height: 14, hash: 0x943a_bc66_7d89_4799, first: (44, 29, 32)),
    .init(name: "tall-12x50.png", width: 12, height: 50, hash: 0xb089_4826_0562_fb8a, first: (242, 79, 155)),
    // gAMA 1.0 and cHRM, which PIL ignores and libpng would apply.
    .init(name: "gamma-12x10.png", width: 12, height: 10, hash: 0x7101_a843_2590_2f44, first: (36, 1, 22)),
    // 16-bit RGB: the high byte of each sample.
    .init(name: "rgb16-9x7.png", width: 9, height: 7, hash: 0x8182_42f3_dce4_6ed1, first: (47, 167, 60)),
    // 16-bit gray: PIL's I;16 → RGB clips at 255.
    .init(name: "gray16-9x7.png", width: 9, height: 7, hash: 0x649d_4a81_979b_4aa1, first: (76, 76, 76)),
    .init(name: "photo-40x30.jpg", width: 40, height: 30, hash: 0x79e5_d231_6ab1_109a, first: (18, 17, 12)),
    .init(
      name: "progressive-33x21.jpg", width: 33, height: 21, hash: 0x8f4d_42e1_446e_fd42, first: (25, 16, 9)),
    .init(name: "gray-24x16.jpg", width: 24, height: 16, hash: 0x8d1c_7cab_ff09_beb2, first: (2, 2, 2)),
    // A comment in the header and bytes after the pixels.
    .init(name: "rgb-10x6.ppm", width: 10, height: 6, hash: 0x5576_a5ce_286e_5d83, first: (36, 1, 22)),
    .init(
      name: "maxval100-7x5.ppm", width: 7, height: 5, hash: 0x6db7_842d_b359_487e, first: (133, 125, 163)),
    .init(
      name: "maxval65535-7x5.ppm", width: 7, height: 5, hash: 0x3eb0_92b7_3265_cdcf, first: (215, 29, 130)),
  ]

  @Test(arguments: expected)
  func decodesAsPillowDoes(_ case: Expected) throws {
    let image = try ImageInput.decode(path: ImageFixtures.path(`case`.name))
    #expect(image.width == `case`.width)
    #expect(image.height == `case`.height)
    #expect(image.pixels.count == `case`.width * `case`.height * 3)
    let first = image.pixel(x: 0, y: 0)
    #expect([first.0, first.1, first.2] == [`case`.first.0, `case`.first.1, `case`.first.2])
    #expect(ImageFixtures.fnv1a(image.pixels) == `case`.hash)
  }

  /// 16-bit RGBA comes premultiplied out of libpng and is divided back: exact where alpha is
  /// 65535 (the first four pixels), within one step elsewhere (alpha ≥ 32768 in this file).
  @Test func sixteenBitAlphaIsWithinOneOfPillow() throws {
    let image = try ImageInput.decode(path: ImageFixtures.path("rgba16-8x6.png"))
    let pillow = try ImageFixtures.bytes("rgba16-8x6.pil.rgb")
    #expect(image.width == 8 && image.height == 6)
    #expect(image.pixels.count == pillow.count)
    #expect(image.pixels.prefix(12) == pillow.prefix(12))
    let worst = zip(image.pixels, pillow).map { abs(Int($0) - Int($1)) }.max() ?? 0
    #expect(worst <= 1)
  }

  @Test func reduces16BitSamplesAsPillow() {
    // RGB: high byte. Gray without alpha: clipped. Alpha 0: nothing to recover.
    let rgb = ImagePNG.reduce16([0x1234, 0xFF00, 0x00FF], channels: 3, clipGray: false)
    #expect(rgb == [0x12, 0xFF, 0x00])
    let gray = ImagePNG.reduce16([254, 255, 256], channels: 3, clipGray: true)
    #expect(gray == [254, 255, 255])
    let opaque = ImagePNG.reduce16([0xABCD, 0x0100, 0xFFFF, 65535], channels: 4, clipGray: false)
    #expect(opaque == [0xAB, 0x01, 0xFF])
    let half = ImagePNG.reduce16([0x4000, 0x0000, 0x7FFF, 32768], channels: 4, clipGray: false)
    #expect(half == [0x80, 0x00, 0xFF])
    let clear = ImagePNG.reduce16([0, 0, 0, 0], channels: 4, clipGray: false)
    #expect(clear == [0, 0, 0])
  }

  @Test func dropsOnlyColourSpaceChunks() throws {
    let png = try ImageFixtures.bytes("gamma-12x10.png")
    let prepared = ImagePNGChunks(png)
    #expect(prepared.bitDepth == 8)
    // gAMA (4 data bytes) and cHRM (32) go, each with 12 bytes of length, type and CRC.
    #expect(prepared.bytes.count == png.count - (12 + 4) - (12 + 32))
    #expect(prepared.bytes.prefix(33) == png.prefix(33))  // signature and IHDR untouched
  }
}
