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

  var list: TermList { TermList(order: order, top: top, expand: expand) }

  public func render() -> String {
    var lines = header()
    lines += list.terms(
      forward.explanation, roles: forward.roles, grouped: TermList.grouped(forward.explanation))
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
    ]
    switch layer.kind {
    case .convolution where layer.kernel == 3 && layer.stride == 1 && layer.padding == 1:
      let c = layer.input[0]
      lines.append(
        "z = Σ_c Σ_l,m s[c, i+l−1, j+m−1]·W[k, c, l, m] + b[k]: \(c) input channels × 9 products, and the bias"
      )
    case .convolution:
      let (c, f, st, p) = (layer.input[0], layer.kernel, layer.stride, layer.padding)
      // The input row of output row i and tap l, 1-based: st·(i−1) + l − p.
      func at(_ i: String, _ l: String) -> String {
        let shift = st == 1 ? 1 + p : p
        let base = st == 1 ? "\(i)+\(l)" : "\(st)(\(i)−1)+\(l)"
        return shift == 0 ? base : "\(base)−\(shift)"
      }
      lines.append(
        "z = Σ_c Σ_l,m s[c, \(at("i", "l")), \(at("j", "m"))]·W[k, c, l, m] + b[k] (l, m = 1…\(f)): "
          + "\(c) input channels × \(f * f) products, and the bias")
    case .maxPool:
      lines.append("m = max over its \(layer.kernel)×\(layer.kernel) window of a (stride \(layer.stride))")
    case .averagePool:
      lines.append("m = mean of its \(layer.kernel)×\(layer.kernel) window of a (stride \(layer.stride))")
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

  func backward(_ d: VGG16DeltaExplanation) -> [String] {
    let layer = architecture.layers[d.layer]
    let above = architecture.layers[d.routeLayer]
    var lines = ["", "δ = ∂J/∂(\(layer.name) output) at \(place(d.index))"]
    switch above.kind {
    case .softmax: lines.append("from the loss: δ = (a − y)/m, a = softmax(z), y one-hot")
    case _ where d.routeLayer == d.layer:
      lines.append("from the loss J = Σ ‖z − t‖²: δ = 2(z − t)")
    case .maxPool:
      lines.append("through \(above.name): the pooled δ goes to its window's winner; the others get 0")
    case .averagePool:
      lines.append(
        "through \(above.name): each element of a window gets its δm / \(above.kernel * above.kernel)")
    case .convolution where above.kernel != 3 || above.stride != 1 || above.padding != 1:
      lines.append(
        "through \(above.name) (transposed convolution): δ = Σ δz[k, i′, j′]·W[k, c, l, m] over the outputs "
          + "(i′, j′) whose \(above.kernel)×\(above.kernel) window (stride \(above.stride), padding "
          + "\(above.padding)) reads this element")
    case .convolution:
      lines.append(
        "through \(above.name) (transposed convolution): δ = Σ_k Σ_l,m δz[k, i+1−l, j+1−m]·W[k, c, l, m], "
          + "δz = ∂J/∂z of \(above.name), W its filters (flipped)")
    default: lines.append("through \(above.name): δ = Σ_i W[i, j]·δz[i], a column of its W")
    }
    if let window = d.window {
      lines.append("  the window in \(layer.name)'s output:")
      lines += list.terms(window, roles: [layer.name], grouped: false)
    }
    lines += list.terms(d.route, roles: d.routeRoles, grouped: above.kind == .convolution)
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

}
