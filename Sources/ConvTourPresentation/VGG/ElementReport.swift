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
  /// The classes' names (ImageNet's for VGG-16), shown beside an element of the last layers.
  public var classNames: [String]

  public init(
    architecture: VGG16Architecture, forward: VGG16Explanation, delta: VGG16DeltaExplanation?,
    order: Order? = nil, top: Int = 12, expand: Int? = nil, classNames: [String] = []
  ) {
    self.classNames = classNames
    (self.architecture, self.forward, self.delta) = (architecture, forward, delta)
    (self.order, self.top, self.expand) = (order, top, expand)
  }

  var list: TermList { TermList(order: order, top: top, expand: expand) }

  public func render() -> String {
    var lines = header()
    lines += list.terms(
      forward.explanation, roles: forward.roles, grouped: TermList.grouped(forward.explanation),
      flattened: IndexFormula.flattened(architecture, below: forward.layer))
    let e = forward.explanation
    switch e.combination {
    case .maximum(let winner):
      lines.append(
        "m = the largest of the window = \(e.terms[winner].factors[0].value.shown) (the first in row order wins ties)"
      )
    case .normalized(let i):
      let sum = e.terms.reduce(0.0) { $0 + $1.value }
      lines.append("Σ_j e^z[j] = \(sum.shown)")
      lines.append(
        "a[\(i + 1)] = e^z[\(i + 1)] / Σ_j e^z[j] = \(e.terms[i].value.shown) / \(sum.shown) = \(e.value.shown)"
      )
    case .function: lines.append("copied: \(e.value.shown)")
    case .mean:
      let sum = e.terms.reduce(0.0) { $0 + $1.value }
      lines.append(
        "m = the mean of the window = \(sum.shown) / \(e.terms.count) = \(e.value.shown)  (the reference ops, in Double)"
      )
    default: lines.append("z = \(e.value.shown)  (the reference ops, in Double)")
    }
    if forward.hasReLU { lines.append("a = max{z, 0} = \(forward.value.shown)") }
    lines.append(TermList.agreement("the fast path stored", forward.value, forward.fastValue))
    if let delta { lines += backward(delta) }
    return lines.joined(separator: "\n") + "\n"
  }

  func header() -> [String] {
    let layer = architecture.layers[forward.layer]
    var lines = [
      "\(layer.name) (\(layer.postName)), example \(forward.index[0] + 1), element \(place(forward.index))"
        + classText(forward.layer, forward.index),
      IndexFormula.convention(padding: layer.kind == .convolution ? layer.padding : nil),
    ]
    let formula = IndexFormula.forward(architecture, layer: forward.layer)
    // What the sum runs over in words, then the formula on a line of its own.
    switch layer.kind {
    case .convolution:
      let (c, f) = (layer.input[0], layer.kernel)
      lines.append("\(c) input channels × \(f * f) products, and the bias:")
    case .maxPool, .averagePool:
      lines.append("its \(layer.kernel)×\(layer.kernel) window, stride \(layer.stride):")
    case .fullyConnected: lines.append("\(layer.input[0]) products and the bias:")
    case .softmax: lines.append("over \(layer.input[0]) classes:")
    case .flatten: lines.append("in PyTorch's order:")
    }
    lines.append(formula)
    return lines
  }

  /// " = class 163 (Saluki)" for an element of the network's last layers (the classes, counted
  /// from 0 as PyTorch, `--labels` and the top-5 count them), else "".
  func classText(_ k: Int, _ index: [Int]) -> String {
    let layers = architecture.layers
    guard index.count == 2, layers[k].output == layers[layers.count - 1].output,
      layers[k].kind == .softmax || k >= layers.count - 2
    else { return "" }
    let c = index[1]
    let name = c < classNames.count && classNames[c] != String(c) ? " (\(classNames[c]))" : ""
    return " = class \(c)\(name)"
  }

  /// "[k, i, j] (storage: channel, row, column) = (i, j, k) in the post" for images, "[j]" for vectors.
  func place(_ index: [Int]) -> String {
    let one = index.dropFirst().map { $0 + 1 }
    guard one.count == 3 else { return "[\(one.map(String.init).joined(separator: ", "))]" }
    return "[\(one[0]), \(one[1]), \(one[2])] (storage: channel, row, column; 1-based) "
      + "= (\(one[1]), \(one[2]), \(one[0])) in the post's (row, column, channel)"
  }

  func backward(_ d: VGG16DeltaExplanation) -> [String] {
    let layer = architecture.layers[d.layer]
    let above = architecture.layers[d.routeLayer]
    var lines = [
      "", "δ = ∂J/∂(\(layer.name) output) at \(place(d.index))" + classText(d.layer, d.index),
      deltaFormula(d).route, deltaFormula(d).formula,
    ]
    lines += list.terms(d.route, roles: d.routeRoles, grouped: above.kind == .convolution)
    if let window = d.window {
      lines.append("its window in \(layer.name)'s output: " + IndexFormula.window(above, at: window.output))
      lines += list.terms(window, roles: ["a"], grouped: false)
    }
    lines.append("δ = \(d.delta.shown)  (the reference ops, in Double)")
    lines.append(TermList.agreement("the fast path's δ", d.delta, d.fastDelta))
    if let passes = d.reluPasses {
      lines.append(
        passes
          ? "ReLU: a > 0, so ∂J/∂z = δ = \(d.dz.shown)"
          : "ReLU: a = 0, so ∂J/∂z = 0 (no gradient flows below)")
    }
    return lines
  }

  /// Where δ came from in words, then as an index formula of the element [c, i, j] (or [j]).
  func deltaFormula(_ d: VGG16DeltaExplanation) -> (route: String, formula: String) {
    let above = architecture.layers[d.routeLayer]
    let lhs = d.index.count == 4 ? "δ[c, i, j]" : "δ[i]"
    let (f, st, p) = (above.kernel, above.stride, above.padding)
    let overlapping = (above.kind == .maxPool || above.kind == .averagePool) && f != st
    switch above.kind {
    case .softmax: return ("from the loss, a = softmax(z), y one-hot:", "δ[i] = (a[i] − y[i])/m")
    case _ where d.routeLayer == d.layer:
      return ("from the loss J = Σ ‖z − t‖²:", "δ[i] = 2(z[i] − t)")
    case _ where overlapping:
      let what = above.kind == .maxPool ? "if a[c, i, j] won that window" : "divided by \(f * f)"
      return (
        "through \(above.name), whose windows overlap: the sum over the windows that hold the element",
        "\(lhs) = Σ_u,v δm[c, \(IndexFormula.back("i", "u", stride: st, padding: 0)), "
          + "\(IndexFormula.back("j", "v", stride: st, padding: 0))] (u, v = 1…\(f), where whole and inside), "
          + what
      )
    case .maxPool:
      return (
        "through \(above.name): the pooled δ goes to its window's winner; the others get 0",
        "\(lhs) = δm[c, \(IndexFormula.pooled("i", stride: st)), \(IndexFormula.pooled("j", stride: st))] "
          + "if a[c, i, j] won its window, else 0"
      )
    case .averagePool:
      return (
        "through \(above.name): each element of a window gets its share",
        "\(lhs) = δm[c, \(IndexFormula.pooled("i", stride: st)), \(IndexFormula.pooled("j", stride: st))]"
          + "/\(f * f)"
      )
    case .convolution:
      return (
        "through \(above.name) (transposed convolution), δz = ∂J/∂z of \(above.name):",
        "\(lhs) = Σ_k Σ_l,m δz[k, \(IndexFormula.back("i", "l", stride: st, padding: p)), "
          + "\(IndexFormula.back("j", "m", stride: st, padding: p))]·W[k, c, l, m] (l, m = 1…\(f), where "
          + (st == 1 ? "" : "whole and ") + "inside)"
      )
    default:
      if let (_, shape) = IndexFormula.flattened(architecture, below: d.routeLayer), d.index.count == 4 {
        return (
          "through \(above.name), a column of its W:",
          "\(lhs) = Σ_k W[k, t]·δz[k] with t = \(IndexFormula.flat("c", "i", "j", shape: shape))"
        )
      }
      return ("through \(above.name), a column of its W:", "δ[j] = Σ_k W[k, j]·δz[k]")
    }
  }
}
