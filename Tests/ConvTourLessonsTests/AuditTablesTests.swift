import Foundation
import Testing

/// Lessons/audit/DOC-FIRST-LAST.md audits lines FIRST–LAST of document DOC (`000-0139-0335.md`:
/// lines 139–335 of 000) in one table, `| line | printed | recomputed | verdict | check | covers |`,
/// one row per piece of the document:
/// - `line`: the line numbers and ranges it is on (`141, 149`, `143–175`), each starting within
///   the file's lines (a range may run on into the next piece), then an optional `(…)` remark;
/// - `verdict`: starts with `right`, `erratum` or `not computable`;
/// - `check`: `none` (with an optional remark), or the checks that cover it, as the tables write
///   them: `` `07-convolution-1d y[1, 1, 2]` ``, several in backticks with commas, semicolons or
///   words between them (`` `03-forward-propagation h1`, `h2` ``, `` `01-neuron` claims `d_sigmoid[1]`,
///   `d_tanh[2]` ``): a span that starts with a lesson's file name (`07-convolution-1d`) names that
///   lesson, and the rest of it or a later span names a subject of it — what an `expect:` names
///   before its ` =`, ` shape`, ` ≈` or ` <`, or a claim's left measure — up to the next lesson;
///   a cell without backticks is one such span. Text after the subject's relation (`= 1 2`,
///   `shape [2, 3]`) is the remark the table adds. In a subject, `a…b` between numbers is every index
///   from a to b (`o[1…3, 1, 1, 1]`: three expectations), another `…` leaves out text
///   (`first_line(cnn_sample_end, …)`).
enum AuditTables {
  static let columns = ["line", "printed", "recomputed", "verdict", "check", "covers"]

  /// The document and lines a table's file audits: `000-0139-0335.md` → ("000", 139...335).
  static func piece(_ name: String) -> (document: String, lines: ClosedRange<Int>)? {
    guard name.hasSuffix(".md") else { return nil }
    let parts = name.dropLast(3).split(separator: "-")
    guard parts.count == 3, parts[0].count == 3, let first = Int(parts[1]), let last = Int(parts[2]),
      first >= 1, first <= last
    else { return nil }
    return (String(parts[0]), first...last)
  }

  /// The cells of a table line, split at the pipes that are not escaped (`\|`).
  static func cells(_ line: String) -> [String] {
    var cells: [String] = []
    var cell = ""
    var escaped = false
    for character in line.trimmingCharacters(in: .whitespaces).dropFirst() {
      if character == "|", !escaped {
        cells.append(cell.trimmingCharacters(in: .whitespaces))
        cell = ""
      } else {
        cell.append(character)
      }
      escaped = character == "\\"
    }
    return cells
  }

