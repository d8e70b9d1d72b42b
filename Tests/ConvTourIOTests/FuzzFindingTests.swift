import Foundation
import Testing

@testable import ConvTourIO

/// What the fuzz campaigns found, as plain tests (the inputs are in Fuzz/TARGET/regressions/).
@Suite("Fuzz findings")
struct FuzzFindingTests {
  static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fuzz")

  /// A 335-byte PNG whose tEXt chunk declares 1.8 GB: libpng allocated the declared length before
  /// finding the file too short (1.8 GB, 6 s). Now refused while walking the chunks.
  @Test("a chunk that declares more bytes than the file holds is refused before libpng allocates")
  func declaredChunkLength() throws {
    let path = Self.regressions.appendingPathComponent("png/regressions/oom-declared-chunk-length.png").path
    let error = #expect(throws: ImageError.self) { _ = try ImageInput.decode(path: path) }
    #expect(
      error?.problem
        == "corrupt PNG: chunk tEXt at byte 319 declares 1852007710 bytes of data, past the end of the file (335 bytes)"
    )
    // Bytes after IEND are not chunks: a valid image with trailing garbage still decodes.
    let valid = try ImageFixtures.bytes("rgb-40x30.png") + [0, 0x7F, 0xFF, 0xFF, 65, 66, 67, 68]
    let image = try ImagePNG.decode(valid, file: "trailing.png")
    #expect(image.width == 40 && image.height == 30)
  }
}
