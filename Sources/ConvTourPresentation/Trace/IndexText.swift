import ConvTourEngine
import ConvTourLessons

/// How indices and references read in traces: 1-based, in the tensor's own dimension order.
enum IndexText {
  /// "z[1, 2, 3]" from a 0-based index; a scalar's empty index gives just "z".
  static func reference(_ name: String, _ index: [Int]) -> String {
    index.isEmpty ? name : "\(name)[\(oneBased(index))]"
  }

  static func oneBased(_ index: [Int]) -> String {
    index.map { String($0 + 1) }.joined(separator: ", ")
  }

  static func shape(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  /// The text of a factor: "x[1, 1, 1]", "x[0, 1, 1] (zero border)", "∂z[1]/∂a[2]".
  static func factor(_ f: TraceFactor) -> String {
    if let d = f.derivative {
      return "∂\(reference(d.output, d.outputIndex))/∂\(reference(d.input, d.inputIndex))"
    }
    let text = reference(f.tensor ?? "?", f.index)
    return f.isPadding ? "\(text) (zero border)" : text
  }

  /// The storage index order of a tensor, stated once beside it; for a [C, H, W] map also the
  /// documents' order, which puts the channel last: z[c, i, j] is the documents' z(i, j, c).
  static func order(_ shape: [Int]) -> String {
    switch shape.count {
    case 2: return "[row, column]"
    case 3: return "[k, i, j] = documents' (i, j, k), k channel"
    case 4: return "[filter or example, channel, row, column]"
    default: return ""
    }
  }

  /// The documents' index of a [C, H, W] element, 1-based: "(1,1,2)" for [2, 1, 1]; nil for
  /// other ranks, whose order the documents share.
  static func documents(_ name: String, _ index: [Int]) -> String? {
    guard index.count == 3 else { return nil }
    return "\(name)(\(index[1] + 1),\(index[2] + 1),\(index[0] + 1))"
  }
}
