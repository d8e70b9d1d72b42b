import ConvTourLessons

/// A claim of a document and its verdict, in words, for traces and the tour: the quote with its
/// citation, then what the document implies, what the computation gives and what follows.
public enum ClaimText {
  /// The lesson's claims, each with its check, by the step that decides it (0: the declared
  /// tensors and listings).
  public static func byStep(_ run: LessonRun) -> [Int: [CheckResult]] {
    Dictionary(
      grouping: run.lesson.expectations.filter(\.isClaim).map { Checker.check($0, in: run) },
      by: { run.stepDeciding($0.expectation) })
  }

  /// `claim "…" (cite)`.
  public static func headline(_ r: CheckResult) -> String {
    "claim \(r.expectation.text)" + (r.expectation.citation.map { "  (\($0))" } ?? "")
  }

  /// "erratum: the document implies …; the computation gives …, so it does not hold — why".
  public static func verdict(_ r: CheckResult) -> String {
    let sides = "the document implies \(r.documented.text); the computation gives \(r.computed.text)"
    switch r.status {
    case .pass: return "holds: " + sides
    case .erratum: return "erratum: " + sides + " — " + r.message
    case .fail: return "FAIL: " + sides + (r.message.isEmpty ? "" : " — " + r.message)
    case .invalid: return "ERROR: \(r.expectation.location): \(r.message)"
    }
  }

  /// The check as a JSON object: the quote, citation, the predicate implied, what was computed,
  /// the status and the erratum's reason.
  static func json(_ r: CheckResult) -> JSONValue {
    .object([
      ("claim", .string(r.expectation.text)),
      ("citation", r.expectation.citation.map { .string($0) } ?? .null),
      ("implies", .string(r.documented.text)), ("computed", .string(r.computed.text)),
      ("status", .string(r.status.rawValue)),
      ("erratum", r.expectation.erratum.map { .string($0) } ?? .null),
      ("location", .string(r.expectation.location.description)),
    ])
  }
}
