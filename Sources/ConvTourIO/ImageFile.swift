#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a whole image file into memory, with the operating system's reason on failure
/// ("no such file", "Permission denied", "is a FIFO (named pipe), not a regular file").
enum ImageFile {
  static func bytes(path: String) throws -> [UInt8] {
    let opened: (descriptor: Int32, size: Int)
    do { opened = try RegularFile.open(path) } catch { throw ImageError(file: path, problem: error.message) }
    let fd = opened.descriptor
    defer { close(fd) }
    let limit = ImageInput.maxFileBytes
    guard opened.size <= limit else {
      throw ImageError(file: path, problem: "file is too large (\(opened.size) bytes, limit \(limit))")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(opened.size)
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if got < 0 {
        if errno == EINTR { continue }
        throw failure(path, "cannot read")
      }
      if got == 0 { return bytes }
      guard bytes.count + got <= limit else {
        throw ImageError(file: path, problem: "file is too large (more than \(limit) bytes)")
      }
      bytes.append(contentsOf: chunk[0..<got])
    }
  }

  private static func failure(_ path: String, _ what: String) -> ImageError {
    let reason = String(cString: strerror(errno))
    return ImageError(file: path, problem: "\(what): \(reason)")
  }
}
