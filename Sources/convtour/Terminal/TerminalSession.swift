import CNcurses
import ConvTourPresentation
import Dispatch
import Foundation

/// The ncurses edge: it starts curses, turns key codes into `Key`s, and copies a rendered
/// `Screen` to the terminal. Nothing else happens here; the screen is built elsewhere.
@MainActor
final class TerminalSession {
  let capabilities: Capabilities
  private var previous: Screen?
  private var pairs: [Style.Color: [Style.Color: Int16]] = [:]
  private var nextPair: Int16 = 1

  /// The terminating signal received (SIGTERM, SIGHUP, SIGINT, SIGQUIT, …), if any.
  var terminatingSignal: Int32? { SignalFlag.value }

  /// Whether a full-screen tour can run here: standard input and output are terminals and TERM
  /// names a terminal ncurses knows (not unset, not dumb).
  static func interactive() -> Bool {
    guard isatty(0) == 1, isatty(1) == 1 else { return false }
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    return !term.isEmpty && term != "dumb"
  }

  /// Starts curses, or returns nil when the terminal is unknown (newterm fails).
  init?() {
    setlocale(LC_ALL, "")
    let unicode = ct_utf8() != 0
    TerminalRescue.install()
    guard ct_newterm() != nil else {
      TerminalRescue.uninstall()
      return nil
    }
    raw()  // Ctrl-C arrives as a key, so quitting always restores the terminal
    noecho()
    keypad(ct_stdscr(), true)
    set_escdelay(25)
    curs_set(0)
    let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    var color = false
    if !noColor, has_colors() {
      start_color()
      use_default_colors()
      color = true
    }
    capabilities = Capabilities(color: color, unicode: unicode, colors256: color && ct_colors() >= 256)
    // Every signal whose default action would end the tour: noted on a background queue; the
    // tour's loop sees it within a quarter second, leaves, and the terminal is restored as on q.
    // (Fatal signals restore the terminal in TerminalRescue; SIGTSTP and SIGCONT are curses'.)
    Self.watch()
  }

  /// The signals that end the tour in order: the terminal is restored, then the process exits
  /// with 128 + the signal's number.
  nonisolated static let ending: [Int32] = [
    SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE,
  ]

  /// The handlers the `ending` signals had before `watch` (SafeOutput's: no half-written file,
  /// SIGQUIT an exit of 131 without a core dump), put back by `unwatch`.
  private static var replaced: [Int32: sigaction] = [:]

  /// Installs a handler for each of the `ending` signals that notes it in `SignalFlag` (and
  /// interrupts the wait for a key, so the loop sees it at once), keeping the ones it replaces.
  static func watch() {
    _ = SignalFlag.value  // initialised before any handler can run
    for signal in ending {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = SignalFlag.handler
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0
      var old = sigaction()
      if sigaction(signal, &action, &old) == 0, replaced[signal] == nil { replaced[signal] = old }
    }
  }

  /// Puts back the handlers `watch` replaced once the terminal is restored: what runs after the
  /// tour (the flush of standard output, the exit) answers a signal as the rest of the program
  /// does — not SIGQUIT's default core dump, nor a SIGPIPE noted for a loop that has ended.
  static func unwatch() {
    for (signal, old) in replaced {
      var action = old
      _ = sigaction(signal, &action, nil)
    }
    replaced = [:]
  }

  /// Ends curses: the terminal is as it was.
  func close() {
    endwin()
    Self.unwatch()
    TerminalRescue.uninstall()
  }

  var size: (width: Int, height: Int) { (Int(ct_columns()), Int(ct_lines())) }

  /// How many reads in a row returned no key long before their timeout.
  private var quickMisses = 0

  /// Whether the terminal has gone away (a closed pty answers every read at once, with nothing).
  var disconnected: Bool { quickMisses > 200 }

  /// The next key, or nil after `timeout` milliseconds without one (and on a resize, which
  /// only needs a redraw).
  func key(timeout: Int32) -> Key? {
    wtimeout(ct_stdscr(), timeout)
    var ch: wint_t = 0
    let start = DispatchTime.now()
    let kind = wget_wch(ct_stdscr(), &ch)
    if kind == ERR {
      let waited = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
      quickMisses = waited < Double(timeout) / 4 ? quickMisses + 1 : 0
      return nil
    }
    quickMisses = 0
    let code = Int32(ch)
    if kind == KEY_CODE_YES {
      switch code {
      case KEY_UP: return .up
      case KEY_DOWN: return .down
      case KEY_LEFT: return .left
      case KEY_RIGHT: return .right
      case KEY_HOME: return .home
      case KEY_END: return .end
      case KEY_NPAGE: return .pageDown
      case KEY_PPAGE: return .pageUp
      case KEY_ENTER: return .enter
      case KEY_BTAB: return .backTab
      case KEY_BACKSPACE: return .backspace
      default: return nil  // KEY_RESIZE and the rest: redraw
      }
    }
    switch code {
    case 27: return .escape
    case 10, 13: return .enter
    case 9: return .tab
    case 8, 127: return .backspace
    case 3, 4: return .character("q")  // Ctrl-C, Ctrl-D: quit
    case 26:  // Ctrl-Z (a key in raw mode): suspend as the shell's job control expects
      suspend()
      return nil
    default:
      guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
      return .character(Character(scalar))
    }
  }

  /// Stops the process as SIGTSTP would: curses' own handler leaves the screen, stops, and on
  /// SIGCONT restores the terminal's modes; the next frame is then drawn in full.
  func suspend() {
    endwin()
    _ = raise(SIGTSTP)
    refresh()
    previous = nil
  }

  /// Copies the cells that changed since the last frame to the terminal.
  func show(_ screen: Screen) {
    let full = previous == nil || previous!.width != screen.width || previous!.height != screen.height
    if full { erase() }
    for row in 0..<screen.height {
      for column in 0..<screen.width {
        let cell = screen[row, column]
        if !full, previous![row, column] == cell { continue }
        let wide = cell.character.unicodeScalars.first.map { Int32(bitPattern: $0.value) } ?? 32
        _ = ct_put(Int32(row), Int32(column), wide, attributes(cell.style), pair(cell.style))
      }
    }
    refresh()
    previous = screen
  }

  func attributes(_ style: Style) -> attr_t {
    var attrs = ct_normal()
    if style.bold { attrs |= ct_bold() }
    if style.reverse { attrs |= ct_reverse() }
    if style.underline { attrs |= ct_underline() }
    return attrs
  }

  /// The colour pair of a style's colours (0, the terminal's own, without colour).
  func pair(_ style: Style) -> Int16 {
    guard capabilities.color, style.foreground != .none || style.background != .none else { return 0 }
    if let known = pairs[style.foreground]?[style.background] { return known }
    guard Int(nextPair) < Int(ct_color_pairs()) else { return 0 }
    init_pair(nextPair, Int16(style.foreground.rawValue), Int16(style.background.rawValue))
    pairs[style.foreground, default: [:]][style.background] = nextPair
    nextPair += 1
    return nextPair - 1
  }
}

/// The last ending signal received, set by its handler and read by the tour's loop. An aligned
/// 32-bit store is atomic here; the handler does nothing else (async-signal-safe).
enum SignalFlag {
  nonisolated(unsafe) private static var received: Int32 = 0

  static let handler: @convention(c) (Int32) -> Void = { signal in SignalFlag.received = signal }

  static var value: Int32? { received == 0 ? nil : received }
}
