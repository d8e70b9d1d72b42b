import ConvTourEngine
import ConvTourLessons

/// One output element as lines of text, built from its trace (data, not parsed text): a
/// headline saying how the terms combine, then one row per term with its full value and the
/// running total after it, so the terms can be added up by hand to the element's value.
/// Backward terms add a row naming their local derivative and what it equals.
struct ElementText {
  /// A line of the terms: the text, the running total after it (nil when there is none) and
  /// whether it explains the term above (a local derivative).
  struct Row: Equatable {
    var text: String
    var total: String?
    var isDetail = false
  }

  var number: NumberStyle

  func headline(_ e: ElementTrace) -> String {
    let factors = e.terms.flatMap { $0.factors + $0.factors.flatMap { $0.local?.factors ?? [] } }
    guard let convention = IndexText.paddedConvention(factors) else { return plainHeadline(e) }
    return plainHeadline(e) + "  (\(convention))"
  }

  func plainHeadline(_ e: ElementTrace) -> String {
    var name = IndexText.reference(e.tensor, e.index)
    if let documents = IndexText.documents(e.tensor, e.index) { name += " = \(documents)" }
    let value = number.text(e.value)
    switch e.combination {
    case .sum where e.terms.isEmpty: return "\(name) = 0: no output reads it"
    case .sum where isSingle(e): return "\(name) = \(term(e.terms[0]))"
    case .sum where e.terms.count == 1: return "\(name) = \(value), one term"
    case .sum: return "\(name) = Σ of \(e.terms.count) terms = \(value)"
    case .maximum(let winner):
      return
        "\(name) = max of \(e.terms.count) = \(value), won by \(IndexText.factor(e.terms[winner].factors[0]))"
    case .mean: return "\(name) = Σ of \(e.terms.count) terms / \(e.terms.count) = \(value)"
    case .normalized(let numerator):
      let top = IndexText.factor(e.terms[numerator].factors[0])
      let tensor = e.terms[numerator].factors[0].tensor ?? "z"
      return "\(name) = e^\(top) / Σ e^\(tensor) (\(e.terms.count) terms) = \(value)"
    case .function("copy"):
      return "\(name) = \(e.terms.first.map { IndexText.factor($0.factors[0]) } ?? "") = \(value)"
    case .function(let f):
      let first = e.terms.first.map { IndexText.factor($0.factors[0]) } ?? ""
      return "\(name) = \(f) with \(first) = \(e.terms.first.map { number.text($0.value) } ?? "") → \(value)"
    }
  }

  /// The rows under the headline (none for a copy or a function of one value).
  func rows(_ e: ElementTrace) -> [Row] { rows(e, limit: Int.max).rows }

  /// The rows of the first terms, up to about `limit` rows (the screen formats what it shows, not
  /// all 24,300 terms of a large sum every frame), and how many terms are left unformatted.
  func rows(_ e: ElementTrace, limit: Int) -> (rows: [Row], termsLeft: Int) {
    if case .function = e.combination { return ([], 0) }
    if e.combination == .sum, isSingle(e) { return ([], 0) }
    var rows: [Row] = []
    var running = 0.0
    var best = -Double.infinity
    for (k, t) in e.terms.enumerated() {
      if rows.count >= limit { return (rows, e.terms.count - k) }
      let total: String?
      switch e.combination {
      case .sum, .mean, .normalized:
        running += t.value
        total = e.terms.count > 1 ? "Σ = \(number.text(running))" : nil
      case .maximum:
        best = max(best, t.value)
        total = "max = \(number.text(best))"
      case .function: total = nil
      }
      rows.append(Row(text: term(t), total: total))
      for f in t.factors { if let d = detail(f) { rows.append(Row(text: d, isDetail: true)) } }
    }
    switch e.combination {
    case .mean:
      rows.append(
        Row(text: "÷ \(e.terms.count): \(number.text(running)) / \(e.terms.count) = \(number.text(e.value))"))
    case .normalized(let numerator):
      let top = e.terms[numerator]
      rows.append(
        Row(
          text:
            "\(IndexText.reference(e.tensor, e.index)) = e^\(IndexText.factor(top.factors[0])) / Σ = \(number.text(top.value)) / \(number.text(running)) = \(number.text(e.value))"
        ))
    default: break
    }
    return (rows, 0)
  }

