import ConvTourEngine
import Testing

@testable import ConvTourLessons

/// A small run to decide claims on: v = (1, 0, −2), M = [[0, 0], [3, 0]] (one nonzero row),
/// s = Σv = −1, a shape-only S, and a two-line listing.
let claimBase = """
  tensor v [3] = 1 0 -2
  tensor M [2, 2] = 0 0 3 0
  tensor S [4, 5] = shape
  step: Sum
    run: s = sum(v)
  listing init
    cite: 001_fccaba08b6e11e45.txt, 12.4
    line: self.fc1 = nn.Linear(400, 120)
    line: self.fc2 = nn.Linear(120, 10)

  """

/// The check of one claim deciding by `line` (an `implies:` or `denies:` line) over `claimBase`.
func claimResult(_ line: String, erratum: String? = nil) throws -> CheckResult {
  let body =
    claimBase + "claim: \"the document's words\"\n  cite: 001_fccaba08b6e11e45.txt, 12.4\n  \(line)\n"
    + (erratum.map { "  erratum: \($0)\n" } ?? "")
  let r = try run(body)
  return Checker.check(try #require(r.lesson.expectations.last), in: r)
}

@Suite("Claims: a statement of a document, decided by a computed predicate")
struct ClaimTests {
  @Test("a claim parses into its quote, citation, predicate and the verdict the document implies")
  func parses() throws {
    let lesson = try LessonParser.parse(
      header + claimBase + """
        claim: "only the third row is updated"
          cite: 000_ce8e000b1bb3a7a9.txt, "Backprop for the Softmax Layer"
          denies: nonzero_rows(M) = rows(M)
          erratum: every row is
        """, file: "demo.lesson")
    let claim = try #require(lesson.expectations.last)
    #expect(claim.isClaim)
    #expect(claim.text == "\"only the third row is updated\"")
    #expect(claim.citation == "000_ce8e000b1bb3a7a9.txt, \"Backprop for the Softmax Layer\"")
    #expect(claim.erratum == "every row is")
    guard case .statement(let predicate, let implied) = claim.claim else {
      Issue.record("expected a statement")
      return
    }
    #expect(!implied)
    #expect(predicate == Predicate(left: .nonzeroRows("M"), relation: .equal, right: .measure(.rows("M"))))
    #expect(claim.impliedPredicate?.description == "nonzero_rows(M) ≠ rows(M)")
    #expect(lesson.listings.map(\.name) == ["init"])
    #expect(lesson.listings[0].lines == ["self.fc1 = nn.Linear(400, 120)", "self.fc2 = nn.Linear(120, 10)"])
  }

  @Test(
    "each measure decides: it passes when the predicate holds and fails when it does not",
    arguments: [
      ("implies: count(v) = 3", CheckResult.Status.pass), ("implies: count(v) = 2", .fail),
      ("implies: count(S) = 20", .pass), ("implies: count(S) < 20", .fail),
      ("implies: rows(M) = 2", .pass), ("implies: rows(M) ≥ 3", .fail),
      ("implies: nonzero(v) = 2", .pass), ("implies: nonzero(v) = 3", .fail),
      ("implies: nonzero_rows(M) = 1", .pass), ("implies: nonzero_rows(M) = rows(M)", .fail),
      ("implies: s = -1", .pass), ("implies: s > 0", .fail),
      ("implies: v[3] ≤ -2", .pass), ("implies: v[3] ≠ -2", .fail),
      ("implies: s = -1.05 ± 0.1", .pass), ("implies: s = -1.05 ± 0.01", .fail),
      ("implies: lines(init, nn.Linear) = 2", .pass), ("implies: lines(init, nn.ReLU) ≥ 1", .fail),
      ("denies: nonzero_rows(M) = rows(M)", .pass), ("denies: count(v) > nonzero(v)", .fail),
      ("implies: lines(init, \"(120, 10)\") = 1", .pass),
      ("implies: lines(init, \"nn.Linear(120\") = 2", .fail),
      ("implies: first_line(init, \"nn.Linear(400\") < first_line(init, fc2)", .pass),
      ("implies: first_line(init, fc2) = 1", .fail),
    ])
  func decides(line: String, status: CheckResult.Status) throws {
    let result = try claimResult(line)
    #expect(result.status == status, "\(line): \(result.computed)")
    guard case .measured(_, _, let holds) = result.computed else {
      Issue.record("expected the measures of \(line)")
      return
    }
    #expect(holds == (status == .pass))
  }

  @Test("a refuted claim with an erratum is an erratum; an erratum on a claim that holds fails")
  func errata() throws {
    let refuted = try claimResult("implies: lines(init, nn.ReLU) ≥ 1", erratum: "F.relu, not nn.ReLU")
    #expect(refuted.status == .erratum)
    #expect(refuted.message == "F.relu, not nn.ReLU")
    #expect(refuted.documented == .predicate("lines(init, nn.ReLU) ≥ 1"))
    #expect(refuted.computed == .measured(names: ["lines(init, nn.ReLU)"], values: [0], holds: false))
    let stale = try claimResult("implies: lines(init, nn.Linear) = 2", erratum: "stale")
    #expect(stale.status == .fail)
    #expect(stale.message.contains("the computation agrees with the document"))
  }

  @Test("a measure that cannot be taken makes the claim malformed, saying why")
  func invalid() throws {
    let shapeOnly = try claimResult("implies: nonzero(S) = 0")
    #expect(shapeOnly.status == .invalid)
    #expect(shapeOnly.message == "nonzero(S): S is declared by shape only: it has no values")
    let notScalar = try claimResult("implies: v = 1")
    #expect(notScalar.status == .invalid)
    #expect(notScalar.message.contains("v has 3 elements"))
    let outside = try claimResult("implies: v[4] = 1")
    #expect(outside.status == .invalid)
    let absent = try claimResult("implies: first_line(init, nn.ReLU) = 1")
    #expect(absent.status == .invalid)
    #expect(absent.message == "first_line(init, nn.ReLU): no line of init contains nn.ReLU")
  }

  @Test("a claim is shown at the step that writes the last tensor it reads; on listings, above it")
  func decidingStep() throws {
    let r = try run(
      claimBase + """
        claim: "the sum is negative"
          cite: 001_fccaba08b6e11e45.txt, 12.4
          implies: s < 0
        claim: "two layers"
          cite: 001_fccaba08b6e11e45.txt, 12.4
          implies: lines(init, nn.Linear) = 2
        claim: "v has three elements"
          cite: 001_fccaba08b6e11e45.txt, 12.4
          implies: count(v) = 3
        """)
    #expect(r.lesson.expectations.map(r.stepDeciding) == [1, 1, 0])
    let first = try run(
      """
      listing init
        cite: 001_fccaba08b6e11e45.txt, 12.4
        line: self.fc1 = nn.Linear(400, 120)
      claim: "one layer"
        cite: 001_fccaba08b6e11e45.txt, 12.4
        implies: lines(init, nn.Linear) = 1
      tensor v [3] = 1 0 -2
      step: Sum
        run: s = sum(v)
      """)
    #expect(first.lesson.expectations.map(first.stepDeciding) == [0])
  }

  @Test("a malformed claim or listing is reported at its line, saying what was expected")
  func malformed() {
    let cite = "  cite: 001_fccaba08b6e11e45.txt, 12.4\n"
    let v = "tensor v [3] = 1 0 -2\n"
    expectMalformed(
      v + "claim: \"x\"\n" + cite, at: 2, 1, "expected an `implies: PREDICATE` or `denies: PREDICATE`")
    expectMalformed(v + "claim: \"x\"\n  implies: count(v) = 3\n", at: 2, 1, "expected a `cite:` line")
    expectMalformed(
      v + "claim: \"x\"\n" + cite + "  implies: count(v) = 3\n  denies: count(v) = 2\n", at: 5, 3,
      "one `implies:` or one `denies:`, not both")
    expectMalformed(v + "claim:\n" + cite + "  implies: count(v) = 3\n", at: 2, 1, "the document's words")
    expectMalformed(
      v + "claim: \"x\"\n" + cite + "  implies: size(v) = 3\n", at: 4, 12, "unknown measure \"size\"")
    expectMalformed(
      v + "claim: \"x\"\n" + cite + "  implies: count(w) = 3\n", at: 2, 8, "unknown tensor \"w\"")
    expectMalformed(v + "claim: \"x\"\n" + cite + "  implies: count(v) 3\n", at: 4, 21, "one of = ≠ < ≤ > ≥")
    expectMalformed(
      v + "claim: \"x\"\n" + cite + "  implies: count(v) = \n", at: 4, 23, "a number or a measure")
    expectMalformed(
      v + "claim: \"x\"\n" + cite + "  implies: lines(code, nn.ReLU) = 0\n", at: 2, 8,
      "unknown listing \"code\"")
    expectMalformed(
      v + "listing code\n" + cite + "  line: x = 1\nclaim: \"x\"\n" + cite + "  implies: count(code) = 1\n",
      at: 5,
      8, "code is a listing")
    let listed = v + "listing code\n" + cite + "  line: x = 1\nclaim: \"x\"\n" + cite
    expectMalformed(listed + "  implies: lines(code, \"x = ) ≥ 1\n", at: 7, 24, "expected a closing \"")
    expectMalformed(
      listed + "  implies: lines(code, \"\") ≥ 1\n", at: 7, 24, "the word or \"text\" to look for")
    expectMalformed(v + "listing code\n" + cite, at: 2, 9, "expected the listing's lines")
    expectMalformed(v + "listing code\n  line: x = 1\n", at: 2, 9, "expected a `cite:` line")
    expectMalformed(v + "listing v\n" + cite + "  line: x = 1\n", at: 2, 9, "v is already defined at line 4")
  }
}
