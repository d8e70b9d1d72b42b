import Foundation
import Testing

/// Lessons/COVERAGE.md lists every result the four documents print, one table row each:
/// `| doc | section | what it prints | check |`. The check column is one of
/// - `pass LESSON SUBJECT`: lesson LESSON has an expectation on SUBJECT (the text before its
///   ` =`, ` shape`, ` ≈` or ` <`, e.g. `a[1, 2]`) that is not an erratum;
/// - `erratum LESSON SUBJECT`: the same, marked as an erratum;
/// - `claim LESSON SUBJECT` / `claim-erratum LESSON SUBJECT`: lesson LESSON has a `claim:` whose
///   predicate's left measure is SUBJECT (`count(o)`), borne out or refuted (with an erratum);
/// - `none: REASON`: no computation applies (a definition, prose, a claim with no number);
/// - `lacks: WHAT`: not computable yet, the lesson format lacks WHAT.
/// The lessons and the list are read as text, so this test checks the files as written.
struct CoverageRow: Equatable {
  enum Check: Equatable {
    case expectation(lesson: String, subject: String, erratum: Bool)
    case claim(lesson: String, subject: String, erratum: Bool)
    case none(String)
    case lacks(String)
  }
  var line: Int
  var document: String
  var section: String
  var check: Check
}

/// One `expect:` or `claim:` block of a lesson file.
struct LessonExpectation {
  var lesson: String
  var file: String
  var line: Int
  var subject: String
  var claim: String
  var cite: String?
  var erratum: Bool
  /// A `claim:` block: its subject is the left measure of its `implies:` or `denies:` line.
  var isClaim = false
}

enum Coverage {
  /// The section a citation or a coverage row names: a quoted heading ("Conv Layers") or a
  /// section number (12.2.8); nil when it names neither.
  static func sectionKey(_ text: String) -> String? {
    let t = text.trimmingCharacters(in: .whitespaces)
    if t.hasPrefix("\"") {
      let rest = t.dropFirst()
      guard let end = rest.firstIndex(of: "\"") else { return nil }
      return "\"" + rest[..<end] + "\""
    }
    let number = t.prefix { $0.isNumber || $0 == "." }
    let trimmed = number.hasSuffix(".") ? String(number.dropLast()) : String(number)
    return trimmed.isEmpty ? nil : trimmed
  }

  /// The tensor or element an expectation names: its text before ` shape`, ` =`, ` ≈` or ` <`.
  static func subject(of claim: String) -> String {
    let ends = [" shape", " =", " ≈", " <"].compactMap { claim.range(of: $0)?.lowerBound }
    return String(claim[..<(ends.min() ?? claim.endIndex)]).trimmingCharacters(in: .whitespaces)
  }

  /// The left measure of a claim's predicate: its text before the relation (` = `, ` ≠ `, …) that
  /// stands outside quoted text (`first_line(s, "net = ConvNet()")` is one measure).
  static func measure(of predicate: String) -> String {
    var quoted = false
    var end = predicate.endIndex
    for (index, character) in zip(predicate.indices, predicate) {
      if character == "\"" { quoted.toggle() }
      let rest = predicate[index...]
      if !quoted, [" =", " ≠", " <", " ≤", " >", " ≥"].contains(where: { rest.hasPrefix($0) }) {
        end = index
        break
      }
    }
    return String(predicate[..<end]).trimmingCharacters(in: .whitespaces)
  }

  /// The document (`000` … `003`) and section key of a citation; nil for a computed number.
  static func citedSection(_ cite: String) -> (document: String, section: String?)? {
    let t = cite.trimmingCharacters(in: .whitespaces)
    guard !t.lowercased().hasPrefix("computed") else { return nil }
    let document = String(t.prefix(3))
    guard let comma = t.firstIndex(of: ",") else { return (document, nil) }
    return (document, sectionKey(String(t[t.index(after: comma)...])))
  }