  /// The lines a `line` cell names, as ranges; nil when it does not start with them.
  static func lines(_ cell: String) -> [ClosedRange<Int>]? {
    let list = cell.prefix { $0 != "(" }.trimmingCharacters(in: .whitespaces)
    var ranges: [ClosedRange<Int>] = []
    for part in list.split(separator: ",") {
      let ends = part.split(whereSeparator: { $0 == "–" || $0 == "-" }).map {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      guard (1...2).contains(ends.count), let low = ends.first!, let high = ends.last!, low <= high else {
        return nil
      }
      ranges.append(low...high)
    }
    return ranges.isEmpty ? nil : ranges
  }

  /// The lesson a span starts with, when its first word is a lesson's file name (`07-convolution-1d`).
  static func lessonName(_ word: Substring) -> String? {
    let characters = Array(word)
    guard characters.count > 3, characters[0].isNumber, characters[1].isNumber, characters[2] == "-" else {
      return nil
    }
    return String(word)
  }

  /// The checks a `check` cell names: each lesson with the subjects after it (none when the cell
  /// names a lesson and then no subject); empty for `none`.
  static func references(_ cell: String) -> (
    references: [(lesson: String, subjects: [String])], errors: [String]
  ) {
    let t = cell.trimmingCharacters(in: .whitespaces)
    if t == "none" || t.hasPrefix("none ") { return ([], []) }
    let spans: [String]
    if t.contains("`") {
      spans = t.split(separator: "`", omittingEmptySubsequences: false).enumerated()
        .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    } else {
      spans = [t]
    }
    var references: [(lesson: String, subjects: [String])] = []
    var errors: [String] = []
    for span in spans {
      var text = span.trimmingCharacters(in: .whitespaces)
      if let first = text.split(separator: " ").first, let lesson = lessonName(first) {
        references.append((lesson, []))
        text = text.dropFirst(first.count).trimmingCharacters(in: .whitespaces)
      }
      guard !text.isEmpty else { continue }
      guard !references.isEmpty else {
        errors.append("check \(span) names no lesson (write its file name, 07-convolution-1d)")
        continue
      }
      references[references.count - 1].subjects.append(subject(text))
    }
    if references.isEmpty, errors.isEmpty {
      errors.append("check \(cell) is neither none nor a lesson's file name and a subject")
    }
    return (references, errors)
  }

  /// A reference's subject: its text before a relation (` shape`, ` =`, ` ≈`, ` <`, ` ≤`, ` >`,
  /// ` ≥`, ` ≠`) that stands outside quoted text.
  static func subject(_ text: String) -> String {
    var quoted = false
    for (index, character) in zip(text.indices, text) {
      if character == "\"" { quoted.toggle() }
      let rest = text[index...]
      if !quoted,
        [" shape", " =", " ≈", " <", " ≤", " >", " ≥", " ≠"].contains(where: { rest.hasPrefix($0) })
      {
        return String(text[..<index]).trimmingCharacters(in: .whitespaces)
      }
    }
    return text.trimmingCharacters(in: .whitespaces)
  }

  /// Whether `subject` names subjects of `known`: itself, every index of its `a…b` ranges, or,
  /// with a `…` that leaves text out, one subject that has the rest in order.
  static func names(_ subject: String, in known: Set<String>) -> Bool {
    if known.contains(subject) { return true }
    let expanded = expand(subject)
    if expanded.count > 1 { return expanded.allSatisfy(known.contains) }
    guard subject.contains("…") else { return false }
    let pieces = subject.components(separatedBy: "…")
    return known.contains { candidate in
      guard candidate.hasPrefix(pieces.first!), candidate.hasSuffix(pieces.last!) else { return false }
      var rest = candidate.dropFirst(pieces.first!.count)
      for piece in pieces.dropFirst().dropLast() {
        guard let found = rest.range(of: piece) else { return false }
        rest = rest[found.upperBound...]
      }
      return rest.count >= pieces.last!.count
    }
  }

  /// `o[1…3, 1]` → `o[1, 1]`, `o[2, 1]`, `o[3, 1]`; a subject with no such range → itself.
  static func expand(_ subject: String) -> [String] {
    let characters = Array(subject)
    guard
      let dots = characters.indices.first(where: { index in
        characters[index] == "…" && index > 0 && index + 1 < characters.count
          && characters[index - 1].isNumber && characters[index + 1].isNumber
      })
    else { return [subject] }
    var start = dots
    while start > 0, characters[start - 1].isNumber { start -= 1 }
    var end = dots + 1
    while end < characters.count, characters[end].isNumber { end += 1 }
    guard let low = Int(String(characters[start..<dots])),
      let high = Int(String(characters[(dots + 1)..<end])),
      low < high
    else { return [subject] }
    let head = String(characters[..<start])
    let tail = String(characters[end...])
    return (low...high).flatMap { expand(head + String($0) + tail) }
  }

  /// Every way one table breaks the rules, one line each. `lessons`: each lesson file's name
  /// (`07-convolution-1d`) with the subjects of its expectations and claims.
  static func problems(file: String, text: String, lessons: [String: Set<String>]) -> (
    rows: Int, problems: [String]
  ) {
    var problems: [String] = []
    guard let (_, piece) = piece(file) else {
      return (0, ["\(file): the name is not DOC-FIRST-LAST.md"])
    }
    var rows = 0
    var previous: String?
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      defer { previous = line.hasPrefix("|") ? line : nil }
      guard line.hasPrefix("|") else { continue }
      let at = "\(file):\(index + 1)"
      let cells = cells(line)
      if previous == nil {
        if cells != columns {
          problems.append("\(at): the header is not | \(columns.joined(separator: " | ")) |")
        }
        continue
      }
      if cells.allSatisfy({ !$0.isEmpty && $0.allSatisfy { "-: ".contains($0) } }) { continue }
      rows += 1
      guard cells.count == columns.count else {
        problems.append("\(at): expected \(columns.count) cells, found \(cells.count)")
        continue
      }
      if let ranges = lines(cells[0]) {
        for range in ranges where !piece.contains(range.lowerBound) {
          problems.append("\(at): line \(range.lowerBound) is not in \(piece.lowerBound)–\(piece.upperBound)")
        }
      } else {
        problems.append("\(at): line \(cells[0]) is not a list of line numbers and ranges")
      }
      if !["right", "erratum", "not computable"].contains(where: { cells[3].hasPrefix($0) }) {
        problems.append("\(at): verdict \(cells[3]) starts with none of right, erratum, not computable")
      }
      let (references, errors) = references(cells[4])
      problems += errors.map { "\(at): \($0)" }
      for (lesson, subjects) in references {
        guard let known = lessons[lesson] else {
          problems.append("\(at): no lesson file \(lesson).lesson")
          continue
        }
        if subjects.isEmpty { problems.append("\(at): names lesson \(lesson) but none of its checks") }
        for subject in subjects where !names(subject, in: known) {
          problems.append("\(at): lesson \(lesson) has no expectation or claim on \(subject)")
        }
      }
    }
    if rows == 0 { problems.append("\(file): no table rows") }
    return (rows, problems)
  }

  /// Each lesson file's name with the subjects of its expectations and claims.
  static func lessonSubjects(_ folder: URL) throws -> [String: Set<String>] {
    var lessons: [String: Set<String>] = [:]
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.path)
    where file.hasSuffix(".lesson") {
      let body = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      lessons[String(file.dropLast(7))] = Set(Coverage.parseLesson(body, file: file).map(\.subject))
    }
    return lessons
  }
}

