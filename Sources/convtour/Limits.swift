import ArgumentParser
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

  /// `--labels`: one class per example, each from 0 to `classes` − 1; the message says both in
  /// words ("2 classes for 1 example", "the classes are 0 to 999").
  static func labels(_ labels: [Int], examples m: Int, classes: Int) throws {
    guard labels.count == m else {
      throw UsageError(
        "--labels gives \(counted(labels.count, "class", "classes")) for \(counted(m, "example", "examples")): give one class per example"
      )
    }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
      throw UsageError("label \(bad) is not a class: the classes are 0 to \(classes - 1)")
    }
  }

  /// "1 example", "2 examples".
  static func counted(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

  /// An output path (`--dump`, `--output`) checked before any work: refused at once when it is a
  /// symbolic link, a device, a FIFO or a directory, or its folder is missing or not writable.
  static func output(_ path: String?, option: String) throws {
    guard let path else { return }
    do { try OutputFile.check(path) } catch {
      throw UsageError("\(option) \(path): \(error.message)")
    }
  }
}

/// `--max-memory`: a number of bytes with an optional unit (KB, MB, GB, TB: powers of 1024).
struct ByteCount: ExpressibleByArgument, CustomStringConvertible {
  var bytes: Double

  init(_ bytes: Double) { self.bytes = bytes }

  init?(argument: String) {
    let text = argument.uppercased().replacingOccurrences(of: " ", with: "")
    let units: [(String, Double)] = [
      ("TB", 0x1p40), ("GB", 0x1p30), ("MB", 0x1p20), ("KB", 0x1p10), ("B", 1),
    ]
    let (suffix, scale) = units.first { text.hasSuffix($0.0) } ?? ("", 1)
    guard let number = Double(text.dropLast(suffix.count)), number.isFinite, number > 0 else { return nil }
    bytes = number * scale
  }

  var description: String {
    bytes.truncatingRemainder(dividingBy: 0x1p30) == 0 ? "\(Int(bytes / 0x1p30))GB" : "\(Int(bytes))B"
  }
}

/// `--max-operations`: a positive number, `20000000000` or `2e10`.
struct OperationCount: ExpressibleByArgument, CustomStringConvertible {
  var count: Double

  init(_ count: Double) { self.count = count }

  init?(argument: String) {
    guard let number = Double(argument), number.isFinite, number > 0 else { return nil }
    count = number
  }

  var description: String { count >= 1e6 ? String(format: "%g", count) : "\(Int(count))" }
}