  static func parseRows(_ text: String) -> (rows: [CoverageRow], errors: [String]) {
    var rows: [CoverageRow] = []
    var errors: [String] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      guard line.hasPrefix("|"), !line.hasPrefix("| doc"), !line.hasPrefix("| ---") else { continue }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
        .map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count == 4 else {
        errors.append("line \(index + 1): expected 4 cells, found \(cells.count)")
        continue
      }
      guard ["000", "001", "002", "003"].contains(cells[0]) else {
        errors.append("line \(index + 1): document \(cells[0]) is not 000, 001, 002 or 003")
        continue
      }
      guard let section = sectionKey(cells[1]) else {
        errors.append("line \(index + 1): section \(cells[1]) is neither \"Heading\" nor a number")
        continue
      }
      guard !cells[2].isEmpty else {
        errors.append("line \(index + 1): says nothing about what the document prints")
        continue
      }
      let check = cells[3].replacingOccurrences(of: "`", with: "")
      let words = check.split(separator: " ").map(String.init)
      let parsed: CoverageRow.Check
      if check.hasPrefix("none:"), check.count > "none: ".count + 3 {
        parsed = .none(String(check.dropFirst(5)))
      } else if check.hasPrefix("lacks:"), check.count > "lacks: ".count + 3 {
        parsed = .lacks(String(check.dropFirst(6)))
      } else if words.count >= 3, words[0] == "pass" || words[0] == "erratum" {
        let subject = words[2...].joined(separator: " ")
        parsed = .expectation(lesson: words[1], subject: subject, erratum: words[0] == "erratum")
      } else if words.count >= 3, words[0] == "claim" || words[0] == "claim-erratum" {
        let subject = words[2...].joined(separator: " ")
        parsed = .claim(lesson: words[1], subject: subject, erratum: words[0] == "claim-erratum")
      } else {
        errors.append(
          "line \(index + 1): check \(cells[3]) is not pass/erratum/claim/claim-erratum LESSON SUBJECT, none: or lacks:"
        )
        continue
      }
      rows.append(CoverageRow(line: index + 1, document: cells[0], section: section, check: parsed))
    }
    return (rows, errors)
  }

  static func parseLesson(_ text: String, file: String) -> [LessonExpectation] {
    var id = file
    var found: [LessonExpectation] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = String(raw)
      if line.hasPrefix("id:") {
        id = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
      } else if line.hasPrefix("expect:") {
        let claim = line.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let subject = Coverage.subject(of: claim)
        found.append(
          LessonExpectation(
            lesson: id, file: file, line: index + 1, subject: subject, claim: claim, erratum: false))
      } else if line.hasPrefix("claim:") {
        let quote = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
        found.append(
          LessonExpectation(
            lesson: id, file: file, line: index + 1, subject: "", claim: quote, erratum: false, isClaim: true)
        )
      } else if let first = line.first, first == " " || first == "\t", !found.isEmpty {
        let t = line.trimmingCharacters(in: .whitespaces)
        if found[found.count - 1].isClaim, t.hasPrefix("implies:") || t.hasPrefix("denies:") {
          let predicate = t.drop { $0 != ":" }.dropFirst()
          found[found.count - 1].subject = measure(of: String(predicate))
        } else if t.hasPrefix("cite:"), found[found.count - 1].cite == nil {
          found[found.count - 1].cite = t.dropFirst(5).trimmingCharacters(in: .whitespaces)
        } else if t.hasPrefix("erratum:") {
          found[found.count - 1].erratum = true
        }
      } else if !line.hasPrefix("#"), !line.trimmingCharacters(in: .whitespaces).isEmpty {
        // another block opens: later indented lines no longer belong to the expectation.
        if !found.isEmpty, found[found.count - 1].line != -1 { found.append(placeholder) }
      }
    }
    return found.filter { $0.line != -1 }
  }

  private static let placeholder = LessonExpectation(
    lesson: "", file: "", line: -1, subject: "", claim: "", erratum: false)

  /// Every way the lessons and the list disagree, one line each.
  static func problems(rows: [CoverageRow], expectations: [LessonExpectation]) -> [String] {
    var problems: [String] = []
    let sections = Set(rows.map { $0.document + " " + $0.section })
    let lessons = Set(expectations.map(\.lesson))
    for e in expectations {
      let numeric = e.isClaim || !(e.claim.contains(" ≈ ") || e.claim.contains(" < "))
      guard let cite = e.cite else {
        if numeric { problems.append("\(e.file):\(e.line): expectation \(e.claim) has no cite:") }
        continue
      }
      guard let (document, section) = citedSection(cite) else { continue }
      guard let section else {
        problems.append("\(e.file):\(e.line): cite \(cite) names no section")
        continue
      }
      if !sections.contains(document + " " + section) {
        problems.append("\(e.file):\(e.line): cites \(document) \(section), which COVERAGE.md does not list")
      }
      if e.erratum {
        let row: CoverageRow.Check =
          e.isClaim
          ? .claim(lesson: e.lesson, subject: e.subject, erratum: true)
          : .expectation(lesson: e.lesson, subject: e.subject, erratum: true)
        if !rows.contains(where: { $0.check == row }) {
          problems.append(
            "\(e.file):\(e.line): \(e.isClaim ? "claim erratum" : "erratum") on \(e.subject) is not a COVERAGE.md row"
          )
        }
      }
    }
    for row in rows {
      let (lesson, subject, erratum, isClaim): (String, String, Bool, Bool)
      switch row.check {
      case .expectation(let l, let s, let e): (lesson, subject, erratum, isClaim) = (l, s, e, false)
      case .claim(let l, let s, let e): (lesson, subject, erratum, isClaim) = (l, s, e, true)
      case .none, .lacks: continue
      }
      guard lessons.contains(lesson) else {
        problems.append("COVERAGE.md:\(row.line): no lesson \(lesson)")
        continue
      }
      let match = expectations.contains {
        $0.lesson == lesson && $0.subject == subject && $0.erratum == erratum && $0.isClaim == isClaim
      }
      if !match {
        let kind = isClaim ? (erratum ? "claim erratum" : "claim") : (erratum ? "erratum" : "expectation")
        problems.append("COVERAGE.md:\(row.line): lesson \(lesson) has no \(kind) on \(subject)")
      }
    }
    return problems
  }
}

