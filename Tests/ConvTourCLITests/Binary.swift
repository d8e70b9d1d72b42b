import Foundation

/// Runs the real `convtour` binary, built beside the test bundle by `swift build --build-tests`.
enum Binary {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The built executable: $CONVTOUR_BIN, or `convtour` in the folder of the test runner.
  static var url: URL {
    if let path = ProcessInfo.processInfo.environment["CONVTOUR_BIN"] {
      return URL(fileURLWithPath: path)
    }
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // On Linux the runner is <build>/ConvTourPackageTests.xctest; elsewhere it may sit deeper.
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("convtour")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      folder.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug/convtour")
  }

  /// Runs the binary with `arguments`; `environment` entries are set (an empty value clears
  /// one) and `directory` is its working folder, when given.
  static func run(
    _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes before waiting, so a full pipe cannot stall the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
