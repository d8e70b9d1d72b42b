import ConvTourEngine
import Testing

@testable import ConvTourIO

@Suite("PNG writing")
struct ImagePNGWriteTests {
  @Test("an encoded picture decodes to the same pixels")
  func roundTrip() throws {
    var pixels: [UInt8] = []
    for i in 0..<(5 * 3) { pixels += [UInt8(i * 17 % 256), UInt8(i * 3), UInt8(255 - i)] }
    let picture = RGBImage(width: 5, height: 3, pixels: pixels)
    let png = try PNGEncoder.encode(picture)
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    #expect(try ImagePNG.decode(png, file: "memory") == picture)
  }

  @Test("pixels that do not fit the size are an error, not a crash")
  func wrongSize() {
    #expect(throws: PNGEncoder.Failure.self) {
      try PNGEncoder.encode(RGBImage(width: 4, height: 4, pixels: [1, 2, 3]))
    }
  }

  @Test("an input undone back to bytes: what preprocessing made, within a step of rounding")
  func denormalise() throws {
    let picture = RGBImage(
      width: 2, height: 2, pixels: [0, 10, 20, 100, 110, 120, 200, 210, 220, 255, 128, 1])
    let x = try ImagePreprocess.run(picture, resize: 2, crop: 2, file: "memory")
    let back = RGBImage(denormalising: try x.reshaped([1, 3, 2, 2]))
    #expect(back == picture)
  }
}
