import Foundation
import Testing

/// Every signal that can end the tour, sent to it in tmux: the shell gets its terminal back as it
/// was (every stty mode as before, cursor shown, alternate screen off), with no crash report drawn.
extension TourEndToEndTests {
  /// Starts the tour with its process id in `pidFile` and waits for the menu.
  func startTour(pidFile: String) throws -> Int32 {
    try? FileManager.default.removeItem(atPath: pidFile)
    try keys("clear", "Enter")
    let command =
      "echo \\$\\$ > '\(pidFile)'; exec '\(Binary.url.path)' --lessons '\(LessonCommandTests.lessons.path)'"
    try keys("bash -c \"\(command)\"", "Enter")
    try waitFor("ConvTour — forward and backward propagation")
    let text = try String(contentsOfFile: pidFile, encoding: .utf8)
    return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
  }

  /// The terminal as the shell sees it after the tour: stty's modes and tmux's cursor flags.
  func checkRestored(_ name: String, status: Int32, sourceLocation: SourceLocation = #_sourceLocation) throws
  {
    try waitFor("ready$", sourceLocation: sourceLocation)
    // The modes saved before the tour (stty -g in $MODES) against the modes now.
    try keys(
      "echo \(name)-status-$? \(name)-modes-$([ \"$(stty -g)\" = \"$MODES\" ] && echo same) \(name)-done-$((40 + 2))",
      "Enter")
    let screen = try waitFor("\(name)-done-42", sourceLocation: sourceLocation)
    #expect(
      screen.contains("\(name)-status-\(status)"), "\(name):\n\(screen)", sourceLocation: sourceLocation)
    #expect(
      screen.contains("\(name)-modes-same"), "\(name) left the terminal raw:\n\(screen)",
      sourceLocation: sourceLocation)
    #expect(
      !screen.contains("Program crashed"), "\(name) drew a crash report", sourceLocation: sourceLocation)
    let flags = try tmux(["display-message", "-p", "-t", session, "#{alternate_on} #{cursor_flag}"])
    #expect(
      flags.hasPrefix("0 1"), "\(name): alternate screen, cursor: \(flags)", sourceLocation: sourceLocation)
  }

  @Test("each signal that ends the tour restores the terminal; SIGTSTP and SIGCONT suspend and resume")
  func everySignal() throws {
    guard try startShell(width: 100, height: 30) else { return }
    defer { _ = try? tmux(["kill-server"]) }
    try keys("MODES=$(stty -g)", "Enter")
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-pid").path
    defer { try? FileManager.default.removeItem(atPath: pidFile) }
    let ending: [(Int32, String)] = [
      (SIGUSR1, "USR1"), (SIGUSR2, "USR2"), (SIGALRM, "ALRM"), (SIGPIPE, "PIPE"), (SIGQUIT, "QUIT"),
      (SIGTERM, "TERM"), (SIGINT, "INT"), (SIGHUP, "HUP"), (SIGSEGV, "SEGV"), (SIGABRT, "ABRT"),
    ]
    for (signal, name) in ending {
      let pid = try startTour(pidFile: pidFile)
      #expect(pid > 0)
      kill(pid, signal)
      try checkRestored(name, status: 128 + signal)
    }
    // Suspended: the shell's terminal is back; resumed with fg: the tour is drawn again.
    let pid = try startTour(pidFile: pidFile)
    kill(pid, SIGTSTP)
    try checkRestored("TSTP", status: 128 + SIGTSTP)
    try keys("clear; fg", "Enter")
    try waitFor("ConvTour — forward and backward propagation")
    try keys("q")
    try checkRestored("after-fg", status: 0)
  }
}
