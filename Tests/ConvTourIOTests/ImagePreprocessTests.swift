import Testing

@testable import ConvTourIO

/// Preprocessing equals torchvision's Resize / CenterCrop / ToTensor / Normalize on a PIL image, as
/// `Fixtures/Images/make_image_fixtures.py` replays it with Pillow 13.0 and NumPy in Float32.
@Suite("Image preprocessing: torchvision's VGG-16 transform")
struct ImagePreprocessTests {
  struct Resampled: Sendable, CustomTestStringConvertible {
    var name: String
    var width: Int
    var height: Int
    var hash: UInt64
    var testDescription: String { "\(name) → \(width)×\(height)" }
  }

  /// FNV-1a of Pillow's `convert("RGB").resize((width, height), Image.BILINEAR)`.
  static let resampled: [Resampled] = [
    .init(name: "rgb-40x30.png", width: 26, height: 20, hash: 0x4c4b_2fc3_4bc6_d358),
    .init(name: "rgb-40x30.png", width: 341, height: 256, hash: 0xfb0f_0c9c_87ab_a796),  // Resize(256)
    .init(name: "rgb-40x30.png", width: 10, height: 8, hash: 0x6ee7_a7c1_6383_33fe),
    .init(name: "rgb-40x30.png", width: 57, height: 13, hash: 0xb94e_418a_c432_1452),  // vertical first
    .init(name: "rgb-40x30.png", width: 40, height: 7, hash: 0xb098_f0d2_1d36_291b),  // vertical only
    .init(name: "rgb-40x30.png", width: 3, height: 30, hash: 0xbd98_f0df_9642_abbb),  // horizontal only
    .init(name: "tall-12x50.png", width: 8, height: 33, hash: 0x4406_5cb3_4663_43c7),  // vertical first
    .init(name: "tall-12x50.png", width: 256, height: 1066, hash: 0x696c_1b38_8574_0c55),
    .init(name: "tall-12x50.png", width: 11, height: 20, hash: 0xab26_e847_2e5d_1e47),  // vertical first
    .init(name: "gray-17x13.png", width: 31, height: 24, hash: 0x1598_1c3a_3651_c874),
    .init(name: "photo-40x30.jpg", width: 341, height: 256, hash: 0xf3b0_2c4c_4c8d_9f42),
  ]

  @Test(arguments: resampled)
  func resamplesAsPillow(_ case: Resampled) throws {
    let image = try ImageInput.decode(path: ImageFixtures.path(`case`.name))
    let resized = ImageResample.bilinear(image, width: `case`.width, height: `case`.height)
    #expect(resized.width == `case`.width && resized.height == `case`.height)
    #expect(ImageFixtures.fnv1a(resized.pixels) == `case`.hash)
  }

  @Test func passOrderFollowsPillow13() throws {
    let image = try ImageInput.decode(path: ImageFixtures.path("tall-12x50.png"))
    // 50 − 33 = 17 rows lost against 2 · (12 − 8) = 8 columns: Pillow 13 runs the vertical pass
    // first, and the rounding between passes makes the order visible.
    let pillow13 = ImageResample.bilinear(image, width: 8, height: 33)
    let pillow12 = ImageResample.bilinear(image, width: 8, height: 33, order: .horizontalFirst)
    #expect(ImageFixtures.fnv1a(pillow13.pixels) != ImageFixtures.fnv1a(pillow12.pixels))
    #expect(ImageFixtures.fnv1a(pillow13.pixels) == 0x4406_5cb3_4663_43c7)
  }

  struct Transformed: Sendable, CustomTestStringConvertible {
    var name: String
    var resize: Int
    var crop: Int
    var expected: String
    var testDescription: String { "\(name), Resize(\(resize)), CenterCrop(\(crop))" }
  }

