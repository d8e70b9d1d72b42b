/// A grid of cells: what the terminal will show, built by pure functions of the state and the
/// terminal's size. Tests read it; the terminal layer only copies it out.
public struct Screen: Equatable, Sendable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]
  public var capabilities: Capabilities

  public init(width: Int, height: Int, capabilities: Capabilities = Capabilities()) {
    self.width = max(0, width)
    self.height = max(0, height)
    self.capabilities = capabilities
    cells = Array(repeating: Cell(), count: self.width * self.height)
  }

  public subscript(row: Int, column: Int) -> Cell {
    get { cells[row * width + column] }
    set {
      guard row >= 0, row < height, column >= 0, column < width else { return }
      cells[row * width + column] = newValue
    }
  }

  /// The characters of a row, trailing spaces dropped.
  public func text(row: Int) -> String {
    guard row >= 0, row < height else { return "" }
    var s = String(cells[(row * width)..<((row + 1) * width)].map(\.character))
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }

  /// The whole screen as text, one line per row.
  public var text: String { (0..<height).map { text(row: $0) }.joined(separator: "\n") }

  /// Writes `string` from (row, column), clipped at `limit` columns (default: the right edge).
  /// Returns the column after the last character written.
  @discardableResult
  public mutating func put(_ string: String, row: Int, column: Int, style: Style = .plain, limit: Int? = nil)
    -> Int
  {
    let end = min(width, limit ?? width)
    var c = column
    for ch in capabilities.unicode ? string : AsciiSpelling.text(string) {
      guard c < end else { break }
      if c >= 0 { self[row, c] = Cell(displayable(ch), style) }
      c += 1
    }
    return c
  }

  /// `text` word-wrapped to `width` columns as this screen will show it: spelled in ASCII first
  /// when the terminal has no Unicode, so that a spelling longer than its character (θ → theta)
  /// wraps instead of running past the edge.
  public func wrapped(_ text: String, width: Int, hanging: Int = 0) -> [String] {
    WordWrap.lines(capabilities.unicode ? text : AsciiSpelling.text(text), width: width, hanging: hanging)
  }

  /// Fills a row from `column` to `limit` with a style (for bars).
  public mutating func fill(row: Int, from column: Int = 0, to limit: Int? = nil, style: Style) {
    for c in max(0, column)..<min(width, limit ?? width) { self[row, c] = Cell(" ", style) }
  }

  /// A horizontal rule.
  public mutating func rule(row: Int, from column: Int = 0, to limit: Int? = nil, style: Style = .dim) {
    let ch: Character = capabilities.unicode ? "─" : "-"
    for c in max(0, column)..<min(width, limit ?? width) { self[row, c] = Cell(ch, style) }
  }

  /// A character the terminal can show: without Unicode, its ASCII spelling's first character
  /// (box drawing, shades; `put` spells whole strings with `AsciiSpelling`); with Unicode, the
  /// chrome's separator as the middle dot it looks like.
  func displayable(_ ch: Character) -> Character {
    if capabilities.unicode, ch == Chrome.dot { return Chrome.unicodeDot }
    guard !capabilities.unicode, !ch.isASCII else { return ch }
    return AsciiSpelling.text(String(ch)).first ?? "."
  }
}