@Suite("Lessons/audit: every table row is well formed and names checks that exist")
struct AuditTablesTests {
  static let audit = CoverageTests.lessons.appendingPathComponent("audit")

  @Test("every row of every table: 6 cells, a line of its piece, a verdict, checks the lessons have")
  func tablesParse() throws {
    let lessons = try AuditTables.lessonSubjects(CoverageTests.lessons)
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.audit.path).filter {
      $0.hasSuffix(".md")
    }.sorted()
    #expect(Set(files.compactMap { AuditTables.piece($0)?.document }) == ["000", "001", "002", "003"])
    var rows = 0
    var problems: [String] = []
    for file in files {
      let text = try String(contentsOf: Self.audit.appendingPathComponent(file), encoding: .utf8)
      let found = AuditTables.problems(file: file, text: text, lessons: lessons)
      rows += found.rows
      problems += found.problems
    }
    #expect(rows > 800)
    #expect(problems == [], "\(problems.count) problems")
  }

  @Test("each document's pieces follow one another from its line 1")
  func piecesTile() throws {
    let pieces = try FileManager.default.contentsOfDirectory(atPath: Self.audit.path).compactMap(
      AuditTables.piece)
    for document in Set(pieces.map(\.document)) {
      let lines = pieces.filter { $0.document == document }.map(\.lines).sorted {
        $0.lowerBound < $1.lowerBound
      }
      #expect(lines.first?.lowerBound == 1, "\(document)")
      for (a, b) in zip(lines, lines.dropFirst()) {
        #expect(b.lowerBound == a.upperBound + 1, "\(document): \(a) then \(b)")
      }
    }
  }

  @Test("a short row, a line outside the piece, a bad verdict, a missing lesson or subject are found")
  func tablesCanFail() {
    let lessons: [String: Set<String>] = [
      "07-convolution-1d": ["y", "y[1, 1, 1]", "y[1, 1, 2]", "count(y)", "first_line(s, \"n = N()\")"],
      "14-pattern-detectors": ["o_hat[1, 1, 1, 1]", "o_hat[2, 1, 1, 1]", "o_hat[3, 1, 1, 1]"],
    ]
    let text = """
      # Audit of 001, lines 838–1010

      | line | printed | recomputed | verdict | check | covers |
      | --- | --- | --- | --- | --- | --- |
      | 855 | y = 7 | 7 | right | `07-convolution-1d y[1, 1, 1]` | exact |
      | 855, 857–1012 (on) | y | y | erratum: no | `07-convolution-1d y[1, 1, 2]`, `y shape [1, 1, 6]`; `14-pattern-detectors o_hat[1…3, 1, 1, 1]` | exact |
      | 900 | n | 3 | not computable: a figure | `07-convolution-1d` claim `count(y) ≥ 1`, `first_line(s, …)` | exact |
      | 901 | x | x | right | none (the lesson declares x) | none |
      | 902 | x | x | right | 07-convolution-1d y | none |
      | 12 | x | x | wrong | none | none |
      | 903 | x | x | right | `convolution-1d y` | none |
      | 904 | x | x | right | `07-convolution-1d y[1, 1, 3]`, `08-convolution-2d Y` | none |
      | 905 | x | x | right | `07-convolution-1d` steps | none |
      | 906 | x | right | none | none |
      | l. 907 | x | x | right | `14-pattern-detectors o_hat[1…4, 1, 1, 1]` | none |
      """
    let (rows, problems) = AuditTables.problems(file: "001-0838-1010.md", text: text, lessons: lessons)
    #expect(rows == 11)
    #expect(
      problems == [
        "001-0838-1010.md:10: line 12 is not in 838–1010",
        "001-0838-1010.md:10: verdict wrong starts with none of right, erratum, not computable",
        "001-0838-1010.md:11: check convolution-1d y names no lesson (write its file name, 07-convolution-1d)",
        "001-0838-1010.md:12: lesson 07-convolution-1d has no expectation or claim on y[1, 1, 3]",
        "001-0838-1010.md:12: no lesson file 08-convolution-2d.lesson",
        "001-0838-1010.md:13: names lesson 07-convolution-1d but none of its checks",
        "001-0838-1010.md:14: expected 6 cells, found 5",
        "001-0838-1010.md:15: line l. 907 is not a list of line numbers and ranges",
        "001-0838-1010.md:15: lesson 14-pattern-detectors has no expectation or claim on o_hat[1…4, 1, 1, 1]",
      ], "\(problems)")
    #expect(AuditTables.piece("000-0139-0335.md")?.document == "000")
    #expect(AuditTables.piece("000-0139-0335.md")?.lines == 139...335)
    #expect(AuditTables.cells("| a \\| b | c |") == ["a \\| b", "c"])
    #expect(AuditTables.expand("y1[1, 1, 6…7, 6…7]").count == 4)
  }
}
