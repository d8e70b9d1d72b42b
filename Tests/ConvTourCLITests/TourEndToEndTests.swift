import Foundation
import Testing

/// The terminal tour end to end, as a person would use it: the real binary in a shell in tmux,
/// keys sent, the screen read back.
@Suite("The tour in tmux", .serialized)
struct TourEndToEndTests {
  let socket = "convtour-test-\(UUID().uuidString.prefix(8))"
  let session = "tour"

  /// Runs a tmux command on the test's own server through the shell, with every standard stream
  /// a file: the server that new-session starts keeps what it inherits open, so no pipe may be
  /// among them. Returns what the command printed.
  @discardableResult
  func tmux(_ arguments: [String]) throws -> String {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-out.txt")
    defer { try? FileManager.default.removeItem(at: output) }
    let quoted = (["tmux", "-L", socket] + arguments).map {
      "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
    _ = system(quoted.joined(separator: " ") + " </dev/null >'\(output.path)' 2>/dev/null")
    return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
  }

  func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]) }

  /// Waits up to 15 s for the screen to contain `text`; returns the screen, once two captures
  /// 50 ms apart agree (a capture taken while the program writes its frame can hold the new
  /// title over the old frame's rest).
  @discardableResult
  func waitFor(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    var last = ""
    for _ in 0..<150 {
      last = try screen()
      if last.contains(text) {
        for _ in 0..<20 {
          Thread.sleep(forTimeInterval: 0.05)
          let again = try screen()
          if again == last { return last }
          last = again
        }
        if last.contains(text) { return last }
      }
      Thread.sleep(forTimeInterval: 0.1)
    }
    Issue.record("the screen never showed \"\(text)\"; it shows:\n\(last)", sourceLocation: sourceLocation)
    return last
  }

  func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }

  /// A bash in a new tmux session of the given size, at a prompt that reads "ready$ ".
  /// False (with an issue recorded) when tmux is missing.
  func startShell(width: Int, height: Int) throws -> Bool {
    guard (try? tmux(["-V"]))?.contains("tmux") == true else {
      Issue.record("tmux is not installed (make test installs it)")
      return false
    }
    try tmux([
      "new-session", "-d", "-s", session, "-x", String(width), "-y", String(height),
      "env TERM=xterm-256color bash --norc --noprofile",
    ])
    try keys("PS1='ready$ '", "Enter")
    try waitFor("ready$")
    return true
  }

  @Test("menu → conv lesson → element level with 27 terms → channel → back → resize → VGG-16 → quit")
  func walkthrough() throws {
    guard try startShell(width: 120, height: 40) else { return }
    defer { _ = try? tmux(["kill-server"]) }
    let binary = Binary.url.path
    let lessons = LessonCommandTests.lessons.path
    try keys("'\(binary)' --lessons '\(lessons)'", "Enter")
    try waitFor("ConvTour — forward and backward propagation")
    // Filter the menu to the conv lesson and open it.
    try keys("/", "vgg-first", "Enter")
    try waitFor("step 0/")
    try keys("n")
    try waitFor("Slide each filter over x")
    try keys("s")
    let first = try waitFor("Σ of 28 terms")
    #expect(first.contains("element 1/54"))
    // Every term with its full value and the running sum; the last (the bias) ends at z.
    #expect(first.contains("x[1, 1, 1] · W[1, 1, 1, 1] = −0.1990 · −0.5561 = 0.1106"))
    try keys("Tab", "PPage", "NPage", "NPage", "NPage")
    let last = try waitFor("b[1] = ")
    #expect(
      last.split(separator: "\n").contains { $0.contains("b[1] = 0.2513") && $0.contains("Σ = 0.4581") })
    try keys("Tab", "Tab")
    try keys("c")
    try waitFor("channel 2/3")  // the tensors condensed to their highlighted rows
    try keys("o", "Left")
    try waitFor("step 0/")
    try tmux(["resize-window", "-t", session, "-x", "60", "-y", "15"])
    try waitFor("needs a terminal of at least 80×24")
    try tmux(["resize-window", "-t", session, "-x", "120", "-y", "40"])
    try waitFor("step 0/")
    try keys("v")
    try waitFor("conv1_1")
    try keys("q")
    try waitFor("ready$")
    try keys("echo prompt-$((40 + 2))", "Enter")
    let after = try waitFor("prompt-42")
    #expect(!after.contains("ConvTour — forward"))
  }

  @Test("a filter with h in it; a backward step at element level names and substitutes its local derivative")
  func backwardAndFilter() throws {
    guard try startShell(width: 120, height: 40) else { return }
    defer { _ = try? tmux(["kill-server"]) }
    try keys("'\(Binary.url.path)' --lessons '\(LessonCommandTests.lessons.path)'", "Enter")
    try waitFor("ConvTour — forward and backward propagation")
    try keys("/", "graph")
    let menu = try waitFor("/graph")
    // The header counts what the filter shows, of all the lessons.
    let all = try FileManager.default.contentsOfDirectory(atPath: LessonCommandTests.lessons.path).filter {
      $0.hasSuffix(".lesson")
    }
    #expect(menu.contains("1 of \(all.count) lessons"))
    #expect(!menu.contains("ConvTour — keys"))
    try keys("Enter")
    let steps = try String(
      contentsOf: LessonCommandTests.lessons.appendingPathComponent("06-computational-graph.lesson"),
      encoding: .utf8
    )
    .split(separator: "\n").filter { $0.hasPrefix("step:") }.count
    try waitFor("step 0/\(steps)")
    try keys("g", "11", "Enter")
    try waitFor("Backward through u = a·b")
    try keys("s")
    let element = try waitFor("∂multiply/∂a = b = 2.0000")
    #expect(element.contains("dJ_du · ∂multiply/∂a = 2.0000 · 2.0000 = 4.0000"))
    try keys("n")
    try waitFor("∂multiply/∂b = a = 3.0000")
    try keys("q")
    try waitFor("ready$")
  }

  @Test("SIGTERM and Ctrl-C restore the terminal; LC_ALL=C and NO_COLOR give ASCII without colour")
  func signalsAndFallbacks() throws {
    guard try startShell(width: 100, height: 30) else { return }
    defer { _ = try? tmux(["kill-server"]) }
    let binary = Binary.url.path
    let lessons = LessonCommandTests.lessons.path
    try keys("LC_ALL=C NO_COLOR=1 '\(binary)' --lessons '\(lessons)'", "Enter")
    let menu = try waitFor("ConvTour")
    #expect(!menu.contains("─") && !menu.contains("·"), "ASCII expected:\n\(menu)")
    let colours = try tmux(["capture-pane", "-p", "-e", "-t", session])
    let colourCode = colours.range(of: "\u{1B}\\[(3|4)[0-7](;|m)", options: .regularExpression)
    #expect(colourCode == nil, "no colour expected")
    // SIGTERM to the tour (the shell's child): the terminal comes back to the prompt.
    let shell = try tmux(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(
      in: .whitespacesAndNewlines)
    _ = system("pkill -TERM -P \(shell)")
    try waitFor("ready$")
    try keys("echo after-$((6 * 7))", "Enter")
    try waitFor("after-42")
    // Ctrl-C quits as q does.
    try keys("clear", "Enter")
    try keys("'\(binary)' --lessons '\(lessons)'", "Enter")
    try waitFor("ConvTour")
    try keys("C-c")
    try waitFor("ready$")
    try keys("echo ctrl-c-$((40 + 1))", "Enter")
    try waitFor("ctrl-c-41")
  }

  /// A tour whose terminal closes must not linger (it used to spin at full CPU). Started with
  /// setsid, in a session of its own, it gets no SIGHUP when tmux goes away: only reads that fail.
  @Test("the tour leaves when its terminal goes away, even without SIGHUP")
  func terminalGoesAway() throws {
    guard try startShell(width: 100, height: 30) else { return }
    defer { _ = try? tmux(["kill-server"]) }
    // A lessons folder whose path names this test, to find the process by.
    let marker = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-lessons")
    try? FileManager.default.removeItem(at: marker)
    try FileManager.default.createSymbolicLink(at: marker, withDestinationURL: LessonCommandTests.lessons)
    defer { try? FileManager.default.removeItem(at: marker) }
    // "[c]onvtour-test-…": a pattern that does not match the shell that runs pgrep.
    let pattern = "[" + marker.lastPathComponent.prefix(1) + "]" + marker.lastPathComponent.dropFirst()
    func running() -> Bool { system("pgrep -f '\(pattern)' >/dev/null") == 0 }

    try keys("setsid -w '\(Binary.url.path)' --lessons '\(marker.path)'", "Enter")
    try waitFor("ConvTour — forward and backward propagation")
    #expect(running())
    try tmux(["kill-server"])
    var gone = false
    for _ in 0..<100 where !gone {
      Thread.sleep(forTimeInterval: 0.1)
      gone = !running()
    }
    #expect(gone, "the tour still runs 10 s after its terminal closed")
    if !gone { _ = system("pkill -KILL -f '\(pattern)'") }
  }

  @Test("show LESSON: seven quick n's advance seven steps (at once, 20 ms apart, and before the tour is up)")
  func quickKeys() throws {
    guard try startShell(width: 80, height: 24) else { return }
    defer { _ = try? tmux(["kill-server"]) }
    let show = "'\(Binary.url.path)' show vgg-first-conv --lessons '\(LessonCommandTests.lessons.path)'"
    /// The title's step counter once the screen has settled (no change for half a second).
    func settled() throws -> String {
      var last = try screen()
      for _ in 0..<40 {
        Thread.sleep(forTimeInterval: 0.5)
        let again = try screen()
        if again == last { break }
        last = again
      }
      return last.split(separator: "\n").first.map(String.init) ?? ""
    }
    // Typed while the lessons load, before curses has the terminal: kept for the tour.
    try keys(show, "Enter", "n", "n", "n", "n", "n", "n", "n")
    try waitFor("op level")
    #expect(try settled().hasSuffix("step 7/40 · op level"))
    // In one burst, then one at a time 20 ms apart.
    try keys("n", "n", "n", "n", "n", "n", "n")
    #expect(try settled().hasSuffix("step 14/40 · op level"))
    for _ in 0..<7 {
      try keys("n")
      Thread.sleep(forTimeInterval: 0.02)
    }
    #expect(try settled().hasSuffix("step 21/40 · op level"))
    // At element level each n is an element (step 1: x's 54 elements).
    try keys("g", "1", "Enter", "s")
    try waitFor("step 1/40 · element 1/54")
    try keys("n", "n", "n", "n", "n", "n", "n")
    let element = try settled()
    #expect(element.hasSuffix("step 1/40 · element 8/54"), "\(element)")
    try keys("q")
    try waitFor("ready$")
  }

  @Test("not on a terminal: a short hint, and show prints the text trace")
  func plain() throws {
    let hint = try Binary.run([])
    #expect(hint.status == 0)
    #expect(hint.stdout.contains("convtour lessons"))
    let show = try Binary.run(["show", "softmax", "--lessons", LessonCommandTests.lessons.path])
    #expect(show.status == 0)
    #expect(show.stdout.hasPrefix("Lesson softmax: "))
  }
}