@Suite("Lessons/COVERAGE.md: every printed result and the lessons agree")
struct CoverageTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let lessons = root.appendingPathComponent("Lessons")

  static func load() throws -> (rows: [CoverageRow], errors: [String], expectations: [LessonExpectation]) {
    let text = try String(contentsOf: lessons.appendingPathComponent("COVERAGE.md"), encoding: .utf8)
    let (rows, errors) = Coverage.parseRows(text)
    let files = try FileManager.default.contentsOfDirectory(atPath: lessons.path).filter {
      $0.hasSuffix(".lesson")
    }
    .sorted()
    var expectations: [LessonExpectation] = []
    for file in files {
      let body = try String(contentsOf: lessons.appendingPathComponent(file), encoding: .utf8)
      expectations += Coverage.parseLesson(body, file: file)
    }
    return (rows, errors, expectations)
  }

  @Test("every row is well formed, and the list has rows for all four documents")
  func rowsParse() throws {
    let (rows, errors, _) = try Self.load()
    #expect(errors == [])
    #expect(Set(rows.map(\.document)) == ["000", "001", "002", "003"])
  }

  @Test("every cited section is listed, every row names a real expectation, every erratum is a row")
  func lessonsAndListAgree() throws {
    let (rows, _, expectations) = try Self.load()
    #expect(expectations.count > 100)
    #expect(Coverage.problems(rows: rows, expectations: expectations) == [])
  }

  @Test("claims: a listed claim matches, an unlisted claim erratum and a row with no such claim are found")
  func claimsCanFail() {
    let (rows, errors) = Coverage.parseRows(
      """
      | 001 | 11.1.2 | o has 3 outputs | claim forward count(o) |
      | 001 | 11.1.2 | Figure 11.1's | claim forward count(o_fig1) |
      | 001 | 11.1.2 | the same network | claim-erratum forward rows(o) |
      """)
    #expect(errors == [])
    let lesson = Coverage.parseLesson(
      """
      id: forward
      claim: "the latter has three output nodes"
        cite: 001_fccaba08b6e11e45.txt, 11.1.2 Multiple Output Nodes
        implies: count(o) = 3
      claim: "the sample runs"
        cite: 001_fccaba08b6e11e45.txt, 11.1.2 Multiple Output Nodes
        implies: first_line(s, "n = N()") < first_line(s, "n.p")
      claim: "the neural network in Figure 11.1"
        cite: 001_fccaba08b6e11e45.txt, 11.1.2 Multiple Output Nodes
        denies: count(o) ≠ count(o_fig1)
        erratum: Figure 11.2's
      """, file: "f.lesson")
    #expect(lesson.map(\.subject) == ["count(o)", "first_line(s, \"n = N()\")", "count(o)"])
    #expect(lesson.allSatisfy { $0.isClaim })
    let problems = Coverage.problems(rows: rows, expectations: lesson)
    #expect(problems.count == 3, "\(problems)")
    #expect(
      problems.contains { $0.contains("f.lesson:8: claim erratum on count(o) is not a COVERAGE.md row") })
    #expect(problems.contains { $0.contains("has no claim on count(o_fig1)") })
    #expect(problems.contains { $0.contains("has no claim erratum on rows(o)") })
  }

  @Test("the check finds an unlisted section, a missing expectation, an unlisted erratum, a missing cite")
  func checkCanFail() {
    let (rows, errors) = Coverage.parseRows(
      """
      | doc | section | prints | check |
      | --- | --- | --- | --- |
      | 001 | 10.4.1 Softmax | a = 0.84 0.04 0.11 | pass softmax a |
      | 001 | 10.4.1 | a[9] | pass softmax a[9] |
      | 000 | "Conv Layers" | z shape | pass nolesson z |
      | 002 | Figure 3 | x | pass softmax a |
      | 003 | "Intro" | y | maybe |
      """)
    #expect(errors.count == 2)
    let lesson = Coverage.parseLesson(
      """
      id: softmax
      expect: a = 0.84 0.04 0.11 ± 0.005
        cite: 001_fccaba08b6e11e45.txt, 10.4.1 Softmax Function
      expect: L = 4.02
        cite: 001_fccaba08b6e11e45.txt, 11.2.3 Training Loss
        erratum: the book takes class 3
      expect: n = 3
      expect: g ≈ h
      expect: m = 1
        cite: computed (the book prints no answer)
      """, file: "s.lesson")
    #expect(lesson.map(\.subject) == ["a", "L", "n", "g", "m"])
    #expect(lesson[1].erratum && !lesson[0].erratum)
    let problems = Coverage.problems(rows: rows, expectations: lesson)
    #expect(problems.count == 5)
    #expect(problems.contains { $0.contains("001 11.2.3, which COVERAGE.md does not list") })
    #expect(problems.contains { $0.contains("erratum on L is not a COVERAGE.md row") })
    #expect(problems.contains { $0.contains("n = 3 has no cite:") })
    #expect(problems.contains { $0.contains("no lesson nolesson") })
    #expect(problems.contains { $0.contains("has no expectation on a[9]") })
  }
}
