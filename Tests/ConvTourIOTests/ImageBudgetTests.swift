import Foundation
import Testing

@testable import ConvTourIO

/// Images are refused by the size their header declares before any decoding (issue 22 §5), and a
/// truncated JPEG is called one.
@Suite("Image budget and truncated JPEGs")
struct ImageBudgetTests {
  /// Writes `bytes` to a temporary file and decodes it, expecting an error containing `phrase`.
  static func expectRefused(
    _ bytes: [UInt8], _ phrase: String, sourceLocation: SourceLocation = #_sourceLocation
  )
    throws
  {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("convtour-\(UUID().uuidString)")
      .path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    ImageErrorTests.expectFailure(path, phrase)
  }

  /// PNG's CRC-32 (bit by bit: a test needs no table).
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }

  static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
  }

  @Test("a PNG declaring 10000×10000 (100 megapixels) is refused by its header, with the budget")
  func hugePNG() throws {
    let header = Self.bigEndian(10000) + Self.bigEndian(10000) + [8, 2, 0, 0, 0]
    let png: [UInt8] =
      [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Self.chunk("IHDR", header)
      + Self.chunk("IDAT", [0x78, 0x9C, 0x63, 0, 0, 0, 1, 0, 1]) + Self.chunk("IEND", [])
    try Self.expectRefused(png, "too large to read (10000×10000, 100.0 megapixels; at most 25 are read)")
  }

  @Test("a JPEG whose frame header claims 10000×10000 is refused, not decoded to garbage")
  func hugeJPEG() throws {
    var jpeg = Array(try Data(contentsOf: URL(fileURLWithPath: ImageFixtures.path("photo-40x30.jpg"))))
    let sof = try #require(jpeg.indices.first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
    jpeg.replaceSubrange((sof + 5)..<(sof + 9), with: [0x27, 0x10, 0x27, 0x10])  // 10000, 10000
    try Self.expectRefused(jpeg, "too large to read (10000×10000")
  }

  @Test("a 6000×4000 header is within the budget (a camera photo): it fails later, on its data")
  func cameraSizeIsRead() throws {
    var jpeg = Array(try Data(contentsOf: URL(fileURLWithPath: ImageFixtures.path("photo-40x30.jpg"))))
    let sof = try #require(jpeg.indices.first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
    jpeg.replaceSubrange((sof + 5)..<(sof + 9), with: [0x0F, 0xA0, 0x17, 0x70])  // 4000, 6000
    do {
      _ = try ImageInput.decode(bytes: jpeg)
    } catch let error as ImageError {
      #expect(!error.problem.contains("too large"), "\(error)")
    }
  }

  @Test("FF D8 alone, or a JPEG cut before its frame header: a truncated JPEG, not an unknown format or 0×0")
  func truncatedJPEG() throws {
    try Self.expectRefused([0xFF, 0xD8], "truncated JPEG: the file (2 bytes) ends before its frame header")
    let jpeg = Array(try Data(contentsOf: URL(fileURLWithPath: ImageFixtures.path("photo-40x30.jpg"))))
    try Self.expectRefused(Array(jpeg.prefix(100)), "truncated JPEG: the file (100 bytes)")
  }
}

extension ImageInput {
  /// Decodes bytes held in memory (through a temporary file, as the CLI reads them).
  static func decode(bytes: [UInt8]) throws -> RGBImage {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("convtour-\(UUID().uuidString)")
      .path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try decode(path: path)
  }
}
