import ConvTourEngine
import ConvTourLessons
import Foundation

/// The parts of the VGG-16 screen that show a finished run: a map with the explorer's cursor and
/// its legend, an open explanation, and the summary (top-5, loss, the input beside its saliency).
public enum VGGExplorerView {
  /// Channel `explorer.channel` of layer `explorer.layer`'s output (or, with `gradient`, of its δ)
  /// in the box: a heading, the picture with the cursor, the legend. Returns the rows used.
  @discardableResult
  public static func map(
    _ explorer: VGGExplorer, _ record: VGGRunRecord, gradient: Bool, on screen: inout Screen, top: Int,
    left: Int, rows: Int, columns: Int
  ) -> Int {
    let layer = record.parameters.architecture.layers[explorer.layer]
    let tensors = gradient ? record.recorder.deltas : record.recorder.outputs
    guard rows >= 4, let t = tensors[explorer.layer] else { return 0 }
    // The cursor may have been left on a larger layer: keep it inside this one.
    var explorer = explorer
    explorer.clamp(to: t.shape)
    let image = t.shape.count == 4
    let map = MapPicture(t.values, shape: t.shape, channel: image ? explorer.channel : 0)
    let at = explorer.index(in: t.shape)
    let value = t.values[Shape.offset(at, in: t.shape)]
    let what = gradient ? "∂J/∂(\(layer.name) output)" : "\(layer.name) output"
    let place =
      image
      ? "[\(at[1] + 1), \(at[2] + 1), \(at[3] + 1)] = (\(at[2] + 1), \(at[3] + 1), \(at[1] + 1))"
      : "[\(at[1] + 1)]"
    // What is shown, then the element under the cursor, wrapped so a narrow pane cuts nothing.
    let heading = screen.wrapped(
      image ? "\(what), channel \(explorer.channel + 1) of \(t.shape[1])" : what, width: columns)
    let element = screen.wrapped("\(place) = \(NumberFormat.significant(Double(value)))", width: columns)
    for (k, line) in (heading + element).enumerated() {
      screen.put(
        line, row: top + k, column: left,
        style: k < heading.count ? .heading : explorer.active ? .output : .plain,
        limit: left + columns)
    }
    let text = heading.count + element.count
    let scale: ColourScale = gradient ? .diverging : .sequential
    let drawn = MapDrawing.draw(
      map, scale, on: &screen, top: top + text, left: left, rows: rows - text - 1, columns: columns)
    if explorer.active {
      let cell = drawn.cell(row: image ? at[2] : 0, column: image ? at[3] : at[1])
      screen[cell.row, cell.column] = Cell(screen.capabilities.unicode ? "◆" : "+", .output)
    }
    let (low, high) = scale.range(of: map.values)
    MapDrawing.legend(
      scale, low: low, high: high, on: &screen, row: top + text + drawn.rows, left: left, width: columns
    ) { MapDrawing.short(Double($0)) }
    return drawn.rows + text + 1
  }

  /// The open explanation, wrapped to the box and scrolled; the last row says how to move.
  public static func explanation(
    _ explorer: VGGExplorer, on screen: inout Screen, top: Int, left: Int, rows: Int, columns: Int
  ) {
    guard let lines = explorer.lines, rows > 1, columns > 8 else { return }
    // A long line continues on the next rows, indented, rather than losing its end; it breaks at
    // a space where there is one.
    var wrapped: [String] = []
    for line in lines {
      var rest = Substring(line)
      var first = true
      repeat {
        let room = first ? columns : columns - 4
        var piece = rest.prefix(room)
        if piece.count < rest.count, let space = piece.lastIndex(of: " "), space > piece.startIndex {
          piece = rest[rest.startIndex..<space]
        }
        wrapped.append((first ? "" : "    ") + piece)
        rest = rest[piece.endIndex...].drop { $0 == " " }
        first = false
      } while !rest.isEmpty
    }
    let shown = rows - 1
    let start = min(explorer.scroll, max(0, wrapped.count - shown))
    for (r, line) in wrapped.dropFirst(start).prefix(shown).enumerated() {
      let formula = ["δ =", "z =", "a = ", "δ[", "z[", "a[", "m[", "f[", "∂J/∂W[k", "∂J/∂W[i"]
      let style: Style = formula.contains { line.hasPrefix($0) } ? .heading : .plain
      screen.put(line, row: top + r, column: left, style: style, limit: left + columns)
    }
    // Where we are and the keys, in the longest form that fits (nothing cut).
    let position =
      wrapped.count > shown
      ? "lines \(start + 1)–\(min(wrapped.count, start + shown)) of \(wrapped.count)\(Chrome.separator)" : ""
    // The weight view (w) has one order and x/X choose its input channel c (conv) or unit j (fc).
    let input = explorer.weightInput == .channel ? "channel c" : "unit j"
    let keys =
      explorer.showsWeight
      ? [
        position
          + "j/k PgUp/PgDn g/G scroll\(Chrome.separator)x/X input \(input)\(Chrome.separator)s/Esc back",
        position + "j/k g/G scroll\(Chrome.separator)x/X \(input)\(Chrome.separator)Esc back",
      ]
      : [
        position
          + "j/k PgUp/PgDn g/G scroll\(Chrome.separator)o order\(Chrome.separator)x/X expand a channel\(Chrome.separator)s/Esc back",
        position
          + "j/k g/G scroll\(Chrome.separator)o order\(Chrome.separator)x expand\(Chrome.separator)Esc back",
      ]
    let footer = (keys + [position + "Esc back", "Esc back"]).first { $0.count <= columns }!
    screen.put(footer, row: top + rows - 1, column: left, style: .dim, limit: left + columns)
  }

