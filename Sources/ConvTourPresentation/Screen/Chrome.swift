/// The screen's two middle dots, told apart so that a terminal without Unicode can spell each as
/// it reads: the product of a formula (w·x, from the documents and the ops) spells "*", the
/// separator of the chrome (titles, menu lines, key hints, status lines: "step 3/19 · op level")
/// spells "|" — a "*" there read as a product ("neuron * the textbook").
///
/// The chrome's separator is its own character, U+2E31 WORD SEPARATOR MIDDLE DOT, in the strings
/// the views build; a Unicode terminal is shown the ordinary middle dot for it (`Screen.put`), so
/// both dots look the same there. Its spellings are here and nowhere else.
public enum Chrome {
  /// The character that marks a chrome separator in the views' strings.
  public static let dot: Character = "\u{2E31}"
  /// The separator between two items of a chrome line, as the views write it.
  public static let separator = " \(dot) "
  /// What a Unicode terminal shows for `dot`.
  static let unicodeDot: Character = "·"
  /// What a terminal without Unicode shows for `dot`.
  static let asciiDot = "|"

  /// `text` with the chrome's separators as a Unicode terminal shows them (for text that is
  /// compared or printed outside a `Screen`).
  public static func shown(_ text: String) -> String {
    String(text.map { $0 == dot ? unicodeDot : $0 })
  }
}
