/// At element level on a short pane: the rows that matter. While the pane follows the
/// highlights and the tensors do not fit, each tensor keeps a one-line header (its name, the
/// plane and the rows shown) and the grid rows holding a highlight, so the inputs that made the
/// element stay in view beside it; the whole pane returns when the student scrolls (j/k).
extension TensorPane {
  /// The pane before wrapping, condensed.
  func condensed() -> TensorPane {
    // Blocks (one tensor each) are separated by empty lines.
    var blocks: [[Line]] = [[]]
    for line in lines {
      if line.segments.isEmpty { blocks.append([]) } else { blocks[blocks.count - 1].append(line) }
    }
    var result = self
    result.lines = []
    result.isCondensed = true
    for block in blocks where !block.isEmpty {
      // Not a tensor's grid (a chart, a status, a tensor without values): as it is.
      guard block.contains(where: \.isGrid), block.allSatisfy({ !$0.isPicture }) else {
        result.lines += block + [Line(segments: [])]
        continue
      }
      let grid = block.filter(\.isGrid)
      // A plane with nothing highlighted (the student chose it with c) shows whole.
      let marked = grid.filter { line in line.segments.contains { $0.style.isHighlight } }
      let kept = marked.isEmpty ? grid : marked
      var header = Line(segments: block[0].short ?? block[0].segments, clipped: true)
      let rows = kept.compactMap(\.row)
      if grid.count > 1, kept.count < grid.count, let first = rows.min(), let last = rows.max() {
        header.segments.append((first == last ? " row \(first + 1)" : " rows \(first + 1)–\(last + 1)", .dim))
      }
      result.lines += [header] + kept
    }
    return result
  }
}
