import Foundation
import Testing

/// Golden files pin the text traces of four lessons: the conv layer (9), max-pool (10),
/// softmax (11) and the delta method (4). After an intended change to traces, regenerate them
/// with `CONVTOUR_UPDATE_GOLDEN=1 swift test --filter GoldenTraceTests` and review the diff.
@Suite("Golden traces")
struct GoldenTraceTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Golden")

  @Test(
    "text traces match their golden files",
    arguments: [
      ("vgg-first-conv", "op"), ("max-pool", "element"), ("softmax", "element"), ("delta-method", "element"),
    ])
  func golden(id: String, detail: String) throws {
    let result = try Binary.run([
      "trace", id, "--detail", detail, "--lessons", LessonCommandTests.lessons.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let file = Self.folder.appendingPathComponent("\(id).\(detail).txt")
    if ProcessInfo.processInfo.environment["CONVTOUR_UPDATE_GOLDEN"] == "1" {
      try Data(result.stdout.utf8).write(to: file)
      return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    if result.stdout != expected {
      let got = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
      let line =
        zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(got.count, want.count)
      let shown = { (lines: [Substring]) in line < lines.count ? String(lines[line]) : "(end)" }
      Issue.record(
        "\(id) (\(detail)) differs from \(file.lastPathComponent) at line \(line + 1):\n  got:  \(shown(got))\n  want: \(shown(want))"
      )
    }
  }
}
