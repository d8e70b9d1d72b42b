import Foundation
import Testing

@testable import convtour

/// After the tour the ending signals are answered as before it (SafeOutput's handlers), not by
/// their defaults: SIGQUIT's default dumps core where SafeOutput exits with 131.
@Suite("Signal handlers after the tour")
struct TourSignalRestoreTests {
  /// The address of the handler `signal` has now (0 for the default).
  static func handler(_ signal: Int32) -> Int {
    var current = sigaction()
    _ = sigaction(signal, nil, &current)
    return current.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) } ?? 0
  }

  static let ignored = unsafeBitCast(SIG_IGN, to: Int.self)

  @Test("unwatch puts back the handlers watch replaced, SIGQUIT's and SIGPIPE's among them")
  @MainActor
  func handlersRestored() {
    let signals = [SIGQUIT, SIGPIPE, SIGUSR2]
    var saved: [Int32: sigaction] = [:]
    for s in signals {
      var old = sigaction()
      var ignore = sigaction()
      ignore.__sigaction_handler.sa_handler = SIG_IGN
      _ = sigaction(s, &ignore, &old)
      saved[s] = old
    }
    defer {
      for (s, old) in saved {
        var action = old
        _ = sigaction(s, &action, nil)
      }
    }
    // SIG_IGN stands for the handlers there before the tour (SafeOutput's, in the program).
    TerminalSession.watch()
    for s in signals { #expect(Self.handler(s) != Self.ignored, "signal \(s) not watched") }
    TerminalSession.unwatch()
    for s in signals { #expect(Self.handler(s) == Self.ignored, "signal \(s) after the tour") }
  }
}
