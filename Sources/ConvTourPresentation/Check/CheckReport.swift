import ConvTourLessons

/// `convtour check` output: each expectation as pass, fail or erratum, as text or JSON.
public enum CheckReport {
  public static func text(_ results: [CheckResult], lessons: [Lesson]) -> String {
    var out: [String] = []
    for lesson in lessons {
      let own = results.filter { $0.lesson == lesson.id }
      out.append("\(lesson.id) — \(lesson.title)")
      for r in own {
        let e = r.expectation
        let cite = e.citation.map { "  (\($0))" } ?? ""
        switch r.status {
        case .pass:
          out.append("  pass     \(e.text)\(cite)")
        case .fail:
          out.append("  FAIL     \(e.text)\(cite)")
          out.append(
            "           \(e.location): document says \(r.documented); computation gives \(r.computed)")
          if !r.message.isEmpty { out.append("           \(r.message)") }
        case .invalid:
          out.append("  ERROR    \(e.text)\(cite)")
          out.append("           \(e.location): \(r.message)")
        case .erratum:
          out.append("  erratum  \(e.text)\(cite)")
          out.append("           document says \(r.documented); computation gives \(r.computed)")
          out.append("           why: \(r.message)")
        }
      }
    }
    out.append("")
    out.append(summary(results))
    return out.joined(separator: "\n") + "\n"
  }

  public static func summary(_ results: [CheckResult]) -> String {
    let count = { (s: CheckResult.Status) in results.filter { $0.status == s }.count }
    let invalid = count(.invalid)
    return "\(count(.pass)) passed, \(count(.fail)) failed, \(count(.erratum)) errata"
      + (invalid > 0 ? ", \(invalid) malformed" : "")
  }

  public static func json(_ results: [CheckResult]) -> JSONValue {
    let count = { (s: CheckResult.Status) in results.filter { $0.status == s }.count }
    return .object([
      (
        "results",
        .array(
          results.map { r in
            .object([
              ("lesson", .string(r.lesson)), ("expectation", .string(r.expectation.text)),
              ("status", .string(r.status.rawValue)), ("documented", .string(r.documented)),
              ("computed", .string(r.computed)),
              ("citation", r.expectation.citation.map { .string($0) } ?? .null),
              ("erratum", r.expectation.erratum.map { .string($0) } ?? .null),
              ("message", .string(r.message)), ("location", .string(r.expectation.location.description)),
            ])
          })
      ),
      ("passed", .integer(count(.pass))), ("failed", .integer(count(.fail))),
      ("errata", .integer(count(.erratum))),
    ])
  }
}
