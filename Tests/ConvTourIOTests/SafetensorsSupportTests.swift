import Foundation
import Testing

@testable import ConvTourIO

/// Helpers shared by the safetensors and NumPy tests: a scratch directory per test, and files
/// built byte by byte.
enum TestFiles {
  /// Runs `body` with a fresh directory, removed afterwards.
  static func withDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("convtour-io-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
  }

  /// Writes `bytes` to `name` in `directory` and returns the path.
  static func write(_ bytes: [UInt8], named name: String, in directory: String) throws -> String {
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  static func read(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// Bytes from base64 text embedded in a test (files made once by Python).
  static func base64(_ text: String) -> [UInt8] {
    Array(Data(base64Encoded: text) ?? Data())
  }

  /// The little-endian bytes of Float32 values.
  static func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
  }

  /// A safetensors file from header text, taken as is (no padding), and data bytes.
  static func safetensors(header: String, data: [UInt8] = []) -> [UInt8] {
    let json = Array(header.utf8)
    let length = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * $0)) }
    return length + json + data
  }

  /// The one-line description of the error `body` throws, or nil when it throws none.
  static func errorText(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch {
      return "\(error)"
    }
  }
}
