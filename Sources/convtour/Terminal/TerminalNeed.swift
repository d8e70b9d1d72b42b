import Foundation

/// Why the full-screen tour cannot run here, in the words the overview prints: off a terminal, or
/// on one whose TERM cannot do what the tour needs (move the cursor, clear and redraw the screen).
enum TerminalNeed {
  static func whyNot(
    input: Bool = isatty(0) == 1, output: Bool = isatty(1) == 1,
    term: String? = ProcessInfo.processInfo.environment["TERM"]
  ) -> String {
    guard input, output else { return "Here, not on a terminal" }
    guard let term, !term.isEmpty else {
      return "Here TERM is not set: the terminal's type is unknown (set it, e.g. TERM=xterm-256color)"
    }
    return
      "Here TERM=\(term): a terminal that cannot move the cursor or redraw the screen, as the tour\n"
      + "needs (set TERM to your terminal's type, e.g. TERM=xterm-256color)"
  }
}
