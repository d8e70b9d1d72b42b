import ConvTourLessons
import Foundation
import Testing

@testable import ConvTourPresentation

/// Claims as `check`, the traces and the tour show them: the quote, what the document implies,
/// what the computation gives, and the verdict; counted in check's summary.
@Suite("Claims in check's report, the traces and the tour")
struct ClaimPresentationTests {
  /// v = (1, 0, −2), its sum s = −1; one claim that holds, one refuted with an erratum, and
  /// (when `failing`) one refuted with none.
  func run(failing: Bool = false) throws -> LessonRun {
    var text = """
      id: claims
      title: Claims
      source: 001_fccaba08b6e11e45.txt, 12.4
      tensor v [3] = 1 0 -2
      step: Sum
        run: s = sum(v)
      claim: "v has two nonzero entries"
        cite: 001_fccaba08b6e11e45.txt, 12.4
        implies: nonzero(v) = 2
      claim: "the sum is positive"
        cite: 001_fccaba08b6e11e45.txt, 12.4
        implies: s > 0
        erratum: 1 + 0 − 2 = −1
      """
    if failing {
      text += "\nclaim: \"every entry is nonzero\"\n  cite: 001_fccaba08b6e11e45.txt, 12.4\n"
      text += "  implies: nonzero(v) = count(v)\n"
    }
    return try LessonRun(LessonParser.parse(text, file: "claims.lesson"))
  }

  @Test("check's text: the claim, what the document implies and the computation gives; counted")
  func reportText() throws {
    let r = try run()
    let text = CheckReport.text(Checker.check(r), lessons: [r.lesson])
    #expect(text.contains("  pass     claim \"v has two nonzero entries\"  (001_fccaba08b6e11e45.txt, 12.4)"))
    #expect(text.contains("  erratum  claim \"the sum is positive\""))
    #expect(text.contains("document implies s > 0; computation gives s = −1, so it does not hold"))
    #expect(text.contains("why: 1 + 0 − 2 = −1"))
    #expect(text.hasSuffix("1 passed, 0 failed, 1 errata; claims: 2 checked, 1 errata\n"))
  }

  @Test("check's text: a refuted claim with no erratum fails and says where")
  func reportFailure() throws {
    let r = try run(failing: true)
    let text = CheckReport.text(Checker.check(r), lessons: [r.lesson])
    #expect(text.contains("  FAIL     claim \"every entry is nonzero\""))
    #expect(text.contains("claims.lesson:14:8: document implies nonzero(v) = count(v)"))
    #expect(text.contains("nonzero(v) = 2, count(v) = 3, so it does not hold"))
    #expect(text.hasSuffix("1 passed, 1 failed, 1 errata; claims: 3 checked, 1 errata\n"))
  }

  @Test("check's JSON: each result's kind, and the claims and claim errata counted")
  func reportJSON() throws {
    let r = try run()
    let data = Data(CheckReport.json(Checker.check(r)).rendered().utf8)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let results = try #require(object["results"] as? [[String: Any]])
    #expect(results.map { $0["kind"] as? String } == ["claim", "claim"])
    #expect(results[1]["documented"] as? String == "s > 0")
    #expect(object["claims"] as? Int == 2)
    #expect(object["claimErrata"] as? Int == 1)
  }

  @Test("traces: each claim after the step that decides it, with its verdict; JSON too")
  func traces() throws {
    let r = try run()
    let text = try TextTrace().render(r)
    let lines = text.split(separator: "\n").map(String.init)
    let headline = try #require(lines.firstIndex { $0.hasPrefix("  claim \"the sum is positive\"") })
    #expect(
      lines[headline + 1].hasPrefix("    erratum: the document implies s > 0; the computation gives s = −1"))
    let step1 = try #require(lines.firstIndex { $0.hasPrefix("Step 1 of 1") })
    let zeroClaim = try #require(lines.firstIndex { $0.hasPrefix("  claim \"v has two nonzero entries\"") })
    #expect(zeroClaim < step1 && headline > step1)
    let data = Data(try JSONTrace().value(r).rendered().utf8)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let steps = try #require(object["steps"] as? [[String: Any]])
    let claims = try #require(steps[1]["claims"] as? [[String: Any]])
    #expect(claims.map { $0["status"] as? String } == ["erratum"])
    #expect(claims.first?["implies"] as? String == "s > 0")
    #expect((steps[0]["claims"] as? [[String: Any]])?.first?["status"] as? String == "pass")
  }

  @Test("the tour: the step that decides a claim shows the quote and its verdict, an erratum in red")
  func tour() throws {
    var state = TourState(lessons: TourViewTests.lessons)
    let opened = state.open(id: "forward-propagation")
    #expect(opened)
    let run = try #require(state.lesson.run)
    let claim = try #require(run.lesson.expectations.first { $0.isClaim && $0.erratum != nil })
    state.lesson.go(to: run.stepDeciding(claim))
    let screen = TourView.render(state, width: 160, height: 48, capabilities: Capabilities())
    let text = screen.text
    #expect(text.contains("claim \"Example 11.1.2. If the provided input vector"))
    let row = try #require(
      (0..<screen.height).first { screen.text(row: $0).contains("erratum: the document implies count(o) =") })
    let column = try #require(screen.text(row: row).range(of: "erratum:")).lowerBound
    let offset = screen.text(row: row).distance(from: screen.text(row: row).startIndex, to: column)
    #expect(screen[row, offset].style == .erratum)
    #expect(text.contains("holds: the document implies count(o) = 3"))
    // A step that decides no claim shows none.
    state.lesson.go(to: 1)
    #expect(
      !TourView.render(state, width: 160, height: 48, capabilities: Capabilities()).text.contains("claim \""))
  }

  @Test("the tour: a claim on a listing comes after the listing's lines, at the step above it")
  func tourListing() throws {
    var state = TourState(lessons: TourViewTests.lessons)
    let opened = state.open(id: "textbook-chapter12-walks")
    #expect(opened)
    let run = try #require(state.lesson.run)
    let claim = try #require(run.lesson.expectations.first { $0.isClaim && $0.erratum != nil })
    let step = run.stepDeciding(claim)
    #expect(step > 0 && run.records[step - 1].step.location.line < claim.location.line)
    state.lesson.go(to: step)
    let notes = LessonView.notes(state, record: state.lesson.record, width: 100).map(\.text)
    let listing = try #require(notes.firstIndex { $0.hasPrefix("listing convnet_init") })
    let constructor = try #require(notes.firstIndex { $0.contains("self.fc1 = nn.Linear(16*5*5, 120)") })
    let quote = try #require(notes.firstIndex { $0.contains("the nn.ReLU class\"") })
    #expect(listing < constructor && constructor < quote)
    #expect(notes.contains { $0.contains("erratum: the document implies lines(convnet_init, nn.ReLU) ≥ 1") })
  }
}
