import Foundation

/// Running the binary on hostile inputs: a deadline (a hang is a failure, not a stuck test), any
/// standard output, and a temporary folder per test.
enum BadInputRun {
  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Whether the deadline passed and the process was killed.
    var hung: Bool
  }

  /// Runs `convtour arguments` with standard output to `stdout` (a pipe when nil), killed after
  /// `seconds`.
  static func run(_ arguments: [String], stdout: FileHandle? = nil, seconds: Double = 20) throws -> Outcome {
    let process = Process()
    process.executableURL = Binary.url
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = stdout ?? out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: deadline)
    if stdout != nil { try? out.fileHandleForWriting.close() }
    let outData = stdout == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    deadline.cancel()
    return Outcome(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self),
      hung: process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
  }

  /// A fresh temporary folder for `body`, removed afterwards.
  static func withFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convtour-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder.path)
  }

  /// A .npy header declaring a float32 array of `shape`, padded as NumPy pads it.
  static func npyHeader(_ shape: [Int]) -> Data {
    var text = "{'descr': '<f4', 'fortran_order': False, 'shape': ("
    text += shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",), }" : "), }")
    let total = (10 + text.count + 1 + 63) / 64 * 64
    text += String(repeating: " ", count: total - 10 - text.count - 1) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    data.append(contentsOf: [UInt8(text.count & 0xFF), UInt8(text.count >> 8)])
    data.append(contentsOf: Array(text.utf8))
    return data
  }

  /// A lesson file with one step.
  static func lesson(id: String, tensors: String, run: String) -> String {
    """
    id: \(id)
    title: A lesson made by a test
    source: test

    \(tensors)

    step: The step
      run: \(run)

    """
  }
}
