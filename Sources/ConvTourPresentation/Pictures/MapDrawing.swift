import Foundation

/// A `MapPicture` drawn into the screen's cells with a `ColourScale`, and its legend.
///
/// - Unicode with 256 colours: each cell is two pixels, ▀ with the upper pixel as foreground and
///   the lower as background, in the nearest colours of xterm's 6×6×6 cube;
/// - otherwise one pixel a cell from a ramp of characters: shades ░▒▓█ (or " .:-=+*#%@" in ASCII)
///   for a sequential scale, and "=- +#" for a diverging one, so the sign stays visible without colour.
/// The picture is shrunk by averaging blocks of pixels to fit the box, keeping its shape.
public enum MapDrawing {
  /// Where a drawn picture landed: the cells it covers, and how the map's pixels map to them.
  public struct Drawn: Equatable, Sendable {
    public var top = 0, left = 0, rows = 0, columns = 0
    /// The map's size, and the drawn picture's size in pixels (two pixel rows a cell with half blocks).
    var mapHeight = 1, mapWidth = 1, pixelRows = 1, pixelColumns = 1
    var halfBlocks = false

    /// The screen cell showing the map's pixel (i, j), 0-based.
    public func cell(row i: Int, column j: Int) -> (row: Int, column: Int) {
      let pixelRow = i * pixelRows / max(1, mapHeight)
      let pixelColumn = j * pixelColumns / max(1, mapWidth)
      return (top + (halfBlocks ? pixelRow / 2 : pixelRow), left + pixelColumn)
    }
  }

  /// Draws `map` into the box; returns where it landed.
  @discardableResult
  public static func draw(
    _ map: MapPicture, _ scale: ColourScale, on screen: inout Screen, top: Int, left: Int, rows: Int,
    columns: Int
  ) -> Drawn {
    guard rows > 0, columns > 0, map.height > 0, map.width > 0 else { return Drawn() }
    let caps = screen.capabilities
    let halfBlocks = caps.unicode && caps.color && caps.colors256
    let fitted = map.shrunk(toFit: halfBlocks ? 2 * rows : rows, columns)
    // Upscale small maps by whole pixels so a 7×7 map is not 7 cells wide.
    let factor = max(1, min((halfBlocks ? 2 * rows : rows) / fitted.height, columns / fitted.width))
    let picture = fitted.enlarged(by: factor)
    let (low, high) = scale.range(of: map.values)
    let shownRows = halfBlocks ? (picture.height + 1) / 2 : picture.height
    for r in 0..<shownRows {
      for c in 0..<picture.width {
        if halfBlocks {
          let upper = scale.colour(picture.values[2 * r * picture.width + c], low: low, high: high)
          let lowerRow = 2 * r + 1
          let lower =
            lowerRow < picture.height
            ? scale.colour(picture.values[lowerRow * picture.width + c], low: low, high: high) : nil
          screen[top + r, left + c] = Cell(
            "▀",
            Style(
              foreground: .init(rawValue: ColourScale.xterm256(upper)),
              background: lower.map { .init(rawValue: ColourScale.xterm256($0)) } ?? .none))
        } else {
          let v = picture.values[r * picture.width + c]
          screen[top + r, left + c] = Cell(character(v, scale, low: low, high: high, unicode: caps.unicode))
        }
      }
    }
    return Drawn(
      top: top, left: left, rows: shownRows, columns: picture.width, mapHeight: map.height,
      mapWidth: map.width,
      pixelRows: picture.height, pixelColumns: picture.width, halfBlocks: halfBlocks)
  }

  /// One character of the ramp for a value.
  static func character(_ v: Float, _ scale: ColourScale, low: Float, high: Float, unicode: Bool) -> Character
  {
    let ramp: [Character] =
      scale == .diverging ? Array("=- +#") : unicode ? [" ", "░", "▒", "▓", "█"] : Array(" .:-=+*#%@")
    let t = high > low ? Double((v - low) / (high - low)) : 0.5
    return ramp[min(ramp.count - 1, max(0, Int(t * Double(ramp.count))))]
  }

  /// A legend's or a bar's number: three significant digits ("−0.000609", "1.23e+03"), the
  /// minus sign the rest of the screen uses.
  public static func short(_ v: Double) -> String {
    let text = String(format: "%.3g", v)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }

  /// The legend in one row: the low end's number, a bar of the scale, the high end's (and 0 in
  /// the middle for a diverging scale): "−0.0031 ▀▀▀▀ 0 ▀▀▀▀ 0.0031".
  public static func legend(
    _ scale: ColourScale, low: Float, high: Float, on screen: inout Screen, row: Int, left: Int, width: Int,
    format: (Float) -> String
  ) {
    let caps = screen.capabilities
    let (lowText, highText) = (format(low), format(high))
    let extra = scale == .diverging ? 5 : 2  // the spaces, and " 0 " in the middle
    let barWidth = max(4, min(24, width - lowText.count - highText.count - extra))
    guard width >= barWidth + lowText.count + highText.count + extra else {
      // Too narrow for a bar: the two ends alone, or nothing rather than a cut number.
      let ends = "\(lowText) … \(highText)"
      if ends.count <= width { screen.put(ends, row: row, column: left) }
      return
    }
    screen.put(lowText, row: row, column: left)
    var column = left + lowText.count + 1
    for b in 0..<barWidth {
      let t = Double(b) / Double(max(1, barWidth - 1))
      if caps.color && caps.colors256 && caps.unicode {
        let colour = Style.Color(rawValue: ColourScale.xterm256(scale.colour(at: t)))
        screen[row, column] = Cell("█", Style(foreground: colour))
      } else {
        let v = low + Float(t) * (high - low)
        screen[row, column] = Cell(character(v, scale, low: low, high: high, unicode: caps.unicode))
      }
      column += 1
      if scale == .diverging, b == barWidth / 2 - 1 {
        screen.put(" 0 ", row: row, column: column)
        column += 3
      }
    }
    screen.put(" " + highText, row: row, column: column)
  }
}
