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
  /// The section cell as written (`11.1.3 Matrix Notation (W^(1) ∈ R^(2×3))`).
  var sectionCell = ""
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
      rows.append(
        CoverageRow(
          line: index + 1, document: cells[0], section: section, check: parsed, sectionCell: cells[1]))
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

/// The sections of one of the four documents in ../shared/seeds/, as a citation names them:
/// - 000, 002 and 003 by a quoted heading: the text of a line starting with `#` (`## Conv Layers`),
///   or that text without a parenthesised tail (`"Casting the Bias"` for `### Casting the Bias
///   ($\textbf{b}^{[1]}$)`); the front matter's `title:` heads the text before the first `#`;
/// - 001 by number: a line that starts with a section number and its title (`12.2.8 Designing a
///   Convolutional Network`), or a chapter number alone on its line (`10`), titled by the next
///   line that is not empty. A citation that goes on from the number with a word
///   (`11.1.3 Matrix Notation, Example 11.1.3`) starts with that title.
struct DocumentSections {
  var file: String
  /// 000, 002, 003: the names a quoted heading may take.
  var headings: Set<String> = []
  /// 001: each section number's title.
  var numbered: [String: String] = [:]

  static func parse(_ text: String, file: String) -> DocumentSections {
    var sections = DocumentSections(file: file)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard file.hasPrefix("001") else {
      var title: String?
      for line in lines {
        if line.hasPrefix("#") {
          let heading = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
          sections.headings.insert(heading)
          if heading.hasSuffix(")"), let open = heading.range(of: " (") {
            sections.headings.insert(String(heading[..<open.lowerBound]))
          }
        } else if line.hasPrefix("title:"), title == nil, sections.headings.isEmpty {
          title = line.dropFirst(6).trimmingCharacters(in: .whitespaces.union(["\""]))
        }
      }
      if let title { sections.headings.insert(title) }
      return sections
    }
    for (index, line) in lines.enumerated() {
      let number = String(line.prefix { ("0"..."9").contains($0) || $0 == "." })
      guard number.first?.isNumber == true, number.last?.isNumber == true, sections.numbered[number] == nil
      else { continue }
      let rest = line.dropFirst(number.count)
      if rest.isEmpty, !number.contains(".") {
        sections.numbered[number] = lines[(index + 1)...].first { !$0.isEmpty } ?? ""
      } else if number.contains("."), rest.hasPrefix(" "), rest.dropFirst().first?.isUppercase == true {
        sections.numbered[number] = String(rest.dropFirst())
      }
    }
    return sections
  }

  /// Why `cell` — a COVERAGE.md section cell, or a citation's text after the document's name —
  /// names no section of this document; nil when it names one.
  func problem(_ cell: String) -> String? {
    guard let key = Coverage.sectionKey(cell) else {
      return "\(cell) is neither \"Heading\" nor a section number"
    }
    if key.hasPrefix("\"") {
      guard numbered.isEmpty else { return "\(file) numbers its sections; it has no heading \(key)" }
      let name = String(key.dropFirst().dropLast())
      return headings.contains(name) ? nil : "\(file) has no heading \(key)"
    }
    guard let title = numbered[key] else { return "\(file) has no section \(key)" }
    let t = cell.trimmingCharacters(in: .whitespaces)
    let rest = t.dropFirst(t.prefix { $0.isNumber || $0 == "." }.count).trimmingCharacters(in: .whitespaces)
    if rest.first?.isLetter == true, !rest.hasPrefix(title) {
      return "\(file)'s section \(key) is titled \(title)"
    }
    return nil
  }

  /// The documents in `folder`, by their first three characters (`001`).
  static func load(_ folder: URL) throws -> [String: DocumentSections] {
    var documents: [String: DocumentSections] = [:]
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.path)
    where file.hasSuffix(".txt") && file.first?.isNumber == true {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      documents[String(file.prefix(3))] = parse(text, file: file)
    }
    return documents
  }

  /// Every COVERAGE.md row and lesson citation whose section is not one of its document's.
  /// `cites` are the text after each `cite:` of the lessons, with the file and line it is on.
  static func problems(
    rows: [CoverageRow], cites: [(file: String, line: Int, cite: String)],
    documents: [String: DocumentSections]
  ) -> [String] {
    var problems: [String] = []
    for row in rows {
      guard let document = documents[row.document] else {
        problems.append("COVERAGE.md:\(row.line): no document \(row.document)")
        continue
      }
      if let problem = document.problem(row.sectionCell) {
        problems.append("COVERAGE.md:\(row.line): \(problem)")
      }
    }
    for (file, line, cite) in cites where !cite.lowercased().hasPrefix("computed") {
      let name = String(cite.prefix { $0 != "," })
      guard let document = documents[String(name.prefix(3))], document.file == name else {
        problems.append("\(file):\(line): cites \(name), which is not a document in shared/seeds")
        continue
      }
      guard name.count < cite.count else {
        problems.append("\(file):\(line): cite \(cite) names no section")
        continue
      }
      if let problem = document.problem(String(cite.dropFirst(name.count + 1))) {
        problems.append("\(file):\(line): \(problem)")
      }
    }
    return problems
  }

  /// The text after every indented `cite:` of a lesson (under an `expect:`, `claim:` or
  /// `listing`), with its line.
  static func cites(_ text: String, file: String) -> [(file: String, line: Int, cite: String)] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, raw in
      guard raw.first == " " || raw.first == "\t" else { return nil }
      let t = raw.trimmingCharacters(in: .whitespaces)
      guard t.hasPrefix("cite:") else { return nil }
      return (file, index + 1, t.dropFirst(5).trimmingCharacters(in: .whitespaces))
    }
  }
}

