/// A code listing a document prints, quoted line by line in the lesson (`listing NAME` with
/// indented `line:` lines), so that a claim about it — "we make an instance of nn.ReLU" — is
/// decided by what the listing says, not by the lesson author's word.
public struct Listing: Sendable {
  public var name: String
  /// The lines as printed (leading blanks are not kept).
  public var lines: [String]
  /// Where the document prints it.
  public var citation: String
  public var location: SourceLocation

  /// How many lines contain `word`.
  public func lines(containing word: String) -> Int { lines.filter { $0.contains(word) }.count }

  /// The 1-based number of the first line that contains `word`, or nil.
  public func firstLine(containing word: String) -> Int? {
    lines.firstIndex { $0.contains(word) }.map { $0 + 1 }
  }
}
