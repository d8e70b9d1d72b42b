import ConvTourEngine
import ConvTourLessons

/// `vgg16 explain` as text: one element of a VGG-16 run, its terms (grouped per input channel for
/// a convolution), their running total, the ReLU, and how far the fast path's Float32 value is
/// from the reference ops' Double one; with `delta`, where its gradient came from.
public struct ElementReport {
  public enum Order: String, CaseIterable, Sendable {
    /// In the order the sum runs (input channel 1, 2, …).
    case index
    /// Largest |contribution| first.
    case magnitude
  }

  public var architecture: VGG16Architecture
  public var forward: VGG16Explanation
  public var delta: VGG16DeltaExplanation?
  /// nil: as the sum runs for a convolution's channels, largest first for long lists of products.
  public var order: Order?
  /// Rows listed before "the rest" (fully connected layers, softmax, long routes).
  public var top: Int
  /// A group (0-based input channel, or filter of the layer above for δ) whose products to list.
  public var expand: Int?

  public init(
    architecture: VGG16Architecture, forward: VGG16Explanation, delta: VGG16DeltaExplanation?,
    order: Order? = nil, top: Int = 12, expand: Int? = nil
  ) {
    (self.architecture, self.forward, self.delta) = (architecture, forward, delta)
    (self.order, self.top, self.expand) = (order, top, expand)
  }

  public func render() -> String {
    var lines = header()
    lines += terms(forward.explanation, roles: forward.roles, grouped: groupsExist(forward.explanation))
    let e = forward.explanation
    switch e.combination {
    case .maximum(let winner):
      lines.append(
        "m = the largest of the window = \(e.terms[winner].factors[0].value.shown) (the first in row order wins ties)"
      )
    case .normalized(let i):
      let sum = e.terms.reduce(0.0) { $0 + $1.value }
      lines.append("Σ_j e^z(j) = \(sum.shown)")
      lines.append(
        "a = e^z(\(i + 1)) / Σ_j e^z(j) = \(e.terms[i].value.shown) / \(sum.shown) = \(e.value.shown)")
    case .function: lines.append("copied: \(e.value.shown)")
    default: lines.append("z = \(e.value.shown)  (the reference ops, in Double)")
    }
    if forward.hasReLU { lines.append("a = max{z, 0} = \(forward.value.shown)") }
    lines.append(agreement("the fast path stored", forward.value, forward.fastValue))
    if let delta { lines += backward(delta) }
    return lines.joined(separator: "\n") + "\n"
  }

  func header() -> [String] {
    let layer = architecture.layers[forward.layer]
    var lines = [
      "\(layer.name) (\(layer.postName)), example \(forward.index[0] + 1), element \(place(forward.index))"
    ]
    switch layer.kind {
    case .convolution:
      let c = layer.input[0]
      lines.append(
        "z = Σ_c Σ_l,m s[c, i+l−1, j+m−1]·W[k, c, l, m] + b[k]: \(c) input channels × 9 products, and the bias"
      )
    case .maxPool: lines.append("m = max over its 2×2 window of a (stride 2)")
    case .fullyConnected: lines.append("z = Σ_j W[i, j]·a[j] + b[i]: \(layer.input[0]) products and the bias")
    case .softmax: lines.append("a = e^z(i) / Σ_j e^z(j) over \(layer.input[0]) classes")
    case .flatten: lines.append("f = m in PyTorch's order: (c, i, j) → (c·H + i)·W + j")
    }
    return lines
  }

  /// "[k, i, j] (storage: channel, row, column) = (i, j, k) in the post" for images, "[j]" for vectors.
  func place(_ index: [Int]) -> String {
    let one = index.dropFirst().map { $0 + 1 }
    guard one.count == 3 else { return "[\(one.map(String.init).joined(separator: ", "))]" }
    return "[\(one[0]), \(one[1]), \(one[2])] (storage: channel, row, column; 1-based) "
      + "= (\(one[1]), \(one[2]), \(one[0])) in the post's (row, column, channel)"
  }

  func groupsExist(_ e: ElementExplanation) -> Bool {
    e.terms.count > 1 && e.terms.first.map { $0.factors.first?.index.count == 4 } == true
      && e.groups(input: 0, position: 1).count < e.terms.count
  }