  static let transformed: [Transformed] = [
    // 26×20, crop at left round(5.5) = 6, top round(2.5) = 2: ties to even.
    .init(name: "rgb-40x30.png", resize: 20, crop: 15, expected: "rgb-40x30.r20c15.f32"),
    .init(name: "rgb-40x30.png", resize: 20, crop: 16, expected: "rgb-40x30.r20c16.f32"),
    // Upscaling: 17×13 → 31×24.
    .init(name: "gray-17x13.png", resize: 24, crop: 20, expected: "gray-17x13.r24c20.f32"),
    // 10×8 is smaller than the crop: padded with zeros, 1 column and 2 rows before.
    .init(name: "rgb-40x30.png", resize: 8, crop: 12, expected: "rgb-40x30.r8c12.f32"),
    // 12×50 → 8×33, vertical pass first.
    .init(name: "tall-12x50.png", resize: 8, crop: 8, expected: "tall-12x50.r8c8.f32"),
  ]

  @Test(arguments: transformed)
  func matchesTorchvision(_ case: Transformed) throws {
    let tensor = try ImageInput.load(
      path: ImageFixtures.path(`case`.name), resize: `case`.resize, crop: `case`.crop)
    let expected = try ImageFixtures.floats(`case`.expected)
    #expect(tensor.shape == [3, `case`.crop, `case`.crop])
    #expect(tensor.values.count == expected.count)
    let worst = zip(tensor.values, expected).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst <= 1e-6)
  }

  /// The full VGG-16 transform, Resize(256) and CenterCrop(224): FNV-1a of NumPy's Float32 result
  /// (bit for bit), and four values of it, (channel, row, column, value).
  @Test(arguments: [
    (
      "photo-40x30.jpg", UInt64(0x13c3_c406_d067_2942),
      [(0, 0, 0, -1.004794955253601), (1, 111, 57, 0.4852942228317261), (2, 223, 223, 1.6639653444290161)]
    ),
    (
      "tall-12x50.png", UInt64(0xe7c7_7b8e_1788_1c45),
      [(0, 0, 0, -1.004794955253601), (1, 111, 57, 0.0476190522313118), (0, 100, 200, -0.7136741280555725)]
    ),
  ])
  func defaultTransformIsBitExact(_ name: String, hash: UInt64, samples: [(Int, Int, Int, Double)]) throws {
    let tensor = try ImageInput.load(path: ImageFixtures.path(name))
    #expect(tensor.shape == [3, 224, 224])
    for (c, i, j, value) in samples {
      #expect(abs(Double(tensor.values[(c * 224 + i) * 224 + j]) - value) <= 1e-6)
    }
    #expect(ImageFixtures.fnv1a(floats: tensor.values) == hash)
  }

  @Test func resizedSizeTruncatesTheLongSide() throws {
    func size(_ width: Int, _ height: Int, _ shorter: Int = 256) throws -> [Int] {
      let image = RGBImage(width: width, height: height, pixels: [])
      let (w, h) = try ImagePreprocess.resizedSize(image, shorter: shorter, file: "test")
      return [w, h]
    }
    #expect(try size(500, 375) == [341, 256])  // 256 · 500 / 375 = 341.33
    #expect(try size(375, 500) == [256, 341])
    #expect(try size(640, 480) == [341, 256])
    #expect(try size(300, 300) == [256, 256])
    #expect(try size(40, 30, 20) == [26, 20])
    #expect(try size(3, 1000) == [256, 85333])
  }

  @Test func cropStartRoundsHalfToEven() {
    #expect(ImagePreprocess.cropStart(341, 224) == 58)  // 58.5
    #expect(ImagePreprocess.cropStart(343, 224) == 60)  // 59.5
    #expect(ImagePreprocess.cropStart(256, 224) == 16)
    #expect(ImagePreprocess.cropStart(225, 224) == 0)  // 0.5
    #expect(ImagePreprocess.cropStart(227, 224) == 2)  // 1.5
    #expect(ImagePreprocess.cropStart(10, 12) == -1)  // padded: 1 before, 1 after
    #expect(ImagePreprocess.cropStart(9, 12) == -1)  // padded: 1 before, 2 after
  }

  @Test func normalizesLikePyTorch() throws {
    // One pixel, no resizing: (byte / 255 − mean) / std in Float32.
    let image = RGBImage(width: 1, height: 1, pixels: [0, 128, 255])
    let tensor = try ImageInput.preprocess(image, resize: 1, crop: 1)
    #expect(tensor.shape == [3, 1, 1])
    #expect(tensor.values == [(0 - 0.485) / 0.229, (Float(128) / 255 - 0.456) / 0.224, (1 - 0.406) / 0.225])
  }
}
