import ConvTourLessons
import Foundation

/// A line chart of a loss per epoch (or per training step), drawn into a rectangle of a `Screen`:
/// the y axis labelled with the largest and smallest loss, the x axis with the first and last
/// epoch. With Unicode each cell holds a 2×4 braille dot matrix, so a 60-column plot shows 120
/// epochs apart; without it, one `*` per cell. Non-finite losses are left out.
///
///   0.2475 ┤⠉⠑⠢⡀
///          │    ⠈⠢⣀
///   0.0002 ┤       ⠉⠉⠒⠒⠤⠤⣀⣀⣀
///          └──────────────────
///           1    epoch     300
public enum LossPlot {
  /// Draws `losses` (index 0 = epoch 1) into the rectangle at (row, column) of width × height
  /// cells; `label` names the x axis ("epoch", "step"). Needs at least 12 × 4 cells. With
  /// `shown`, only the first `shown` losses are drawn, on the axes of all of them (a chart that
  /// grows as training is played); `axisEnd` widens the x axis beyond the losses given (a run
  /// still under way, whose last step is known).
  public static func draw(
    _ losses: [Double], label: String = "epoch", into screen: inout Screen, row: Int, column: Int, width: Int,
    height: Int, shown: Int? = nil, axisEnd: Int? = nil, logScale: Bool = false
  ) {
    // On a log scale the heights are log10 of the losses (all positive, or the scale is linear);
    // the labels stay the losses themselves.
    let logarithmic = logScale && canBeLogarithmic(losses)
    let finite = losses.filter(\.isFinite)
    guard width >= 12, height >= 4, let lowest = finite.min(), let highest = finite.max() else { return }
    let unicode = screen.capabilities.unicode
    let top = NumberFormat.readable(highest, places: 4)
    let bottom = NumberFormat.readable(lowest, places: 4)
    let gutter = max(top.count, bottom.count) + 1
    let plotWidth = width - gutter - 1
    let plotHeight = height - 2
    guard plotWidth >= 4, plotHeight >= 1 else { return }
    // The axes and their labels.
    screen.put(pad(top, gutter - 1), row: row, column: column, style: .dim)
    screen.put(pad(bottom, gutter - 1), row: row + plotHeight - 1, column: column, style: .dim)
    for r in 0..<plotHeight {
      let tick = r == 0 || r == plotHeight - 1
      screen.put(
        unicode ? (tick ? "┤" : "│") : (tick ? "+" : "|"), row: row + r, column: column + gutter, style: .dim)
    }
    screen.put(
      (unicode ? "└" : "+") + String(repeating: unicode ? "─" : "-", count: plotWidth), row: row + plotHeight,
      column: column + gutter, style: .dim)
    let end = max(losses.count, axisEnd ?? 0)
    let last = String(end)
    let axisRow = row + plotHeight + 1
    let left = column + gutter + 1
    screen.put("1", row: axisRow, column: left, style: .dim)
    screen.put(last, row: axisRow, column: left + plotWidth - last.count, style: .dim)
    if plotWidth > label.count + last.count + 4 {
      screen.put(label, row: axisRow, column: left + (plotWidth - label.count) / 2, style: .dim)
    }
    // The line: dots on a grid of (dotsX × dotsY), y = 0 at the bottom.
    let (perX, perY) = unicode ? (2, 4) : (1, 1)
    let dotsX = plotWidth * perX
    let dotsY = plotHeight * perY
    func level(_ v: Double) -> Double { logarithmic ? log10(v) : v }
    let span = level(highest) - level(lowest)
    func dotY(_ v: Double) -> Int {
      span == 0
        ? dotsY / 2 : min(dotsY - 1, Int(((level(v) - level(lowest)) / span * Double(dotsY - 1)).rounded()))
    }
    var dots = Array(repeating: false, count: dotsX * dotsY)
    var previous: (x: Int, y: Int)? = nil
    for (k, v) in losses.prefix(shown ?? losses.count).enumerated() where v.isFinite {
      let x = end == 1 ? 0 : Int((Double(k) * Double(dotsX - 1) / Double(end - 1)).rounded())
      let y = dotY(v)
      let p = previous ?? (x, y)
      // Join to the previous point: in each column up to x, a vertical run over the heights the
      // straight line between them passes, so steep drops stay connected.
      func height(_ xx: Int) -> Int {
        x == p.x ? y : Int((Double(p.y) + Double(xx - p.x) / Double(x - p.x) * Double(y - p.y)).rounded())
      }
      for xx in max(p.x, 0)...x {
        let (a, b) = xx == p.x ? (p.y, x == p.x ? y : p.y) : (height(xx - 1), height(xx))
        for yy in min(a, b)...max(a, b) { dots[yy * dotsX + xx] = true }
      }
      previous = (x, y)
    }
    for r in 0..<plotHeight {
      for c in 0..<plotWidth {
        var bits = 0
        for dx in 0..<perX {
          for dy in 0..<perY {
            // Cell row r from the top covers dot rows from the top r·perY … r·perY + perY − 1.
            let y = dotsY - 1 - (r * perY + dy)
            guard dots[y * dotsX + c * perX + dx] else { continue }
            bits |= unicode ? brailleBit(dx, dy) : 1
          }
        }
        guard bits != 0 else { continue }
        let ch: Character = unicode ? Character(Unicode.Scalar(0x2800 + bits)!) : "*"
        screen[row + r, left + c] = Cell(ch, .positive)
      }
    }
  }

  /// Whether a log scale can show these losses: every finite one positive, some finite.
  public static func canBeLogarithmic(_ losses: [Double]) -> Bool {
    let finite = losses.filter(\.isFinite)
    return !finite.isEmpty && finite.allSatisfy { $0 > 0 }
  }

  /// The braille dot of column dx (0, 1) and row dy (0 top … 3 bottom) of a cell.
  static func brailleBit(_ dx: Int, _ dy: Int) -> Int {
    dy == 3 ? (dx == 0 ? 0x40 : 0x80) : (1 << (dy + 3 * dx))
  }

  static func pad(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - s.count)) + s
  }

  /// The chart as lines of text, for the command line.
  public static func text(
    _ losses: [Double], label: String = "epoch", width: Int = 64, height: Int = 12, unicode: Bool
  )
    -> String
  {
    var screen = Screen(
      width: width, height: height, capabilities: Capabilities(color: false, unicode: unicode))
    draw(losses, label: label, into: &screen, row: 0, column: 0, width: width, height: height)
    return screen.text
  }
}
