import Foundation
import Testing

/// The lesson commands on the repository's lessons and on broken copies of them.
@Suite("Lesson commands")
struct LessonCommandTests {
  /// The repository's Lessons folder.
  static let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Lessons")

  static var lessonFiles: [URL] {
    ((try? FileManager.default.contentsOfDirectory(atPath: lessons.path)) ?? []).filter {
      $0.hasSuffix(".lesson")
    }
    .sorted().map { lessons.appendingPathComponent($0) }
  }

  /// A temporary folder holding copies of the lessons plus `extra` files.
  func folder(with extra: [String: String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convtour-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for file in Self.lessonFiles {
      try FileManager.default.copyItem(at: file, to: dir.appendingPathComponent(file.lastPathComponent))
    }
    // The networks and the shipped digits that lessons name (networks/NAME.net, data/digits).
    for folder in ["networks", "data"] {
      try FileManager.default.copyItem(
        at: Self.lessons.appendingPathComponent(folder), to: dir.appendingPathComponent(folder))
    }
    for (name, text) in extra { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
    return dir
  }

  @Test("lessons lists every lesson file with its id, title, source and steps")
  func list() throws {
    let result = try Binary.run(["lessons", "--lessons", Self.lessons.path])
    #expect(result.status == 0, "\(result.stderr)")
    let idLines = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }
    #expect(idLines.count == Self.lessonFiles.count)
    #expect(idLines.allSatisfy { $0.contains(" step") })
  }

  @Test("every lesson passes check, with its errata listed")
  func checkAll() throws {
    let result = try Binary.run(["check", "--lessons", Self.lessons.path])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    #expect(!result.stdout.contains("FAIL"))
    #expect(result.stdout.contains(" 0 failed"))
    let json = try Binary.run(["check", "--lessons", Self.lessons.path, "--format", "json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect(object?["failed"] as? Int == 0)
    #expect((object?["results"] as? [Any])?.isEmpty == false)
  }

  @Test("a malformed lesson is reported as file:line:column, the others still load, exit 2")
  func malformed() throws {
    let dir = try folder(with: [
      "99-broken.lesson":
        "id: broken\ntitle: Broken\nsource: nowhere\ntensor x [2] = 1 2\nstep: S\n  run: y = convolve(x)\n"
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let check = try Binary.run(["check", "--lessons", dir.path])
    #expect(check.status == 2)
    #expect(check.stderr.contains("99-broken.lesson:6:12: unknown op \"convolve\""), "\(check.stderr)")
    #expect(check.stdout.contains("passed"))
    let trace = try Binary.run(["trace", "broken", "--lessons", dir.path])
    #expect(trace.status == 2)
    let listed = try Binary.run(["lessons", "--lessons", dir.path])
    #expect(
      listed.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.count == Self.lessonFiles.count)
  }

  @Test("a failing expectation exits 1 and says what the document says and what was computed")
  func failing() throws {
    let dir = try folder(with: [
      "99-wrong.lesson":
        "id: wrong\ntitle: Wrong\nsource: nowhere\ntensor x [2] = 1 2\nstep: S\n  run: s = sum(x)\nexpect: s = 4\n  cite: nowhere\n"
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try Binary.run(["check", "wrong", "--lessons", dir.path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("document says 4; computation gives 3"))
  }

  @Test("no lessons: it says where it looked")
  func notFound() throws {
    let dir = try folder(with: [:])
    for file in Self.lessonFiles {
      try FileManager.default.removeItem(at: dir.appendingPathComponent(file.lastPathComponent))
    }
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try Binary.run(["check", "--lessons", dir.path])
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "convtour: --lessons \(dir.path): no .lesson files in it; give a folder of .lesson files\n")
    let missing = try Binary.run(["check", "--lessons", "/nonexistent"])
    #expect(missing.status == 2)
    #expect(
      missing.stderr == "convtour: --lessons /nonexistent: no such folder; give a folder of .lesson files\n")
    let unknown = try Binary.run(["trace", "no-such-lesson", "--lessons", Self.lessons.path])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("unknown lesson \"no-such-lesson\""))
  }

  @Test("traces are byte-identical across runs, and JSON traces parse")
  func deterministic() throws {
    // The four runs at once (each is one process doing one core's work).
    let text = ["trace", "all", "--detail", "element", "--lessons", Self.lessons.path]
    let commands = [text, text, text + ["--format", "json"], text + ["--format", "json"]]
    var results = [Binary.Result?](repeating: nil, count: commands.count)
    results.withUnsafeMutableBufferPointer { slots in
      nonisolated(unsafe) let slots = slots  // each run writes its own slot
      DispatchQueue.concurrentPerform(iterations: commands.count) { k in
        slots[k] = try? Binary.run(commands[k])
      }
    }
    let runs = try results.map { try #require($0) }
    let (first, second, json, again) = (runs[0], runs[1], runs[2], runs[3])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout == second.stdout)
    #expect(json.status == 0)
    #expect(json.stdout == again.stdout)
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let traces = object?["lessons"] as? [[String: Any]] ?? []
    #expect(traces.count == Self.lessonFiles.count)
    for trace in traces {
      for step in trace["steps"] as? [[String: Any]] ?? [] {
        for tensor in (step["reads"] as? [[String: Any]] ?? []) + (step["writes"] as? [[String: Any]] ?? []) {
          let shape = tensor["shape"] as? [Int] ?? [-1]
          // A shape-only tensor (the VGG-16 tour's) has null values.
          guard let values = tensor["values"] as? [Any] else {
            #expect(tensor["values"] is NSNull, "\(trace["id"] ?? "") \(tensor["name"] ?? "")")
            continue
          }
          #expect(shape.reduce(1, *) == values.count, "\(trace["id"] ?? "") \(tensor["name"] ?? "")")
        }
      }
    }
  }

  @Test("--output writes the trace to a file")
  func outputFile() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convtour-trace-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: file) }
    let id = try #require(
      Self.lessonFiles.first.flatMap { try? String(contentsOf: $0, encoding: .utf8) }?
        .split(separator: "\n").first { $0.hasPrefix("id: ") }?.dropFirst(4))
    let result = try Binary.run(["trace", String(id), "--output", file.path, "--lessons", Self.lessons.path])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("Lesson \(id): "))
  }
}
