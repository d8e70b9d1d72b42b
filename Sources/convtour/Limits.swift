import ConvTourEngine
import ConvTourIO
import Foundation

/// The bounds the command line puts on numbers it is given, each named with its number in the
/// message that refuses it.
enum Limits {
  /// `--threads`: from 1 to the number of cores (a worker beyond them only costs memory).
  static func threads(_ threads: Int) throws -> Int {
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    guard (1...cores).contains(threads) else {
      throw UsageError(
        "--threads \(threads) is outside 1 to \(cores), the number of cores here; leave it out to use them all"
      )
    }
    return threads
  }

  /// An output path (`--dump`, `--output`) checked before any work: refused at once when it is a
  /// symbolic link, a device, a FIFO or a directory, or its folder is missing or not writable.
  static func output(_ path: String?, option: String) throws {
    guard let path else { return }
    do { try OutputFile.check(path) } catch {
      throw UsageError("\(option) \(path): \(error.message)")
    }
  }
}