  /// Top-5 classes with names and probabilities, the loss, and the input beside its saliency map.
  public static func summary(
    _ record: VGGRunRecord, classNames: [String], on screen: inout Screen, top: Int, left: Int, rows: Int,
    columns: Int
  ) {
    var row = top
    screen.put(record.source.description, row: row, column: left, style: .heading, limit: left + columns)
    row += 1
    for (rank, entry) in record.top.enumerated() where row < top + rows {
      let name = entry.index < classNames.count ? classNames[entry.index] : "class \(entry.index)"
      let line =
        "\(rank + 1). \(String(format: "%6.2f", Double(entry.probability) * 100)) %  \(entry.index)  \(name)"
      screen.put(line, row: row, column: left, limit: left + columns)
      row += 1
    }
    if let loss = record.loss, row < top + rows {
      screen.put(
        "loss J = −log ŷ(label) = \(NumberFormat.significant(Double(loss)))", row: row, column: left,
        limit: left + columns)
      row += 1
    }
    let size = record.x.shape.count == 4 ? record.x.shape[2] : 0
    guard let saliency = record.saliency, size > 0, row + 4 < top + rows else { return }
    let half = (columns - 2) / 2
    screen.put("input", row: row, column: left, style: .heading)
    // The saliency's label whole: its formula on a line of its own when the half is narrow.
    let label = screen.wrapped("saliency max_c |∂J/∂x|", width: columns - half - 2)
    for (k, line) in label.prefix(2).enumerated() {
      screen.put(line, row: row + k, column: left + half + 2, style: .heading, limit: left + columns)
    }
    row += min(2, label.count) - 1
    let height = top + rows - row - 1
    if record.source.preview.count == size * size * 3 {
      rgb(
        record.source.preview, size: size, on: &screen, top: row + 1, left: left, rows: height, columns: half)
    }
    MapDrawing.draw(
      MapPicture(saliency.values, shape: saliency.shape), .sequential, on: &screen, top: row + 1,
      left: left + half + 2, rows: height, columns: half)
  }

  /// An 8-bit RGB picture (size × size) in half blocks of xterm's colour cube, averaged down to fit
  /// (grey shades by luminance without colour).
  static func rgb(
    _ pixels: [UInt8], size: Int, on screen: inout Screen, top: Int, left: Int, rows: Int, columns: Int
  ) {
    func plane(_ c: Int) -> MapPicture {
      MapPicture(height: size, width: size, values: (0..<(size * size)).map { Float(pixels[3 * $0 + c]) })
    }
    let caps = screen.capabilities
    guard caps.color, caps.colors256, caps.unicode else {
      let grey = MapPicture(
        height: size, width: size,
        values: (0..<(size * size)).map {
          0.299 * Float(pixels[3 * $0]) + 0.587 * Float(pixels[3 * $0 + 1]) + 0.114
            * Float(pixels[3 * $0 + 2])
        })
      MapDrawing.draw(grey, .sequential, on: &screen, top: top, left: left, rows: rows, columns: columns)
      return
    }
    let (r, g, b) = (
      plane(0).shrunk(toFit: 2 * rows, columns), plane(1).shrunk(toFit: 2 * rows, columns),
      plane(2).shrunk(toFit: 2 * rows, columns)
    )
    func colour(_ p: Int) -> Style.Color {
      .init(rawValue: ColourScale.xterm256(.init(UInt8(r.values[p]), UInt8(g.values[p]), UInt8(b.values[p]))))
    }
    for cellRow in 0..<((r.height + 1) / 2) {
      for c in 0..<r.width {
        let upper = 2 * cellRow * r.width + c
        let lower = (2 * cellRow + 1) * r.width + c
        screen[top + cellRow, left + c] = Cell(
          "▀",
          Style(foreground: colour(upper), background: 2 * cellRow + 1 < r.height ? colour(lower) : .none))
      }
    }
  }
}
