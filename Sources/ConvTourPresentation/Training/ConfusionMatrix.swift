/// A confusion matrix as text: one row per true class, one column per predicted class, the
/// diagonal (right answers) marked, each row's accuracy at its end.
public struct ConfusionMatrix: Sendable {
  public var classNames: [String]
  /// counts[true][predicted].
  public var counts: [[Int]]

  public init(classNames: [String], counts: [[Int]]) {
    self.classNames = classNames
    self.counts = counts
  }

  public func render() -> String {
    let n = counts.count
    let names = (0..<n).map { k in k < classNames.count ? String(classNames[k].prefix(10)) : String(k) }
    let cell = max(5, (counts.flatMap { $0 }.map { String($0).count }.max() ?? 1) + 2)
    let label = max(5, (names.map(\.count).max() ?? 1) + 1)
    func pad(_ s: String, _ width: Int) -> String {
      String(repeating: " ", count: max(0, width - s.count)) + s
    }
    var lines = ["confusion matrix: rows are the true class, columns the predicted one ([n] = right)"]
    lines.append(pad("", label) + names.map { pad(String($0.prefix(cell - 1)), cell) }.joined() + "   right")
    for (t, row) in counts.enumerated() {
      let total = row.reduce(0, +)
      let cells = row.enumerated().map { p, c in pad(p == t ? "[\(c)]" : String(c), cell) }.joined()
      let right = total == 0 ? "  —" : "  " + String(format: "%5.1f %%", 100 * Double(row[t]) / Double(total))
      lines.append(pad(names[t], label) + cells + right)
    }
    return lines.joined(separator: "\n")
  }
}