@Suite("Lessons/COVERAGE.md: every printed result and the lessons agree")
struct CoverageTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let lessons = root.appendingPathComponent("Lessons")

  /// The four documents: CI puts a copy of shared/ beside the clone, so they are in
  /// ../shared/seeds from the repository's root, as they are beside every worktree.
  static let seeds = root.deletingLastPathComponent().appendingPathComponent("shared/seeds")

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

  @Test("every row's section and every lesson's cite: names a section of its document in ../shared/seeds")
  func sectionsExist() throws {
    // The documents' sections from the repository's index; where ../shared/seeds is beside the
    // clone, the index must be what the documents give.
    let indexText = try String(contentsOf: DocumentSections.indexFile, encoding: .utf8)
    if FileManager.default.fileExists(atPath: Self.seeds.path) {
      let fromSeeds = DocumentSections.index(try DocumentSections.load(Self.seeds))
      if ProcessInfo.processInfo.environment["CONVTOUR_WRITE_SECTIONS"] == "1" {
        try fromSeeds.write(to: DocumentSections.indexFile, atomically: true, encoding: .utf8)
      }
      #expect(
        fromSeeds == indexText,
        "Lessons/document-sections.txt is not what ../shared/seeds gives: rerun with CONVTOUR_WRITE_SECTIONS=1"
      )
    }
    let documents = DocumentSections.parseIndex(indexText)
    #expect(documents.keys.sorted() == ["000", "001", "002", "003"])
    let (rows, _, _) = try Self.load()
    var cites: [(file: String, line: Int, cite: String)] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: Self.lessons.path).sorted()
    where file.hasSuffix(".lesson") {
      let body = try String(contentsOf: Self.lessons.appendingPathComponent(file), encoding: .utf8)
      cites += DocumentSections.cites(body, file: file)
    }
    #expect(rows.count > 500 && cites.count > 300)
    #expect(DocumentSections.problems(rows: rows, cites: cites, documents: documents) == [])
  }

  @Test("a heading, section number or title the document lacks is found")
  func sectionsCanFail() {
    let documents = [
      "000": DocumentSections.parse(
        """
        title: Convolutional Networks - VGG16
        ## Conv Layers
        ### Casting the Bias ($b$)
        """, file: "000_a.txt"),
      "001": DocumentSections.parse(
        """
        10

        Introduction to Deep Learning
        10.4.1 Softmax Function
        Example 10.4.2. Consider two vectors
        """, file: "001_b.txt"),
    ]
    #expect(
      documents["000"]?.headings == [
        "Convolutional Networks - VGG16", "Conv Layers", "Casting the Bias ($b$)", "Casting the Bias",
      ])
    #expect(
      documents["001"]?.numbered == ["10": "Introduction to Deep Learning", "10.4.1": "Softmax Function"])
    let (rows, errors) = Coverage.parseRows(
      """
      | 000 | "Conv Layers" (z) | z | none: fine |
      | 000 | "Casting the Bias" | b | none: fine |
      | 000 | "Convolutional Networks - VGG16" (introduction) | c | none: fine |
      | 000 | "Pooling Layer" | m | none: no such heading |
      | 000 | 12.2.8 | m | none: a number in the post |
      | 001 | 10 (l. 11) | d | none: fine |
      | 001 | 10.4.1 Softmax Function, Example 10.4.2 | a | none: fine |
      | 001 | 10.4.2 | a | none: an example's number, not a section's |
      | 001 | 10.4.1 Softmax Layer | a | none: a wrong title |
      | 001 | "Softmax Function" | a | none: a heading in the book |
      | 002 | "Backpropagation" | a | none: no such document |
      """)
    #expect(errors == [])
    let cites = [
      (file: "s.lesson", line: 3, cite: "000_a.txt, \"Conv Layers\""),
      (file: "s.lesson", line: 5, cite: "001_b.txt, 10.4.1 Softmax Function (its last line)"),
      (file: "s.lesson", line: 7, cite: "computed (the book prints no answer)"),
      (file: "s.lesson", line: 9, cite: "000_c.txt, \"Conv Layers\""),
      (file: "s.lesson", line: 11, cite: "001_b.txt"),
      (file: "s.lesson", line: 13, cite: "001_b.txt, 11.4.2 Backpropagation"),
    ]
    let problems = DocumentSections.problems(rows: rows, cites: cites, documents: documents)
    #expect(
      problems == [
        "COVERAGE.md:4: 000_a.txt has no heading \"Pooling Layer\"",
        "COVERAGE.md:5: 000_a.txt has no section 12.2.8",
        "COVERAGE.md:8: 001_b.txt has no section 10.4.2",
        "COVERAGE.md:9: 001_b.txt's section 10.4.1 is titled Softmax Function",
        "COVERAGE.md:10: 001_b.txt numbers its sections; it has no heading \"Softmax Function\"",
        "COVERAGE.md:11: no document 002",
        "s.lesson:9: cites 000_c.txt, which is not a document in shared/seeds",
        "s.lesson:11: cite 001_b.txt names no section",
        "s.lesson:13: 001_b.txt has no section 11.4.2",
      ], "\(problems)")
    #expect(
      DocumentSections.cites("expect: a = 1\n  cite: 001_b.txt, 10.4.1\n# cite: no\n", file: "s.lesson").map(
        \.line)
        == [2])
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
