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
    // A cell of a padding op's own zero border is no element of its input: it is just 0.
    if f.isPadding, f.padding == 0 { return "the zero border" }
    let text = f.padding > 0 ? reference("s", paddedIndex(f)) : reference(f.tensor ?? "?", f.index)
    return f.isPadding ? "\(text) (zero border)" : text
  }

  /// A factor read through a padding p: its index in s = h_p(tensor), 0-based (the tensor's own
  /// index plus p on the last two axes).
  static func paddedIndex(_ f: TraceFactor) -> [Int] {
    f.index.enumerated().map { $0.offset >= f.index.count - 2 ? $0.element + f.padding : $0.element }
  }

  /// "s = h_1(x): s[c, i+1, j+1] = x[c, i, j], counted from 1" for the first factor read through
  /// a padding among `factors`, else nil: the convention, stated once per element.
  static func paddedConvention(_ factors: [TraceFactor]) -> String? {
    guard let f = factors.first(where: { $0.padding > 0 }), let tensor = f.tensor else { return nil }
    let p = f.padding
    let lead = Array(["n", "c"].suffix(max(0, f.index.count - 2)))
    let s = (lead + ["i+\(p)", "j+\(p)"]).joined(separator: ", ")
    let x = (lead + ["i", "j"]).joined(separator: ", ")
    return "s = h_\(p)(\(tensor)): s[\(s)] = \(tensor)[\(x)], counted from 1"
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
