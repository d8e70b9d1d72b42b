import Foundation

/// Number formatting shared by checks and traces: deterministic, with a Unicode minus.
public enum NumberFormat {
  /// Up to 6 significant digits, trailing zeros dropped: 0.843795, 16, −4, 2.51763e+09, 1.5e−05
  /// (the exponent's minus is the Unicode one, as everywhere on the screen).
  public static func significant(_ x: Double) -> String {
    if x == 0 { return "0" }
    if x == x.rounded(), abs(x) < 1e12 { return minus(String(Int(x))) }
    var s = String(format: "%.6g", x)
    if s.contains("."), !s.contains("e") {
      while s.hasSuffix("0") { s.removeLast() }
      if s.hasSuffix(".") { s.removeLast() }
    }
    return minus(s).replacingOccurrences(of: "e-", with: "e−")
  }

  /// Fixed decimals: "%.4f" with a Unicode minus, and no "−0.0000".
  public static func fixed(_ x: Double, places: Int) -> String {
    var s = String(format: "%.\(places)f", x)
    if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { s.removeFirst() }
    return minus(s)
  }

  /// Whether fixed decimals would hide a value: tiny (below 10^(−places+1)) or huge (10⁶ and more).
  public static func needsScientific(_ x: Double, places: Int) -> Bool {
    x != 0 && x.isFinite && (abs(x) < pow(10, Double(1 - places)) || abs(x) >= 1e6)
  }

  /// Fixed decimals where they show the value, else "1.1254e−07".
  public static func readable(_ x: Double, places: Int) -> String {
    needsScientific(x, places: places) ? scientific(x, places: places) : fixed(x, places: places)
  }

  /// "1.1254e−07" with a Unicode minus.
  public static func scientific(_ x: Double, places: Int) -> String {
    minus(String(format: "%.\(places)e", x)).replacingOccurrences(of: "e-", with: "e−")
  }

  static func minus(_ s: String) -> String {
    s.hasPrefix("-") ? "−" + s.dropFirst() : s
  }
}
