import ConvTourLessons

extension CheckValue {
  /// A side of a check as a reader compares it with the document: up to 8 values with up to 6
  /// significant digits, "shape [6, 3, 3]", "2 − 1Δ", "≈ g_num", "largest difference 1e−12";
  /// a claim's predicate, and its measures: "nonzero_rows(dW16) = 3, so it does not hold".
  public var text: String {
    switch self {
    case .shape(let shape): "shape [" + shape.map(String.init).joined(separator: ", ") + "]"
    case .values(let values):
      values.prefix(8).map(NumberFormat.significant).joined(separator: ", ")
        + (values.count > 8 ? ", … (\(values.count) values)" : "")
    case .dual(let a, let b):
      "\(NumberFormat.significant(a)) \(b < 0 ? "−" : "+") \(NumberFormat.significant(abs(b)))Δ"
    case .agrees(let other): "≈ \(other)"
    case .difference(let worst): "largest difference \(NumberFormat.significant(worst))"
    case .below(let bound): "< \(NumberFormat.significant(bound))"
    case .belowTensor(let other): "< \(other)"
    case .against(let values, let bounds):
      "\(CheckValue.values(values).text) against \(CheckValue.values(bounds).text)"
    case .predicate(let predicate): predicate
    case .measured(let names, let values, let holds):
      zip(names, values).map { "\($0) = \(NumberFormat.significant($1))" }.joined(separator: ", ")
        + (holds ? ", so it holds" : ", so it does not hold")
    case .nothing: "nothing"
    }
  }
}
