import ConvTourEngine

extension TensorText {
  /// Tensors with more values than this are summarised in text traces unless asked for in full:
  /// a 50-million-value tensor is two lines, not 50 million numbers.
  public static let summaryLimit = 10_000

  /// A huge tensor in two lines: how many values, the first and last five (in one format), the
  /// smallest and the largest.
  public func summary(_ t: Tensor, indent: Int) -> [String] {
    let pad = String(repeating: " ", count: indent)
    let shown = Array(t.values.prefix(5)) + Array(t.values.suffix(5))
    let extremes = t.values.reduce((Double.infinity, -Double.infinity)) { (min($0.0, $1), max($0.1, $1)) }
    let values = shown + [extremes.0, extremes.1]
    let texts = cells(
      (try? Tensor(shape: [values.count], values: values)) ?? Tensor(zeros: [12]), tangent: nil)
    let count = ShapeCount.grouped(t.count)
    return [
      pad + "\(count) values, summarised (--full prints every one): "
        + texts[0..<5].joined(separator: "  ") + "  …  " + texts[5..<10].joined(separator: "  "),
      pad + "smallest \(texts[10]), largest \(texts[11])",
    ]
  }
}