  /// One term and nothing to explain about it: the headline says it all.
  func isSingle(_ e: ElementTrace) -> Bool {
    e.terms.count == 1 && e.terms[0].factors.allSatisfy { $0.local == nil }
  }

  /// Headline and rows as plain lines: the total follows its term after "   ".
  func lines(_ e: ElementTrace) -> [String] {
    [headline(e)] + rows(e).map { ($0.isDetail ? "  " : "") + $0.text + ($0.total.map { "   " + $0 } ?? "") }
  }

  /// "x[1, 1, 1] · W[1, 1, 1, 1] = 0.5000 · −0.2000 = −0.1000", or an expression with its inputs.
  func term(_ term: TraceTerm) -> String {
    let names = term.factors.map(IndexText.factor)
    let values = term.factors.map { number.text($0.value) }
    let value = number.text(term.value)
    switch term.form {
    case .product:
      if names.count == 1 { return "\(names[0]) = \(value)" }
      return "\(names.joined(separator: " · ")) = \(values.joined(separator: " · ")) = \(value)"
    case .infix(let symbol):
      return
        "\(names.joined(separator: " \(symbol) ")) = \(values.joined(separator: " \(symbol) ")) = \(value)"
    case .expression(let expression):
      let given = zip(names, values).map { "\($0) = \($1)" }.joined(separator: ", ")
      return "\(expression) with \(given) → \(value)"
    }
  }

  /// A local derivative named and substituted: "∂conv2d[1, 2]/∂W[1, 1] = X[1, 2] = 2.0000".
  func detail(_ f: TraceFactor) -> String? {
    guard let local = f.local else { return nil }
    let name = IndexText.factor(f)
    let value = number.text(f.value)
    let factors = local.factors.map(IndexText.factor).joined(separator: " · ")
    let factorValues = local.factors.map { number.text($0.value) }.joined(separator: " · ")
    switch local.rule {
    case .product(let scale):
      let fraction = scale == 1 ? "" : "1/\(Int((1 / scale).rounded())) · "
      if local.factors.isEmpty {
        return scale == 1
          ? "\(name) = 1: \(f.derivative?.input ?? "x") enters the sum alone"
          : "\(name) = \(fraction.dropLast(3)) = \(value): one of the mean's terms"
      }
      if local.factors.count == 1, scale == 1 { return "\(name) = \(factors) = \(value)" }
      return "\(name) = \(fraction)\(factors) = \(fraction)\(factorValues) = \(value)"
    case .maximum(let winner):
      return winner
        ? "\(name) = 1: it wins the window (the max)"
        : "\(name) = 0: the window's max is \(factors)"
    case .softmax(let diagonal, let aj, let ai):
      guard let d = f.derivative else { return nil }
      let a = (IndexText.reference("a", d.outputIndex), IndexText.reference("a", d.inputIndex))
      return diagonal
        ? "\(name) = \(a.0)(1 − \(a.0)) = \(number.text(aj)) · (1 − \(number.text(aj))) = \(value)"
        : "\(name) = −\(a.0)·\(a.1) = −\(number.text(aj)) · \(number.text(ai)) = \(value)"
    case .constant(let c):
      return c > 0
        ? "\(name) = 1: \(f.derivative?.input ?? "x") is added"
        : "\(name) = −1: \(f.derivative?.input ?? "x") is subtracted"
    case .formula(let formula):
      return "\(name) = \(value), by \(formula)"
    }
  }
}
