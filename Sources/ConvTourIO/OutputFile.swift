#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a command may write a file. A destination is either absent or a regular file; anything
/// else there — a symbolic link, a device node such as /dev/full, a FIFO, a directory — is
/// refused, never replaced. The check runs before the command does its work, so a bad
/// `--output /nonexistent/x` fails at once rather than after minutes of computing.
public enum OutputFile {
  /// Why a path cannot be written, e.g. "cannot write: /dev/full is a character device, …".
  public struct Refusal: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  /// Throws unless `path` can be created or replaced as a regular file: its folder exists and is
  /// writable, and nothing but a regular file is there already.
  public static func check(_ path: String) throws(Refusal) {
    guard !path.isEmpty else { throw Refusal(message: "cannot write: the path is empty") }
    var status = stat()
    if lstat(path, &status) == 0 {
      if let kind = RegularFile.kind(status.st_mode) {
        throw Refusal(
          message: "cannot write: it is \(kind), which is not replaced; give the path of a regular file")
      }
    } else if errno != ENOENT {
      throw Refusal(message: "cannot write: \(RegularFile.errorText())")
    }
    let folder = self.folder(of: path)
    var folderStatus = stat()
    guard stat(folder, &folderStatus) == 0 else {
      throw Refusal(message: "cannot write: the folder \(folder) does not exist")
    }
    guard folderStatus.st_mode & S_IFMT == S_IFDIR else {
      throw Refusal(message: "cannot write: \(folder) is not a folder")
    }
    guard access(folder, W_OK | X_OK) == 0 else {
      throw Refusal(message: "cannot write in the folder \(folder): \(RegularFile.errorText())")
    }
  }

  /// Writes `bytes` to `path` through a temporary file beside it, renamed over it only when every
  /// byte is written and the file is closed; on any failure the temporary file is removed and
  /// whatever was at `path` is left as it was.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    do {
      try BinaryFile.writeAtomically(path: path) { try $0.append(bytes) }
    } catch let failure as BinaryFile.Failure {
      throw Refusal(message: failure.message)
    }
  }

  /// The temporary file being written, if any, for a signal handler to remove before the process
  /// ends (a C string, set and cleared around each write; reading it is async-signal-safe).
  nonisolated(unsafe) public static var pending: UnsafeMutablePointer<CChar>?

  /// Removes the pending temporary file; for signal handlers (only `unlink`).
  public static func removePending() {
    if let path = pending { _ = unlink(path) }
  }

  /// The folder a path lies in ("." for a bare name).
  public static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<slash])
    return folder.isEmpty ? "/" : folder
  }
}
