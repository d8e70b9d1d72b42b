import Foundation

/// The terminal put back when the tour dies of a fatal signal (a trap, a crash, an abort): the
/// handler writes the escape sequences that leave the alternate screen and show the cursor,
/// restores the terminal modes saved before curses started, says which signal it was in one line,
/// and lets the signal end the process with its default action — so no crash report is drawn
/// over the tour's screen. Everything the handler touches is set up before it is installed, and
/// it calls only async-signal-safe functions (write, tcsetattr, signal, raise).
enum TerminalRescue {
  nonisolated(unsafe) private static var saved = termios()
  nonisolated(unsafe) private static var hasSaved = false
  nonisolated(unsafe) private static var reset: [UInt8] = []
  nonisolated(unsafe) private static var messages: [Int32: [UInt8]] = [:]

  /// The fatal signals: the handler restores the terminal and re-raises them.
  static let fatal: [(Int32, String)] = [
    (SIGSEGV, "SIGSEGV"), (SIGBUS, "SIGBUS"), (SIGILL, "SIGILL"), (SIGFPE, "SIGFPE"),
    (SIGABRT, "SIGABRT"), (SIGTRAP, "SIGTRAP"), (SIGSYS, "SIGSYS"),
  ]

  /// Saves the terminal's modes (call before curses changes them) and installs the handlers.
  static func install() {
    hasSaved = tcgetattr(0, &saved) == 0
    // Leave the alternate screen, show the cursor, plain attributes, a fresh line.
    reset = Array("\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\r\n".utf8)
    for (signal, name) in fatal {
      messages[signal] = Array("convtour: ended by \(name); the terminal was restored\n".utf8)
    }
    for (signal, _) in fatal { _ = Foundation.signal(signal, TerminalRescue.handler) }
  }

  /// Puts the default handlers back (after curses has ended normally).
  static func uninstall() {
    for (signal, _) in fatal { _ = Foundation.signal(signal, SIG_DFL) }
  }

  private static let handler: @convention(c) (Int32) -> Void = { signal in
    TerminalRescue.restore()
    if let message = TerminalRescue.messages[signal] {
      message.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
    _ = Foundation.signal(signal, SIG_DFL)
    _ = raise(signal)
  }

  /// Writes the reset sequences and restores the saved modes.
  static func restore() {
    reset.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
    if hasSaved { _ = tcsetattr(0, TCSAFLUSH, &saved) }
  }
}
