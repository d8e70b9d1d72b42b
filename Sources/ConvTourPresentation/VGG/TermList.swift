import ConvTourEngine
import ConvTourLessons

/// The terms of an explained element as lines of text: grouped per input channel with a running
/// total (a convolution), or one per line with the largest `top` first and the rest as one sum.
struct TermList {
  /// nil: as the sum runs for groups, largest first for long lists of products.
  var order: ElementReport.Order?
  var top: Int
  /// A group (0-based key) whose products to list under its partial sum.
  var expand: Int?
  /// Whether activations and deltas keep their example in the index shown (∂J/∂W sums over
  /// examples; an element's explanation names its example once).
  var keepsExample = false
  /// When the inputs a[j] are a flattened map: its layer's name and [C, H, W], so a[j] is shown
  /// with the map element it is.
  var flattened: (name: String, shape: [Int])? = nil

  /// Whether a convolution's terms group by input channel (factors [n, c, i, j], fewer groups than terms).
  static func grouped(_ e: ElementExplanation) -> Bool {
    e.terms.count > 1 && e.terms.first.map { $0.factors.first?.index.count == 4 } == true
      && e.groups(input: 0, position: 1).count < e.terms.count
  }

  /// The terms: per group (input channel) with a running total when grouped, else one per line
  /// (the largest `top` when there are more, then the rest as one sum).
  func terms(
    _ e: ElementExplanation, roles: [String], grouped: Bool, flattened: (String, [Int])? = nil
  ) -> [String] {
    var list = self
    list.flattened = flattened.map { (name: $0.0, shape: $0.1) }
    return list.lines(e, roles: roles, grouped: grouped)
  }

  func lines(_ e: ElementExplanation, roles: [String], grouped: Bool) -> [String] {
    var listed = false
    switch e.combination {
    case .sum, .normalized: listed = true
    default: break
    }
    guard listed else {
      return e.terms.enumerated().map { t, term in
        let mark: String
        if case .maximum(let w) = e.combination, w == t { mark = "  ← the winner" } else { mark = "" }
        return "  \(factorText(term.factors[0], roles)) = \(term.value.shown)\(mark)"
      }
    }
    var lines: [String] = []
    // A row is a group (its key) or a term (its position); labels are written only for the rows
    // shown, since a fully connected layer has 25,089 terms.
    var rows: [(value: Double, group: ElementExplanation.Group?, term: Int?)]
    if grouped {
      rows = e.groups(input: 0, position: 1).map { ($0.sum, $0, nil) }
      for (t, term) in e.terms.enumerated() where !term.factors.contains(where: { $0.input == 0 }) {
        rows.append((term.value, nil, t))
      }
    } else {
      rows = e.terms.indices.map { (e.terms[$0].value, nil, $0) }
    }
    if (order ?? (grouped ? .index : .magnitude)) == .magnitude {
      rows.sort { abs($0.value) > abs($1.value) }
    }
    func label(_ row: (value: Double, group: ElementExplanation.Group?, term: Int?)) -> String {
      if let g = row.group { return "Σ_l,m " + groupText(e.terms[g.terms[0]], roles) }
      let term = e.terms[row.term!]
      return grouped
        ? term.factors.map { factorText($0, roles) }.joined(separator: "·") : termText(term, roles)
    }
    let shown = rows.count > top + 1 && !grouped ? top : rows.count
    let labels = rows.prefix(shown).map(label)
    // The label column is as wide as its widest label (at most 64), so numbers line up; a
    // longer label has a line of its own, so no term runs into its value.
    let width = min(64, max(44, labels.map(\.count).max() ?? 0))
    lines.append("  \("term".padded(width))  \("value".padded(16)) running total")
    var total = 0.0
    for (row, text) in zip(rows.prefix(shown), labels) {
      total += row.value
      if text.count > width { lines.append("  " + text) }
      let label = text.count > width ? "" : text
      lines.append("  \(label.padded(width))  \(row.value.shown.padded(16)) \(total.shown)")
      if let g = row.group, g.key == expand {
        for t in g.terms { lines.append("      \(termText(e.terms[t], roles)) = \(e.terms[t].value.shown)") }
      }
    }
    if shown < rows.count {
      let rest = rows[shown...].reduce(0.0) { $0 + $1.value }
      total += rest
      lines.append(
        "  \("the other \(rows.count - shown) terms".padded(width))  \(rest.shown.padded(16)) \(total.shown)")
    }
    return lines
  }

  func termText(_ term: Term, _ roles: [String]) -> String {
    let factors = term.factors.map { factorText($0, roles) }
    switch term.form {
    case .product where term.factors.count > 1:
      return factors.joined(separator: "·") + " = " + term.factors.map(\.value.shown).joined(separator: "·")
    case .expression("e^z"): return "e^\(factors[0]) = e^\(term.factors[0].value.shown)"
    case .expression(let text): return "\(text) with \(factors.joined(separator: ", "))"
    default: return factors.joined(separator: " ")
    }
  }

  /// A group's products with the window's row and column left open: s[2, ·, ·]·W[3, 2, ·, ·].
  func groupText(_ term: Term, _ roles: [String]) -> String {
    term.factors.map { f in
      let index = shownIndex(f, roles).dropLast(2).map(String.init) + ["·", "·"]
      return "\(Self.role(f, roles))[\(index.joined(separator: ", "))]"
    }.joined(separator: "·")
  }

  func factorText(_ f: Factor, _ roles: [String]) -> String {
    let index = shownIndex(f, roles).map(String.init).joined(separator: ", ")
    var text = "\(Self.role(f, roles))[\(index)]" + (f.isPadding ? " (padding)" : "")
    if let (name, shape) = flattened, Self.role(f, roles) == "a", let j = f.index.last,
      j < shape.reduce(1, *)
    {
      // a[j] of a flattened map: the map's [c, i, j], 1-based.
      let at = Shape.index(ofOffset: j, in: shape).map { String($0 + 1) }.joined(separator: ", ")
      text += " (\(name)[\(at)])"
    }
    return text
  }

  func shownIndex(_ f: Factor, _ roles: [String]) -> [Int] {
    keepsExample && !["W", "b"].contains(Self.role(f, roles))
      ? f.index.map { $0 + 1 } : Self.shownIndex(f, roles)
  }

  static func role(_ f: Factor, _ roles: [String]) -> String { f.input < roles.count ? roles[f.input] : "?" }

  /// A factor's index from 1, without the example for activations and deltas ([n, c, i, j] and
  /// [n, j]); parameters (W, b) keep theirs whole.
  static func shownIndex(_ f: Factor, _ roles: [String]) -> [Int] {
    let parameter = ["W", "b"].contains(role(f, roles))
    return (parameter ? f.index : Array(f.index.dropFirst())).map { $0 + 1 }
  }

  /// "what 1.5 (Float32): difference 2e-8, 1.3e-8 relative".
  static func agreement(_ what: String, _ exact: Double, _ fast: Float) -> String {
    let difference = abs(Double(fast) - exact)
    let relative = exact == 0 ? "" : ", \(NumberFormat.significant(difference / abs(exact))) relative"
    return
      "\(what) \(NumberFormat.significant(Double(fast))) (Float32): difference \(NumberFormat.significant(difference))\(relative)"
  }
}

extension Double {
  var shown: String { NumberFormat.significant(self) }
}

extension String {
  func padded(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
