import ConvTourEngine

/// The index formulas every explanation prints, in the documents' convention: indices count from
/// 1, and a convolution reads s, its input padded by p, counted from 1 (s[c, i+p, j+p] =
/// x[c, i, j]; rows and columns 1…p and H+p+1…H+2p are the zero border). Substituting an
/// element's own indices and each term's summation indices gives exactly the terms listed.
///
/// Each function returns one index expression as text, with the layer's stride S, kernel f and
/// padding p written in as numbers.
enum IndexFormula {
  /// The convention, stated once on each explanation.
  static func convention(padding: Int?) -> String {
    guard let p = padding else { return "indices count from 1 (channel, row, column)" }
    if p == 0 { return "indices count from 1; s is the input itself (no padding)" }
    let border = p == 1 ? "1 and H+2" : "1…\(p) and H+\(p + 1)…H+\(2 * p)"
    return "indices count from 1; s is the input padded by \(p): s[c, i+\(p), j+\(p)] = input[c, i, j], "
      + "its rows and columns \(border) the zero border"
  }

  /// The input row read by output row `i` and tap `l` of a window of stride S, from 1:
  /// S(i−1)+l, or i+l−1 for stride 1.
  static func window(_ i: String, _ l: String, stride: Int) -> String {
    stride == 1 ? "\(i)+\(l)−1" : "\(stride)(\(i)−1)+\(l)"
  }

  /// The output row whose window reads input row `i` (of the padded input: i+p) with tap `l`:
  /// S(i′−1)+l = i+p, so i′ = (i+p−l)/S+1 (kept only where it is a whole number inside the
  /// output), or i+p+1−l for stride 1.
  static func back(_ i: String, _ l: String, stride: Int, padding: Int) -> String {
    if stride == 1 { return "\(i)+\(padding + 1)−\(l)" }
    return padding == 0 ? "(\(i)−\(l))/\(stride)+1" : "(\(i)+\(padding)−\(l))/\(stride)+1"
  }

  /// The window (of stride S, as wide as its stride) holding row i: ⌊(i−1)/S⌋+1.
  static func pooled(_ i: String, stride: Int) -> String {
    stride == 1 ? i : "⌊(\(i)−1)/\(stride)⌋+1"
  }

  /// The place of [c, i, j] of a [C, H, W] map in its flattening (PyTorch's row-major order):
  /// (c−1)·H·W+(i−1)·W+j.
  static func flat(_ c: String, _ i: String, _ j: String, shape: [Int]) -> String {
    "(\(c)−1)·\(shape[1] * shape[2])+(\(i)−1)·\(shape[2])+\(j)"
  }

  /// The forward formula of layer k's output element, with what the sum runs over.
  static func forward(_ architecture: VGG16Architecture, layer k: Int) -> String {
    let layer = architecture.layers[k]
    let (f, st) = (layer.kernel, layer.stride)
    switch layer.kind {
    case .convolution:
      return "z[k, i, j] = Σ_c Σ_l,m s[c, \(window("i", "l", stride: st)), \(window("j", "m", stride: st))]"
        + "·W[k, c, l, m] + b[k] (l, m = 1…\(f))"
    case .maxPool, .averagePool:
      let what = layer.kind == .maxPool ? "max" : "mean"
      return
        "m[c, i, j] = \(what)_u,v a[c, \(window("i", "u", stride: st)), \(window("j", "v", stride: st))] "
        + "(u, v = 1…\(f))"
    case .fullyConnected:
      var text = "z[i] = Σ_j W[i, j]·a[j] + b[i]"
      if let (name, shape) = flattened(architecture, below: k) {
        text += ", a[j] = \(name)[c, i′, j′] with j = \(flat("c", "i′", "j′", shape: shape))"
      }
      return text
    case .softmax: return "a[i] = e^z[i] / Σ_j e^z[j]"
    case .flatten:
      return "f[t] = m[c, i, j] with t = \(flat("c", "i", "j", shape: layer.input))"
    }
  }

  /// When layer k (a fully connected layer) reads a flatten: the name and [C, H, W] of the layer
  /// before the flatten, whose elements its inputs a[j] are.
  static func flattened(_ architecture: VGG16Architecture, below k: Int) -> (String, [Int])? {
    let layers = architecture.layers
    guard k >= 1, layers[k - 1].kind == .flatten, layers[k - 1].input.count == 3 else { return nil }
    return (k >= 2 ? layers[k - 2].name : "x", layers[k - 1].input)
  }

  /// The pooled window's own formula, under a max-pool's or average pool's δ: the element's
  /// window in the layer's output, with the window's index given.
  static func window(_ pool: VGG16Architecture.Layer, at index: [Int]) -> String {
    let (f, st) = (pool.kernel, pool.stride)
    let what = pool.kind == .maxPool ? "max" : "mean"
    let at = index.dropFirst().map { String($0 + 1) }.joined(separator: ", ")
    return
      "m[c, i′, j′] = \(what)_u,v a[c, \(window("i′", "u", stride: st)), \(window("j′", "v", stride: st))] "
      + "(u, v = 1…\(f)) with [c, i′, j′] = [\(at)]"
  }
}
