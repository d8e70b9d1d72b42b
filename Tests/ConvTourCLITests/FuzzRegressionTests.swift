import Foundation
import Testing

/// Every input a fuzz campaign found a bug with (Fuzz/TARGET/regressions/) goes back through its
/// target, built without libFuzzer: a replay, quick, not a campaign.
@Suite("Fuzz regression corpus")
struct FuzzRegressionTests {
  @Test("every regression input returns through its target")
  func replay() throws {
    let replayer = Binary.url.deletingLastPathComponent().appendingPathComponent("convtour-fuzz")
    let fuzz = LessonCommandTests.lessons.deletingLastPathComponent().appendingPathComponent("Fuzz")
    let process = Process()
    process.executableURL = replayer
    process.arguments = ["--corpus", fuzz.path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(text)")
    #expect(text.hasSuffix("regression inputs replayed: no crash\n"), "\(text)")
  }
}
