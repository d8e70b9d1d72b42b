import Foundation
import Testing

/// Lessons far larger than the documents' in the tour, in tmux: a frame's work does not grow
/// with the lesson, so keys are answered at once; `show` says why a lesson was refused.
extension TourEndToEndTests {
  /// A folder holding one lesson file made of `tensors` and a step running `run`.
  func lessonFolder(id: String, tensors: String, run: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(id)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let text = """
      id: \(id)
      title: A large lesson
      source: generated
      document: generated = a test

      \(tensors)

      step: S
        prose: p
        formula: f
        run: \(run)

      """
    try text.write(to: folder.appendingPathComponent("\(id).lesson"), atomically: true, encoding: .utf8)
    return folder
  }

  /// Seconds from sending `key` until the screen shows `text`.
  func secondsUntil(_ text: String, after key: String) throws -> Double {
    let start = Date()
    try keys(key)
    try waitFor(text)
    return Date().timeIntervalSince(start)
  }

  @Test(
    "100,000 one-value tensors and a 50,000,000-value tensor: the lesson is drawn, steps and quits at once")
  func largeLessonsAnswer() throws {
    guard try startShell(width: 120, height: 40) else { return }
    defer { _ = try? tmux(["kill-server"]) }
    let many = try lessonFolder(
      id: "many", tensors: (0..<100_000).map { "tensor t\($0) [1] = 1" }.joined(separator: "\n"),
      run: "y = relu(t0)")
    let big = try lessonFolder(
      id: "big", tensors: "tensor x [50000000] = random(seed: 1)", run: "y = relu(x)")
    defer {
      try? FileManager.default.removeItem(at: many)
      try? FileManager.default.removeItem(at: big)
    }
    for (id, folder) in [("many", many), ("big", big)] {
      try keys("clear", "Enter")
      try keys(
        "'\(Binary.url.path)' show \(id) --lessons '\(folder.path)' --max-memory 20GB; echo \(id)-status-$?",
        "Enter")
      // Reading and running the lesson comes first (before the screen); then every key is quick.
      let given = try waitFor("step 0/1")
      #expect(given.contains(id == "many" ? "given t1  (1)" : "columns 1–100 of 50000000"), "\(given)")
      // Generous for a debug build on a busy machine; before, each frame took minutes.
      #expect(try secondsUntil("step 1/1", after: "n") < 3)
      #expect(try secondsUntil("\(id)-status-0", after: "q") < 3)
    }
  }

  @Test("show on a terminal says why a lesson was refused (--max-memory), and so does show off a terminal")
  func showRefusedLesson() throws {
    guard try startShell(width: 120, height: 40) else { return }
    defer { _ = try? tmux(["kill-server"]) }
    let folder = try lessonFolder(
      id: "r", tensors: "tensor x [5000000] = random(seed: 1)", run: "y = relu(x)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let show = "'\(Binary.url.path)' show r --lessons '\(folder.path)' --max-memory 10MB"
    try keys("\(show); echo on-terminal-$?", "Enter")
    // (The status is waited for: the command line itself reads "on-terminal-$?".)
    let onTerminal = try waitFor("on-terminal-2")
    #expect(onTerminal.contains("the limit is 10 MB (--max-memory)"), "\(onTerminal)")
    #expect(onTerminal.contains("1 lesson file did not load, above"), "\(onTerminal)")
    try keys("clear; \(show) | cat; echo off-terminal-${PIPESTATUS[0]}", "Enter")
    let offTerminal = try waitFor("off-terminal-2")
    #expect(offTerminal.contains("the limit is 10 MB (--max-memory)"), "\(offTerminal)")
  }
}
