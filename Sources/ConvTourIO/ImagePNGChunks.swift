/// Rewrites a PNG byte stream so that libpng decodes the samples as PIL does, untouched.
///
/// A PNG is an 8-byte signature, then chunks: length (4 bytes, big-endian), type (4 ASCII bytes),
/// data (`length` bytes), CRC (4 bytes over type and data). IHDR comes first; its data holds
/// width (4), height (4), bit depth (1), colour type (1), ….
///
/// PIL ignores gamma and colour spaces, but libpng's simplified API converts the samples to sRGB
/// when gAMA, cHRM, sRGB or iCCP say they are something else, so those chunks are dropped. Without
/// them libpng takes 8-bit samples as sRGB and 16-bit samples as linear, and converts neither when
/// asked for 8-bit sRGB and 16-bit linear output respectively. For 16-bit images tRNS is dropped
/// too: PIL ignores it there, and libpng would otherwise premultiply the samples by the new alpha.
/// Chunks are copied whole and unchanged otherwise. A chunk whose declared length runs past the
/// end of the stream is a `problem`, reported before libpng sees it: libpng would first allocate
/// the declared length (a 335-byte file declaring a 1.8 GB tEXt chunk took 1.8 GB and 6 s).
struct ImagePNGChunks {
  var bytes: [UInt8]
  /// From IHDR; 0 when the stream has no readable IHDR (libpng then reports the problem).
  var bitDepth: Int
  /// Why the stream cannot be decoded, found while walking its chunks.
  var problem: String?

  init(_ png: [UInt8]) {
    let signature = 8
    var out = Array(png.prefix(signature))
    var depth = 0
    var at = signature
    while at + 8 <= png.count {
      let length =
        png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
      let type = String(decoding: png[at + 4..<at + 8], as: UTF8.self)
      let end = at + 12 + length
      guard end <= png.count else {
        let shown = type.unicodeScalars.allSatisfy { $0.properties.isAlphabetic } ? type : "of unknown type"
        problem =
          "chunk \(shown) at byte \(at) declares \(length) bytes of data, past the end of the file (\(png.count) bytes)"
        break
      }
      if type == "IHDR", length >= 9 { depth = Int(png[at + 8 + 8]) }
      let dropped =
        ["gAMA", "cHRM", "sRGB", "iCCP"].contains(type) || (type == "tRNS" && depth == 16)
      if !dropped { out.append(contentsOf: png[at..<end]) }
      at = end
      if type == "IEND" { break }  // what follows is not read by libpng (nor PIL)
    }
    out.append(contentsOf: png[min(at, png.count)...])
    bytes = out
    bitDepth = depth
  }
}
