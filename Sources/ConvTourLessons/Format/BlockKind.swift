/// The blocks a lesson file is made of: each opens with a line in the first column (`id:`,
/// `tensor x …`, `step: …`) and owns the indented attribute lines below it.
enum BlockKind: String, CaseIterable {
  case id, title, source, document, fold, tensor, step, expect, claim, listing

  /// The indented keys the block accepts (`prose:`, `run:`, `cite:` …).
  var attributes: Set<String> {
    switch self {
    case .tensor: ["note", "hidden"]
    case .step: ["prose", "formula", "run"]
    case .expect: ["cite", "erratum"]
    case .claim: ["cite", "implies", "denies", "erratum"]
    case .listing: ["cite", "line"]
    case .id, .title, .source, .document, .fold: []
    }
  }

  /// Whether the header is the keyword, a space and the rest (`tensor x [3] = …`) rather than
  /// `keyword: rest`.
  var namesItsSubject: Bool { self == .tensor || self == .listing }

  /// "`id`, `title`, …" for messages.
  static var listed: String { allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ") }
}
