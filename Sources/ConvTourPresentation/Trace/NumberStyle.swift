import ConvTourLessons

/// The one number format of a screen (or a trace step): fixed decimals, or scientific for every
/// value when fixed decimals would hide one of them (1e−7 showing as 0.0000); or, on the tour's
/// screen (`perValue`), fixed decimals for every value they show and scientific for the rest
/// alone, so one tiny value does not widen a whole grid out of its pane. Every pane of a screen
/// formats with the same style, so a value reads the same in the tensors and the terms.
public struct NumberStyle: Equatable, Sendable {
  public var places: Int
  public var scientific: Bool
  public var perValue = false

  public init(places: Int, scientific: Bool = false) {
    self.places = places
    self.scientific = scientific
  }

  /// The screen's style: each value fixed where that shows it, scientific where it would not.
  public static func perValue(places: Int) -> NumberStyle {
    var style = NumberStyle(places: places)
    style.perValue = true
    return style
  }

  /// Fixed unless some value of `values` needs scientific notation to be seen.
  public init(places: Int, values: some Sequence<Double>) {
    self.init(
      places: places, scientific: values.contains { NumberFormat.needsScientific($0, places: places) })
  }

  /// A value in this style, with a Unicode minus.
  /// Zero reads 0.0000 (never −0 or 0.0000e+00) in either style.
  public func text(_ x: Double) -> String {
    if perValue { return NumberFormat.readable(x, places: places) }
    return scientific && x != 0
      ? NumberFormat.scientific(x, places: places) : NumberFormat.fixed(x, places: places)
  }
}
