import Foundation
import Testing

@testable import ConvTourIO

/// The image fixtures in `Fixtures/Images/`, written once by `make_image_fixtures.py` there
/// (Pillow and NumPy), and what the tests need to read and compare them.
enum ImageFixtures {
  static let directory: String = {
    let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    return here.appendingPathComponent("Fixtures/Images").path
  }()

  static func path(_ name: String) -> String { directory + "/" + name }

  /// FNV-1a, 64-bit: the hash `make_image_fixtures.py` prints for pixels and tensors.
  static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    return hash
  }

  /// FNV-1a of Float32 values as little-endian bytes, as NumPy's `astype("<f4").tobytes()`.
  static func fnv1a(floats: [Float]) -> UInt64 {
    fnv1a(floats.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } })
  }

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
  }

  /// A `.f32` fixture: little-endian Float32 values, nothing else.
  static func floats(_ name: String) throws -> [Float] {
    let raw = try bytes(name)
    return stride(from: 0, to: raw.count, by: 4).map { i in
      Float(
        bitPattern: UInt32(raw[i]) | UInt32(raw[i + 1]) << 8 | UInt32(raw[i + 2]) << 16 | UInt32(raw[i + 3])
          << 24)
    }
  }
}

@Suite("Image fixtures")
struct ImageFixturesTests {
  @Test func theFixturesAreThere() throws {
    for name in ["rgb-40x30.png", "photo-40x30.jpg", "rgb-10x6.ppm", "rgb-40x30.r20c15.f32", "truncated.png"]
    {
      #expect(FileManager.default.fileExists(atPath: ImageFixtures.path(name)), "\(name)")
    }
  }

  @Test func fnv1aMatchesTheReference() {
    // FNV-1a test vectors: "" and "a".
    #expect(ImageFixtures.fnv1a([UInt8]()) == 0xCBF2_9CE4_8422_2325)
    #expect(ImageFixtures.fnv1a(Array("a".utf8)) == 0xAF63_DC4C_8601_EC8C)
  }
}
