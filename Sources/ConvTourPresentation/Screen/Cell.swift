/// One character cell of the screen and how it is drawn.
public struct Cell: Equatable, Sendable {
  public var character: Character
  public var style: Style

  public init(_ character: Character = " ", _ style: Style = Style()) {
    self.character = character
    self.style = style
  }
}

/// How a cell is drawn. Colours are a hint: without colour the terminal layer shows `bold`,
/// `reverse` and `underline` only, so every highlight also sets one of those.
public struct Style: Equatable, Sendable, Hashable {
  public enum Color: Int, Sendable, Hashable {
    case none = -1
    case black, red, green, yellow, blue, magenta, cyan, white
  }

  public var foreground: Color = .none
  public var background: Color = .none
  public var bold = false
  public var reverse = false
  public var underline = false

  public init(
    foreground: Color = .none, background: Color = .none, bold: Bool = false, reverse: Bool = false,
    underline: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.reverse = reverse
    self.underline = underline
  }

  public static let plain = Style()
  public static let title = Style(reverse: true)
  public static let heading = Style(bold: true)
  public static let dim = Style(foreground: .cyan)
  /// The element being computed.
  public static let output = Style(foreground: .black, background: .yellow, reverse: true)
  /// What made it: the window of x, the filter, the row of W…
  public static let source = Style(foreground: .green, bold: true, underline: true)
  /// The winner of a max-pool window.
  public static let winner = Style(foreground: .magenta, bold: true, reverse: true)
  public static let positive = Style(foreground: .blue)
  public static let negative = Style(foreground: .red)
  public static let erratum = Style(foreground: .red, bold: true)
}

/// What the terminal can show.
public struct Capabilities: Equatable, Sendable {
  /// Colours (false under NO_COLOR or on a terminal without them).
  public var color: Bool
  /// Unicode box drawing and shades (false when the locale is not UTF-8).
  public var unicode: Bool

  public init(color: Bool = true, unicode: Bool = true) {
    self.color = color
    self.unicode = unicode
  }
}
