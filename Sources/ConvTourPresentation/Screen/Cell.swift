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
  /// A terminal colour: −1 the terminal's own, 0–7 the basic eight, 232–255 xterm's grey ramp.
  public struct Color: Sendable, Hashable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let none = Color(rawValue: -1)
    public static let black = Color(rawValue: 0)
    public static let red = Color(rawValue: 1)
    public static let green = Color(rawValue: 2)
    public static let yellow = Color(rawValue: 3)
    public static let blue = Color(rawValue: 4)
    public static let magenta = Color(rawValue: 5)
    public static let cyan = Color(rawValue: 6)
    public static let white = Color(rawValue: 7)

    /// Grey level 0 (black) … 23 (white) of the 256-colour ramp.
    public static func grey(_ level: Int) -> Color { Color(rawValue: 232 + max(0, min(23, level))) }
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
  /// 256 colours (a grey ramp for heatmaps) rather than the basic eight.
  public var colors256: Bool

  public init(color: Bool = true, unicode: Bool = true, colors256: Bool = true) {
    self.color = color
    self.unicode = unicode
    self.colors256 = colors256
  }
}
