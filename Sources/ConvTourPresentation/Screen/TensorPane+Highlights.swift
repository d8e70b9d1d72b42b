import ConvTourEngine
import ConvTourLessons

/// What a lesson step highlights in its tensors: the element being computed and what made it.
extension TensorPane {
  /// Offsets to highlight, by tensor: the element being computed and what made it.
  static func highlights(_ state: TourState) -> [String: [Int: Style]] {
    guard let e = state.lesson.currentElement, let record = state.lesson.record else { return [:] }
    var marks: [String: [Int: Style]] = [:]
    // The shapes looked up once, not per term (a sum has 24,300).
    let shapes = Dictionary(
      (record.reads + record.writes).map { ($0.name, $0.shape) }, uniquingKeysWith: { a, _ in a })
    func mark(_ name: String, _ index: [Int], _ style: Style) {
      guard let shape = shapes[name],
        Shape.contains(index, in: shape)
      else { return }
      let offset = Shape.offset(index, in: shape)
      if marks[name]?[offset] == .output || marks[name]?[offset] == .winner { return }
      marks[name, default: [:]][offset] = style
    }
    if case .jacobian = record.step.action, let J = record.writes.first?.value, J.rank == 2 {
      // The row (output element) and column (input element) of the entry.
      for c in 0..<J.shape[1] where c != e.index[1] { mark(e.tensor, [e.index[0], c], .source) }
      for r in 0..<J.shape[0] where r != e.index[0] { mark(e.tensor, [r, e.index[1]], .source) }
    }
    mark(e.tensor, e.index, .output)
    for (k, term) in e.terms.enumerated() {
      for factor in term.factors where !factor.isPadding {
        if let name = factor.tensor {
          var style = Style.source
          if case .maximum(let winner) = e.combination, winner == k { style = .winner }
          mark(name, factor.index, style)
        } else if let d = factor.derivative {
          mark(d.input, d.inputIndex, .source)  // the input element whose gradient this is
          // What the local derivative equals: X's window for ∂W, the filter for ∂X, the winner.
          for f in factor.local?.factors ?? [] where !f.isPadding {
            if case .maximum = factor.local?.rule {
              mark(f.tensor ?? "", f.index, .winner)
            } else {
              mark(f.tensor ?? "", f.index, .source)
            }
          }
        }
      }
    }
    return marks
  }
}
