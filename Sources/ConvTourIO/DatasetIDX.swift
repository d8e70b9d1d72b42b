import CZlib

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// IDX files, MNIST's format, plain or gzip-compressed (zlib reads both; `.gz` is recognised by its
/// content, not its name). Big-endian throughout:
///
///     bytes 0, 1     zero
///     byte 2         the element type: 0x08, unsigned byte (the only one read)
///     byte 3         the number of dimensions: 3 for images, 1 for labels
///     4 bytes each   the dimensions: count, rows, columns (images) or count (labels)
///     the rest       one byte an element, row-major
///
/// so images start 0x00000803 (2051) and labels 0x00000801 (2049). The declared size is checked
/// against the budget before anything is allocated for the data, and the file must then hold
/// exactly that many bytes: a truncated file and one with bytes left over are both refused.
public enum DatasetIDX {
  /// The magic numbers: images and labels.
  public static let images: UInt32 = 0x0803
  public static let labels: UInt32 = 0x0801

  /// Reads the file at `path`, which must start with `magic`; returns its dimensions and its
  /// bytes. `used` bytes of the budget are already taken.
  public static func read(path: String, magic: UInt32, budget: DatasetBudget, used: Int = 0) throws -> (
    dimensions: [Int], data: [UInt8]
  ) {
    let file = try IDXStream(path: path)
    defer { file.close() }
    let what = magic == images ? "an IDX image file" : "an IDX label file"
    let head = try file.read(4)
    guard head.count == 4 else {
      throw DatasetError(file: path, problem: "the file is \(head.count) bytes long, too short for \(what)")
    }
    let found = head.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    if found >> 16 == 0, found & 0xFF == magic & 0xFF, found >> 8 & 0xFF != 0x08 {
      let types: [UInt32: String] = [
        0x09: "signed bytes", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64",
      ]
      let type = found >> 8 & 0xFF
      throw DatasetError(
        file: path,
        problem:
          "an IDX file of \(types[type] ?? "element type 0x\(String(type, radix: 16))"): only unsigned bytes (0x08) are read"
      )
    }
    guard found == magic else {
      throw DatasetError(
        file: path,
        problem:
          "not \(what): magic number \(hex(found)) (expected \(hex(magic))\(names(found).map { "; it is \($0)" } ?? ""))"
      )
    }
    let rank = Int(magic & 0xFF)
    let sizes = try file.read(4 * rank)
    guard sizes.count == 4 * rank else {
      throw DatasetError(file: path, problem: "the file ends inside its header (\(4 + sizes.count) bytes)")
    }
    let dimensions = (0..<rank).map { d in sizes[(4 * d)..<(4 * d + 4)].reduce(0) { $0 << 8 | Int($1) } }
    let shown = dimensions.map(String.init).joined(separator: "×")
    guard let count = DatasetSize.product(dimensions) else {
      throw DatasetError(file: path, problem: "dimensions \(shown) are too large to count")
    }
    if !file.compressed, file.size - 4 - 4 * rank != count {
      let holds = file.size - 4 - 4 * rank
      throw DatasetError(
        file: path,
        problem: holds < count
          ? "truncated: the header declares \(shown) bytes of data (\(count)), the file holds \(holds)"
          : "\(holds - count) byte(s) follow the data: the header declares \(shown) (\(count) bytes)")
    }
    try budget.check(count, used: used, file: path, what: "\(shown) bytes")
    let data = try file.read(count)
    guard data.count == count else {
      throw DatasetError(
        file: path,
        problem:
          "truncated: the header declares \(shown) bytes of data (\(count)), the file holds \(data.count)")
    }
    if file.compressed, !(try file.read(1)).isEmpty {
      throw DatasetError(
        file: path, problem: "bytes follow the data: the header declares \(shown) (\(count) bytes)")
    }
    return (dimensions, data)
  }

  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + " (\(value))"
  }

  /// What a known magic number belongs to, when it is not the expected one.
  static func names(_ magic: UInt32) -> String? {
    switch magic {
    case images: "an IDX image file"
    case labels: "an IDX label file"
    default: nil
    }
  }
}

/// A file read through zlib's gz functions: gzip-compressed or plain, recognised by content.
/// Opened as a regular file first, so a FIFO or a directory is refused with one line.
final class IDXStream {
  let path: String
  let size: Int
  let compressed: Bool
  private let handle: gzFile

  init(path: String) throws {
    self.path = path
    let opened: (descriptor: Int32, size: Int)
    do { opened = try RegularFile.open(path) } catch {
      throw DatasetError(file: path, problem: error.message)
    }
    var magic: [UInt8] = [0, 0]
    let got = pread(opened.descriptor, &magic, 2, 0)
    compressed = got == 2 && magic == [0x1F, 0x8B]
    size = opened.size
    guard let handle = gzdopen(opened.descriptor, "rb") else {
      _ = Glibc.close(opened.descriptor)
      throw DatasetError(file: path, problem: "cannot read: out of memory")
    }
    self.handle = handle
    gzbuffer(handle, 1 << 17)
  }

  func close() { gzclose(handle) }

  /// zlib's message, without the "<fd:N>: " it puts before it.
  private func error() -> String {
    var code: Int32 = 0
    let text = gzerror(handle, &code).map { String(cString: $0) } ?? "unknown error"
    guard text.hasPrefix("<fd:"), let colon = text.firstIndex(of: ":"),
      let space = text[colon...].firstIndex(of: " ")
    else { return text }
    return String(text[text.index(after: space)...])
  }

  /// Up to `count` bytes (fewer only at the end of the data); a corrupt stream is an error.
  func read(_ count: Int) throws -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(min(count, 1 << 26))
    var chunk = [UInt8](repeating: 0, count: min(count, 1 << 20))
    while result.count < count {
      let want = min(chunk.count, count - result.count)
      let got = chunk.withUnsafeMutableBytes { gzread(handle, $0.baseAddress, UInt32(want)) }
      guard got >= 0 else {
        let message = error()
        throw DatasetError(
          file: path,
          problem: compressed ? "the gzip data is corrupt (zlib: \(message))" : "cannot read: \(message)")
      }
      if got == 0 {
        var code: Int32 = 0
        _ = gzerror(handle, &code)
        let message = error()
        if code != Z_OK {
          throw DatasetError(file: path, problem: "the gzip data is truncated or corrupt (zlib: \(message))")
        }
        break
      }
      result.append(contentsOf: chunk[0..<Int(got)])
    }
    return result
  }
}
