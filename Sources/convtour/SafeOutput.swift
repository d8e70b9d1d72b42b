import ConvTourIO
@preconcurrency import Glibc

/// Standard output and error that never lose or misreport what was written:
///
/// - a closed pipe (`convtour trace all | head`) ends the program quietly with status 0, as
///   standard tools end, instead of dying of SIGPIPE;
/// - a failed write (`convtour check > /dev/full`) is reported on standard error and the status is
///   2, whatever the command would have returned, since its output is not all there;
/// - messages to standard error are written with plain `write(2)`, which cannot trap.
enum SafeOutput {
  /// Installed first thing in `main`: a write to a closed pipe ends the process at once, status 0.
  static func start() {
    signal(SIGPIPE, SafeOutput.closedPipe)
    _ = OutputFile.pending  // initialised before a handler can read it
    for ending in endings { signal(ending, SafeOutput.interrupted) }
  }

  /// The signals whose default action ends the process, as the tour's `TerminalSession.ending`
  /// (SIGPIPE apart: `closedPipe`). SIGQUIT's default would also dump core, and Swift's runtime
  /// answers it with a crash report and carries on; here it ends the run like the others.
  static let endings: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM]

  /// An ending signal outside the tour: no half-written file is left behind (the temporary file
  /// of a write under way is removed), then the signal's default action — for SIGQUIT, the exit
  /// status 128 + 3 the tour gives it, without a core dump or crash report. A run stopped so
  /// never goes on to write its outputs.
  private static let interrupted: @convention(c) (Int32) -> Void = { signal in
    OutputFile.removePending()
    if signal == SIGQUIT { _exit(128 + SIGQUIT) }
    _ = Glibc.signal(signal, SIG_DFL)
    _ = raise(signal)
  }

  /// A closed standard output ends the process quietly with status 0 — unless a file is being
  /// saved: then the signal is let pass and the save finishes (the next write to standard output
  /// raises SIGPIPE again and ends it), so a closed pipe never silently loses a requested file.
  private static let closedPipe: @convention(c) (Int32) -> Void = { _ in
    if OutputFile.pending != nil { return }
    _exit(0)
  }

  /// Flushes standard output and exits with `status`, or with 2 and one line saying why when some
  /// of the output could not be written.
  static func finish(status: Int32) -> Never {
    let output = stdout
    let flushed = fflush(output) == 0
    let reason = flushed ? nil : String(cString: strerror(errno))
    if !flushed || ferror(output) != 0 {
      printError("convtour: cannot write standard output: \(reason ?? "a write failed")")
      _exit(2)
    }
    exit(status)
  }
}

/// Writes one message line to standard error. Offending tokens longer than about 80 characters
/// (a 2,000,000-character number, a 50 MB tensor name) are shortened to their start and end with
/// a count, so that no error line grows with the input.
func printError(_ message: String) {
  let line = Quote.shortenLongTokens(message) + "\n"
  var bytes = Array(line.utf8)
  var done = 0
  while done < bytes.count {
    let written = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + done, $0.count - done) }
    if written < 0, errno == EINTR { continue }
    guard written > 0 else { return }  // standard error is gone: there is nowhere left to say so
    done += written
  }
}

/// Quoting what the user typed or what a file held, at a bounded length.
enum Quote {
  /// The longest token quoted whole.
  static let limit = 80

  /// `text` with every run of non-blank characters longer than `limit` cut to its first 60 and
  /// last 12 characters around "…(N characters)…".
  static func shortenLongTokens(_ text: String) -> String {
    guard text.count > limit else { return text }
    var result = ""
    var token = ""
    func flush() {
      if token.count > limit {
        result += "\(token.prefix(60))…(\(token.count) characters)…\(token.suffix(12))"
      } else {
        result += token
      }
      token = ""
    }
    for character in text {
      if character == " " || character == "\n" || character == "\t" {
        flush()
        result.append(character)
      } else {
        token.append(character)
      }
    }
    flush()
    return result
  }
}
