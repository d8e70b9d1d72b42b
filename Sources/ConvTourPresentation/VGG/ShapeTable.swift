import ConvTourEngine

/// `convtour vgg16 table`: one row per layer with shapes, parameters, multiply-adds, memory and
/// the dense Jacobian the post talks about beside what the engine stores; then the totals.
public struct ShapeTable {
  public var architecture: VGG16Architecture
  public var batch: Int

  public init(architecture: VGG16Architecture, batch: Int) {
    self.architecture = architecture
    self.batch = batch
  }

  /// Rows of cells: a header, then one row per layer.
  public func rows() -> [[String]] {
    var rows = [
      [
        "layer", "post", "input", "output", "kernel/stride/pad", "parameters", "multiply-adds", "activations",
        "backward keeps", "dense Jacobian ∂out/∂in", "engine stores",
      ]
    ]
    for layer in architecture.layers {
      let (r, c) = layer.denseJacobian
      rows.append([
        layer.name, layer.postName, Self.shape(layer.input), Self.shape(layer.output),
        layer.kernelStridePadding,
        layer.parameterCount == 0 ? "—" : Self.grouped(layer.parameterCount),
        layer.multiplyAdds == 0 ? "—" : Self.grouped(layer.multiplyAdds * batch),
        Self.bytes(layer.kind == .flatten ? 0 : Shape.count(layer.output) * batch * 4),
        layer.kept.elements == 0
          ? "—" : "\(Self.bytes(layer.kept.elements * batch * 4)) (\(layer.kept.what))",
        "\(Self.grouped(r)) × \(Self.grouped(c)) = \(Self.grouped(r * c))",
        stores(layer),
      ])
    }
    return rows
  }

  /// What the engine keeps instead of the dense Jacobian.
  func stores(_ layer: VGG16Architecture.Layer) -> String {
    switch layer.kind {
    case .convolution: "W: \(Self.grouped(layer.weightCount))\(layer.relu ? " + ReLU mask" : "")"
    case .maxPool: "\(Self.grouped(Shape.count(layer.output))) winner indices"
    case .averagePool: "nothing (each weight is 1/\(layer.kernel * layer.kernel))"
    case .flatten: "nothing (a reshape)"
    case .fullyConnected: "W: \(Self.grouped(layer.weightCount))"
    case .softmax: "a: \(Self.grouped(Shape.count(layer.output))) (J = diag(a) − a·aᵀ)"
    }
  }

  /// The columns that fit 100 columns of text: layer, post, output, kernel, parameters,
  /// multiply-adds, activations (the rest with `wide`).
  static let narrowColumns = [0, 1, 3, 4, 5, 6, 7]

  /// The table; `wide` gives every column (over 200 characters a row), else those that fit 100.
  public func render(wide: Bool = true) -> String {
    let all = rows()
    let columns = wide ? Array(all[0].indices) : Self.narrowColumns
    let rows = all.map { row in columns.map { row[$0] } }
    let widths = columns.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    var out = rows.map { row in
      zip(row, widths).enumerated().map { c, cell in
        let (text, width) = cell
        let pad = String(repeating: " ", count: width - text.count)
        return (5...7).contains(columns[c]) ? pad + text : text + pad
      }.joined(separator: "  ").trimmingTrailingSpaces()
    }
    out.insert(String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1)), at: 1)
    out.append("")
    out.append(contentsOf: totals())
    if !wide {
      out.append(
        "--wide adds the input shape, what backward keeps, the dense Jacobian and what the engine stores.")
    }
    return out.joined(separator: "\n") + "\n"
  }

  public func totals() -> [String] {
    let a = architecture
    let parameters = a.parameterCount
    let macs = a.multiplyAdds * batch
    let activations = a.activationElements * batch * 4
    let kept = a.keptElements * batch * 4
    return [
      "Input \(a.input[1])×\(a.input[2])×\(a.input[0]), batch \(batch); \(a.weightLayers) layers with weights.",
      "Parameters: \(Self.grouped(parameters)) (\(Self.bytes(parameters * 4)) in FP32); their gradients: \(Self.bytes(parameters * 4)).",
      "Multiply-adds, forward: \(Self.grouped(macs)) (\(Self.giga(macs)) G; \(Self.giga(2 * macs)) GFLOP); backward ≈ 2× forward.",
      "Activations, forward: \(Self.bytes(activations)); kept for the backward pass: \(Self.bytes(kept)).",
      "Total for forward + backward: about \(Self.bytes(parameters * 8 + kept)) (parameters, gradients, kept activations).",
      "The tour keeps, to step into any element after a run: every layer's output and δ, \(Self.bytes(2 * activations)).",
    ]
  }

  public static func shape(_ s: [Int]) -> String { s.map(String.init).joined(separator: "×") }

  /// 138,357,544.
  public static func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (k, c) in digits.enumerated() {
      if k > 0, (digits.count - k) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return out
  }

  public static func giga(_ n: Int) -> String {
    let tenths = (Double(n) / 1e7).rounded() / 100
    return String(tenths)
  }

  /// "553.4 MB", "12.3 kB".
  public static func bytes(_ n: Int) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"]
    var value = Double(n)
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    if unit == 0 { return "\(n) B" }
    return String((value * 10).rounded() / 10) + " " + units[unit]
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = self
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }
}
