import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// The term lists of the explanations (an element, its δ, a weight's ∂J/∂W): no term's text runs
/// into the value column (issue 22 §3: fc6's δ, `--weight` and the `w` view).
@Suite("Term lists keep their columns apart")
struct TermColumnsTests {
  /// The lines of every term table in `lines` that break the columns: a value column not preceded
  /// by two spaces.
  static func crowded(_ lines: [String]) -> [String] {
    var bad: [String] = []
    var valueColumn: Int? = nil
    for line in lines {
      let characters = Array(line)
      if line.hasPrefix("  term "), let v = line.range(of: "value") {
        valueColumn = line.distance(from: line.startIndex, to: v.lowerBound)
        continue
      }
      guard let v = valueColumn else { continue }
      // A table's rows start with two spaces and a label (or blanks), and have a value at v.
      guard line.hasPrefix("  "), !line.hasPrefix("      "), characters.count > v else {
        if !line.hasPrefix("  ") { valueColumn = nil }
        continue
      }
      if characters[v - 2] != " " || characters[v - 1] != " " || characters[v] == " " { bad.append(line) }
    }
    return bad
  }

  @Test("every layer's element, δ and weight explanation of the shrunk network: two spaces before each value")
  func columnsApart() throws {
    let record = try VGGExplorerTests.record()
    let layers = record.parameters.architecture.layers
    var checked = 0
    for k in layers.indices {
      for corner in [false, true] {
        var explorer = VGGExplorer(layer: k)
        explorer.active = true
        if corner, let shape = record.recorder.outputs[k]?.shape {
          (explorer.row, explorer.column) = (shape.count == 4 ? shape[2] - 1 : 0, (shape.last ?? 1) - 1)
        }
        explorer.explain(record)
        let element = explorer.lines ?? []
        explorer.explainWeight(record)
        let weight = explorer.showsWeight ? explorer.lines ?? [] : []
        for lines in [element, weight] where lines.contains(where: { $0.hasPrefix("  term ") }) {
          #expect(Self.crowded(lines) == [], "\(layers[k].name): \(lines.joined(separator: "\n"))")
          checked += 1
        }
      }
    }
    #expect(checked > 20)
  }
}
