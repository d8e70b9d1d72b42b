import Foundation

/// Lessons/document-sections.txt: the four documents' sections as `DocumentSections.parse` reads
/// them from ../shared/seeds, kept in the repository so that a clone without shared/ beside it
/// checks its citations too. Where the documents are, the index must be what they give
/// (`CoverageTests/sectionsExist`). A line per fact, tab-separated:
///   file	000_ce8e000b1bb3a7a9.txt      (the facts below are this document's)
///   heading	Conv Layers               (000, 002, 003: a name a quoted heading may take)
///   section	10.4.1	Softmax Function    (001: a section number and its title)
extension DocumentSections {
  static let indexFile = CoverageTests.lessons.appendingPathComponent("document-sections.txt")

  /// The index's text for `documents`: files, headings and section numbers in sorted order.
  static func index(_ documents: [String: DocumentSections]) -> String {
    var lines = [
      "# The sections of the four documents in ../shared/seeds, as the coverage tests read them;",
      "# checked against the documents wherever they are beside the repository.",
    ]
    for key in documents.keys.sorted() {
      let document = documents[key]!
      lines.append("file\t\(document.file)")
      lines += document.headings.sorted().map { "heading\t\($0)" }
      lines += document.numbered.keys.sorted().map { "section\t\($0)\t\(document.numbered[$0]!)" }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The documents an index names, as `load` would read them.
  static func parseIndex(_ text: String) -> [String: DocumentSections] {
    var documents: [String: DocumentSections] = [:]
    var current: String?
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      switch (fields.first, fields.count) {
      case ("file", 2):
        current = String(fields[1].prefix(3))
        documents[current!] = DocumentSections(file: fields[1])
      case ("heading", 2): if let current { documents[current]?.headings.insert(fields[1]) }
      case ("section", 3): if let current { documents[current]?.numbered[fields[1]] = fields[2] }
      default: continue
      }
    }
    return documents
  }
}
