#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opening a file that must be a regular file. The open is non-blocking, so a FIFO with no writer
/// is refused at once instead of blocking forever; a directory, a FIFO, a device (`/dev/zero`), a
/// socket or standard input given as `/dev/stdin` is refused with one line saying what it is.
public enum RegularFile {
  /// Why a path cannot be read, e.g. "cannot read: is a FIFO (named pipe), not a regular file".
  public struct Refusal: Error, Sendable {
    public var message: String
  }

  /// Opens `path` for reading; returns the descriptor (blocking again) and the file's size.
  /// The caller closes the descriptor.
  public static func open(_ path: String) throws(Refusal) -> (descriptor: Int32, size: Int) {
    let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else {
      throw Refusal(message: errno == ENOENT ? "cannot read: no such file" : "cannot read: \(errorText())")
    }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      let message = "cannot read: \(errorText())"
      _ = close(descriptor)
      throw Refusal(message: message)
    }
    if let kind = kind(status.st_mode) {
      _ = close(descriptor)
      throw Refusal(message: "cannot read: is \(kind), not a regular file")
    }
    let flags = fcntl(descriptor, F_GETFL)
    if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
    return (descriptor, Int(status.st_size))
  }

  /// The whole file, when it is a regular file of at most `limit` bytes; `what` names it in the
  /// message that refuses a larger one ("a lesson file is at most 16 MB; this one is 52 MB").
  public static func read(_ path: String, limit: Int, what: String) throws(Refusal) -> [UInt8] {
    let (descriptor, size) = try open(path)
    defer { _ = close(descriptor) }
    guard size <= limit else {
      throw Refusal(message: "\(what) is at most \(megabytes(limit)); this one is \(megabytes(size))")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
      let got = bytes.withUnsafeMutableBytes {
        pread(descriptor, $0.baseAddress! + done, size - done, off_t(done))
      }
      if got < 0, errno == EINTR { continue }
      guard got >= 0 else { throw Refusal(message: "cannot read: \(errorText())") }
      if got == 0 { return Array(bytes[0..<done]) }  // it shrank while being read
      done += got
    }
    return bytes
  }

  static func megabytes(_ bytes: Int) -> String {
    bytes >= 1 << 20 ? "\((bytes + (1 << 19)) >> 20) MB" : "\(bytes) bytes"
  }

  /// What a file of this mode is, in words, when it is not a regular file; nil when it is.
  public static func kind(_ mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "a directory"
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFSOCK: return "a socket"
    case S_IFLNK: return "a symbolic link"
    default: return "not a file"
    }
  }

  static func errorText() -> String {
    String(cString: strerror(errno))
  }
}
