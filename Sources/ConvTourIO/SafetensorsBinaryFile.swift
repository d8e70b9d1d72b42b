import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// File input and output for the weight and array formats (safetensors and `.npy`). Reading
/// takes the header first, then copies each tensor's bytes straight from the file into its
/// freshly allocated `[Float]` with `pread` — no intermediate buffer, no element-by-element work
/// (VGG-16's weights are 553 MB; on this machine `pread` into new memory is about twice as fast as
/// copying out of a memory map). Writing goes to a temporary file beside the destination that is
/// renamed over it at the end, so a reader never sees half a file and a failed write leaves the
/// old one in place.
enum BinaryFile {
  /// Why a file could not be read or written, e.g. "cannot open for writing: Permission denied".
  struct Failure: Error {
    var message: String
  }

  /// Opens the file for reading, hands it to `body`, and closes it.
  static func withReader<Result>(path: String, _ body: (Reader) throws -> Result) throws -> Result {
    let opened: (descriptor: Int32, size: Int)
    do { opened = try RegularFile.open(path) } catch { throw Failure(message: error.message) }
    defer { _ = close(opened.descriptor) }
    return try body(Reader(descriptor: opened.descriptor, size: opened.size))
  }

  /// An open file: its size when opened, and reads at offsets.
  struct Reader {
    let descriptor: Int32
    let size: Int

    /// Fills `buffer` with the file's bytes from `offset` on.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(Failure) {
      guard let start = buffer.baseAddress else { return }
      var done = 0
      while done < buffer.count {
        let count = pread(descriptor, start + done, buffer.count - done, off_t(offset + done))
        if count < 0 {
          if errno == EINTR { continue }
          throw Failure(message: "cannot read: \(errorText())")
        }
        guard count > 0 else {
          throw Failure(message: "the file ended at byte \(offset + done) while reading (did it change?)")
        }
        done += count
      }
    }

    /// `count` bytes from `offset` on.
    func bytes(_ count: Int, at offset: Int) throws(Failure) -> [UInt8] {
      try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized throws(Failure) in
        try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
        initialized = count
      }
    }
  }

  /// Writes the file through `body`, which is handed a sink for byte blocks.
  /// The destination must be absent or a regular file (`OutputFile.check`): a symbolic link or a
  /// device node is refused, not replaced.
  static func writeAtomically(path: String, _ body: (Sink) throws -> Void) throws {
    do { try OutputFile.check(path) } catch { throw Failure(message: error.message) }
    let temporary = path + ".partial-\(UUID().uuidString)"
    // A signal that ends the process mid-write removes the temporary file (SafeOutput).
    let pending = strdup(temporary)
    OutputFile.pending = pending
    defer {
      OutputFile.pending = nil
      free(pending)
    }
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw Failure(message: "cannot open for writing: \(errorText())")
    }
    let sink = Sink(descriptor: descriptor)
    var open = true
    do {
      try body(sink)
      open = false
      // A write error can surface only at close (a full disk, a network file system).
      guard close(descriptor) == 0 else {
        throw Failure(message: "cannot write: \(errorText())")
      }
    } catch {
      if open { _ = close(descriptor) }
      _ = unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else {
      let message = "cannot write: \(errorText())"
      _ = unlink(temporary)
      throw Failure(message: message)
    }
  }

  /// Writes byte blocks to an open file descriptor, retrying short writes.
  struct Sink {
    let descriptor: Int32

    func append(_ bytes: UnsafeRawBufferPointer) throws {
      guard var next = bytes.baseAddress else { return }
      var remaining = bytes.count
      while remaining > 0 {
        let written = write(descriptor, next, remaining)
        if written < 0 {
          if errno == EINTR { continue }
          throw Failure(message: "cannot write: \(errorText())")
        }
        next += written
        remaining -= written
      }
    }

    func append(_ bytes: [UInt8]) throws {
      try bytes.withUnsafeBytes { try append($0) }
    }
  }

  private static func errorText() -> String {
    String(cString: strerror(errno))
  }
}
