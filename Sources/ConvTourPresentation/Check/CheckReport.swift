import ConvTourLessons

/// `convtour check` output: each expectation and claim as pass, fail or erratum, as text or JSON.
public enum CheckReport {
  public static func text(_ results: [CheckResult], lessons: [Lesson]) -> String {
    var out: [String] = []
    for lesson in lessons {
      let own = results.filter { $0.lesson == lesson.id }
      out.append("\(lesson.id) — \(lesson.title)")
      for r in own {
        var e = r.expectation
        // A claim's text is the document's words, quoted as they are.
        e.text = e.isClaim ? "claim \(e.text)" : minusSigns(e.text)
        let cite = e.citation.map { "  (\($0))" } ?? ""
        let says = e.isClaim ? "document implies" : "document says"
        switch r.status {
        case .pass:
          out.append("  pass     \(e.text)\(cite)")
        case .fail:
          out.append("  FAIL     \(e.text)\(cite)")
          out.append(
            "           \(e.location): \(says) \(r.documented.text); computation gives \(r.computed.text)"
          )
          if !r.message.isEmpty { out.append("           \(r.message)") }
        case .invalid:
          out.append("  ERROR    \(e.text)\(cite)")
          out.append("           \(e.location): \(r.message)")
        case .erratum:
          out.append("  erratum  \(e.text)\(cite)")
          out.append("           \(says) \(r.documented.text); computation gives \(r.computed.text)")
          out.append("           why: \(r.message)")
        }
      }
    }
    out.append("")
    out.append(summary(results))
    return out.joined(separator: "\n") + "\n"
  }

  /// The lesson's own text with every minus of a number written as "−", as the computed
  /// values are: "o = -4 8 4" reads "o = −4 8 4". A hyphen inside a word stays.
  static func minusSigns(_ text: String) -> String {
    var out = ""
    var previous: Character = " "
    let characters = Array(text)
    for (k, ch) in characters.enumerated() {
      let next = k + 1 < characters.count ? characters[k + 1] : " "
      // An exponent's minus too: 1e-6 reads 1e−6.
      let exponent = previous == "e" && k >= 2 && characters[k - 2].isNumber
      // A binary minus between numbers: "−3 - 6Δ" reads "−3 − 6Δ".
      let binary =
        previous == " " && next == " " && k >= 2 && k + 2 < characters.count
        && characters[k - 2].isNumber && characters[k + 2].isNumber
      if ch == "-", binary {
        out.append("−")
        previous = ch
        continue
      }
      if ch == "-", next.isNumber || next == ".",
        exponent || !(previous.isLetter || previous.isNumber || previous == "_")
      {
        out.append("−")
      } else {
        out.append(ch)
      }
      previous = ch
    }
    return out
  }

  /// "230 passed, 0 failed, 45 errata; claims: 6 checked, 3 errata" (claims are counted in
  /// the first three too).
  public static func summary(_ results: [CheckResult]) -> String {
    let count = { (s: CheckResult.Status) in results.filter { $0.status == s }.count }
    let invalid = count(.invalid)
    let claims = results.filter(\.expectation.isClaim)
    let claimErrata = claims.filter { $0.status == .erratum }.count
    return "\(count(.pass)) passed, \(count(.fail)) failed, \(count(.erratum)) errata"
      + (invalid > 0 ? ", \(invalid) malformed" : "")
      + (claims.isEmpty ? "" : "; claims: \(claims.count) checked, \(claimErrata) errata")
  }

  public static func json(_ results: [CheckResult]) -> JSONValue {
    let count = { (s: CheckResult.Status) in results.filter { $0.status == s }.count }
    return .object([
      (
        "results",
        .array(
          results.map { r in
            .object([
              ("lesson", .string(r.lesson)), ("kind", .string(r.expectation.isClaim ? "claim" : "expect")),
              ("expectation", .string(r.expectation.text)),
              ("status", .string(r.status.rawValue)), ("documented", .string(r.documented.text)),
              ("computed", .string(r.computed.text)),
              ("citation", r.expectation.citation.map { .string($0) } ?? .null),
              ("erratum", r.expectation.erratum.map { .string($0) } ?? .null),
              ("message", .string(r.message)), ("location", .string(r.expectation.location.description)),
            ])
          })
      ),
      ("passed", .integer(count(.pass))), ("failed", .integer(count(.fail))),
      ("errata", .integer(count(.erratum))),
      ("claims", .integer(results.filter(\.expectation.isClaim).count)),
      ("claimErrata", .integer(results.filter { $0.expectation.isClaim && $0.status == .erratum }.count)),
    ])
  }
}
