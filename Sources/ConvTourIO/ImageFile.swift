#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a whole image file into memory, with the operating system's reason on failure
/// ("No such file or directory", "Permission denied", "Is a directory").
enum ImageFile {
  static func bytes(path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw failure(path, "cannot open") }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw failure(path, "cannot stat") }
    if (status.st_mode & S_IFMT) == S_IFDIR {
      throw ImageError(file: path, problem: "cannot read: is a directory")
    }
    let limit = ImageInput.maxFileBytes
    guard Int(status.st_size) <= limit else {
      throw ImageError(file: path, problem: "file is too large (\(status.st_size) bytes, limit \(limit))")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Int(status.st_size))
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
