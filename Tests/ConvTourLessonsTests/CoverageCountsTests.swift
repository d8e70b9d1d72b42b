import Foundation
import Testing

/// The counts at the top of Lessons/COVERAGE.md, one line per document —
/// `- 000: 118 results — 77 pass, 27 erratum, 1 claim, 1 claim-erratum, 12 none, 0 lacks` — are
/// those of its rows.
enum CoverageCounts {
  struct Count: Equatable, CustomStringConvertible {
    var pass = 0, erratum = 0, claim = 0, claimErratum = 0, none = 0, lacks = 0
    var results: Int { pass + erratum + claim + claimErratum + none + lacks }
    var description: String {
      "\(results) results — \(pass) pass, \(erratum) erratum, \(claim) claim, \(claimErratum) claim-erratum, "
        + "\(none) none, \(lacks) lacks"
    }
  }

  /// Per document, from the rows.
  static func count(_ rows: [CoverageRow]) -> [String: Count] {
    var counts: [String: Count] = [:]
    for row in rows {
      switch row.check {
      case .expectation(_, _, erratum: false): counts[row.document, default: Count()].pass += 1
      case .expectation(_, _, erratum: true): counts[row.document, default: Count()].erratum += 1
      case .claim(_, _, erratum: false): counts[row.document, default: Count()].claim += 1
      case .claim(_, _, erratum: true): counts[row.document, default: Count()].claimErratum += 1
      case .none: counts[row.document, default: Count()].none += 1
      case .lacks: counts[row.document, default: Count()].lacks += 1
      }
    }
    return counts
  }

  /// Per document, as the list's text states them: the lines `- DOC: …`.
  static func stated(_ text: String) -> [String: String] {
    var stated: [String: String] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("- 00") {
      let document = String(line.dropFirst(2).prefix(3))
      stated[document] = String(line.dropFirst(7))
    }
    return stated
  }
}

@Suite("Lessons/COVERAGE.md: the counts it states are its rows'")
struct CoverageCountsTests {
  @Test("each document's line of counts matches its rows")
  func countsMatchRows() throws {
    let text = try String(
      contentsOf: CoverageTests.lessons.appendingPathComponent("COVERAGE.md"), encoding: .utf8)
    let counts = CoverageCounts.count(Coverage.parseRows(text).rows)
    let stated = CoverageCounts.stated(text)
    #expect(Set(stated.keys) == ["000", "001", "002", "003"])
    for (document, count) in counts {
      #expect(stated[document] == count.description, "write: - \(document): \(count)")
    }
  }

  @Test("a stale count is caught")
  func staleCount() {
    let text = """
      - 001: 2 results — 2 pass, 0 erratum, 0 claim, 0 claim-erratum, 0 none, 0 lacks

      | doc | section | prints | check |
      | --- | --- | --- | --- |
      | 001 | 10.4.1 | a | pass softmax a |
      | 001 | 10.4.2 | b | erratum softmax b |
      | 001 | 10.4.2 | b has 3 rows | claim softmax rows(b) |
      | 001 | 10.4.2 | every row of b | claim-erratum softmax nonzero_rows(b) |
      | 001 | 10.4.3 | c | none: a definition |
      """
    let counts = CoverageCounts.count(Coverage.parseRows(text).rows)
    #expect(
      counts["001"]?.description
        == "5 results — 1 pass, 1 erratum, 1 claim, 1 claim-erratum, 1 none, 0 lacks")
    #expect(CoverageCounts.stated(text)["001"] != counts["001"]?.description)
  }
}