  /// The terms: per group (input channel) with a running total when grouped, else one per line
  /// (the largest `top` when there are more, then the rest as one sum).
  func terms(_ e: ElementExplanation, roles: [String], grouped: Bool) -> [String] {
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
    var rows: [(label: String, value: Double, group: Int?)]
    if grouped {
      rows = e.groups(input: 0, position: 1).map {
        ("Σ_l,m " + groupText(e.terms[$0.terms[0]], roles), $0.sum, $0.key)
      }
      for term in e.terms where !term.factors.contains(where: { $0.input == 0 }) {
        rows.append((term.factors.map { factorText($0, roles) }.joined(separator: "·"), term.value, nil))
      }
    } else {
      rows = e.terms.map { (termText($0, roles), $0.value, nil) }
    }
    if (order ?? (grouped ? .index : .magnitude)) == .magnitude {
      rows.sort { abs($0.value) > abs($1.value) }
    }
    let shown = rows.count > top + 1 && !grouped ? top : rows.count
    lines.append("  \("term".padded(44)) \("value".padded(16)) running total")
    var total = 0.0
    for row in rows.prefix(shown) {
      total += row.value
      lines.append("  \(row.label.padded(44)) \(row.value.shown.padded(16)) \(total.shown)")
      if let g = row.group, g == expand {
        for t in e.groups(input: 0, position: 1).first(where: { $0.key == g })!.terms {
          lines.append("      \(termText(e.terms[t], roles)) = \(e.terms[t].value.shown)")
        }
      }
    }
    if shown < rows.count {
      let rest = rows[shown...].reduce(0.0) { $0 + $1.value }
      total += rest
      lines.append(
        "  \("the other \(rows.count - shown) terms".padded(44)) \(rest.shown.padded(16)) \(total.shown)")
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
      let index = Self.shownIndex(f, roles).dropLast(2).map(String.init) + ["·", "·"]
      return "\(Self.role(f, roles))[\(index.joined(separator: ", "))]"
    }.joined(separator: "·")
  }

  func factorText(_ f: Factor, _ roles: [String]) -> String {
    let index = Self.shownIndex(f, roles).map(String.init).joined(separator: ", ")
    return "\(Self.role(f, roles))[\(index)]" + (f.isPadding ? " (padding)" : "")
  }

  static func role(_ f: Factor, _ roles: [String]) -> String { f.input < roles.count ? roles[f.input] : "?" }

  /// A factor's index from 1, without the example for activations and deltas ([n, c, i, j] and
  /// [n, j]); parameters (W, b) keep theirs whole.
  static func shownIndex(_ f: Factor, _ roles: [String]) -> [Int] {
    let parameter = ["W", "b"].contains(role(f, roles))
    return (parameter ? f.index : Array(f.index.dropFirst())).map { $0 + 1 }
  }

  func backward(_ d: VGG16DeltaExplanation) -> [String] {
    let layer = architecture.layers[d.layer]
    let above = architecture.layers[d.routeLayer]
    var lines = ["", "δ = ∂J/∂(\(layer.name) output) at \(place(d.index))"]
    switch above.kind {
    case .softmax: lines.append("from the loss: δ = (a − y)/m, a = softmax(z), y one-hot")
    case .maxPool:
      lines.append("through \(above.name): the pooled δ goes to its window's winner; the others get 0")
    case .convolution:
      lines.append(
        "through \(above.name) (transposed convolution): δ = Σ_k Σ_l,m δz[k, i+1−l, j+1−m]·W[k, c, l, m], "
          + "δz = ∂J/∂z of \(above.name), W its filters (flipped)")
    default: lines.append("through \(above.name): δ = Σ_i W[i, j]·δz[i], a column of its W")
    }
    if let window = d.window {
      lines.append("  the window in \(layer.name)'s output:")
      lines += terms(window, roles: [layer.name], grouped: false)
    }
    lines += terms(d.route, roles: d.routeRoles, grouped: above.kind == .convolution)
    lines.append("δ = \(d.delta.shown)  (the reference ops, in Double)")
    lines.append(agreement("the fast path's δ", d.delta, d.fastDelta))
    if let passes = d.reluPasses {
      lines.append(
        passes
          ? "ReLU: a > 0, so ∂J/∂z = δ = \(d.dz.shown)"
          : "ReLU: a = 0, so ∂J/∂z = 0 (no gradient flows below)")
    }
    return lines
  }

  func agreement(_ what: String, _ exact: Double, _ fast: Float) -> String {
    let difference = abs(Double(fast) - exact)
    let relative = exact == 0 ? "" : ", \(NumberFormat.significant(difference / abs(exact))) relative"
    return
      "\(what) \(NumberFormat.significant(Double(fast))) (Float32): difference \(NumberFormat.significant(difference))\(relative)"
  }
}

extension Double {
  fileprivate var shown: String { NumberFormat.significant(self) }
}

extension String {
  fileprivate func padded(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
