/// The two colour scales of ConvTour's pictures, written once as data and used by the tour's
/// half-block pictures and by the PNG files alike.
///
/// - `sequential` (matplotlib's viridis, 11 stops): activations, from the map's minimum (dark
///   violet) to its maximum (yellow); perceptually uniform and readable in grey.
/// - `diverging` (ColorBrewer's RdBu, reversed, 11 stops): gradients, centred on 0 (white), blue
///   below and red above, symmetric about 0 so that "where is the gradient zero" is visible.
public enum ColourScale: Sendable, Equatable {
  case sequential, diverging

  /// 24-bit colour, red–green–blue.
  public struct RGB: Equatable, Sendable {
    public var red: UInt8, green: UInt8, blue: UInt8
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
      (self.red, self.green, self.blue) = (red, green, blue)
    }
  }

  /// The stops, evenly spaced over t ∈ [0, 1].
  public var stops: [RGB] {
    switch self {
    case .sequential:
      return [
        0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151,
        0xBDDF26, 0xFDE725,
      ].map(Self.rgb)
    case .diverging:
      return [
        0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D,
        0xB2182B, 0x67001F,
      ].map(Self.rgb)
    }
  }

  /// The range a map's values are spread over: [min, max] for activations; [−m, m] with
  /// m = max |value| for gradients, so 0 is always the middle (white).
  public func range(of values: some Collection<Float>) -> (low: Float, high: Float) {
    let low = values.min() ?? 0
    let high = values.max() ?? 0
    switch self {
    case .sequential: return (low, high)
    case .diverging:
      let m = max(abs(low), abs(high))
      return (-m, m)
    }
  }

  /// The colour of `value` on [low, high] (a constant map takes the middle of the scale).
  public func colour(_ value: Float, low: Float, high: Float) -> RGB {
    let t = high > low ? Double((value - low) / (high - low)) : 0.5
    return colour(at: t.isNaN ? 0.5 : t)
  }

  /// The colour at t ∈ [0, 1], linear between neighbouring stops.
  public func colour(at t: Double) -> RGB {
    let stops = self.stops
    let x = min(1, max(0, t)) * Double(stops.count - 1)
    let i = min(stops.count - 2, Int(x))
    let f = x - Double(i)
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - f) + Double(b) * f).rounded()) }
    let (a, b) = (stops[i], stops[i + 1])
    return RGB(mix(a.red, b.red), mix(a.green, b.green), mix(a.blue, b.blue))
  }

  /// The nearest colour of xterm's 6×6×6 colour cube (indices 16–231), for 256-colour terminals.
  public static func xterm256(_ c: RGB) -> Int {
    // The cube's levels are 0, 95, 135, 175, 215, 255.
    func level(_ v: UInt8) -> Int { v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
    return 16 + 36 * level(c.red) + 6 * level(c.green) + level(c.blue)
  }

  private static func rgb(_ hex: Int) -> RGB {
    RGB(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
  }
}
