import ConvTourEngine
import ConvTourLessons

/// `vgg16 explain LAYER --weight K C L M` as text and JSON: ∂J/∂W of one weight as the sum over
/// positions (and examples) of s·δz, its largest terms and the rest as one sum, and the fast path's
/// value beside it.
public struct WeightReport {
  public var architecture: VGG16Architecture
  public var weight: VGG16WeightExplanation
  public var top: Int

  public init(architecture: VGG16Architecture, weight: VGG16WeightExplanation, top: Int = 12) {
    (self.architecture, self.weight, self.top) = (architecture, weight, top)
  }

  var layer: VGG16Architecture.Layer { architecture.layers[weight.layer] }

  /// ∂J/∂W's index formula, 1-based: the sum over examples n (and positions) of its products.
  var formula: String {
    guard layer.kind == .convolution else { return "∂J/∂W[i, j] = Σ_n δz[n, i]·a[n, j]" }
    let st = layer.stride
    return "∂J/∂W[k, c, l, m] = Σ_n Σ_i,j s[n, c, \(IndexFormula.window("i", "l", stride: st)), "
      + "\(IndexFormula.window("j", "m", stride: st))]·δz[n, k, i, j]"
  }

  public func render() -> String {
    let one = weight.index.map { String($0 + 1) }.joined(separator: ", ")
    let order = layer.kind == .convolution ? "filter k, channel c, row l, column m" : "output i, input j"
    var lines = ["∂J/∂W[\(one)] of \(layer.name) (storage: \(order); 1-based)"]
    lines.append(IndexFormula.convention(padding: layer.kind == .convolution ? layer.padding : nil))
    if layer.kind == .convolution {
      let positions = layer.output[1] * layer.output[2]
      lines.append("\(positions) positions per example, δz = ∂J/∂z of \(layer.name) (after its ReLU mask):")
    } else {
      lines.append("one term per example, δz = ∂J/∂z of \(layer.name):")
    }
    lines.append(formula)
    lines += TermList(order: .magnitude, top: top, keepsExample: true).terms(
      weight.explanation, roles: weight.roles, grouped: false)
    lines.append(
      "∂J/∂W = \(NumberFormat.significant(weight.explanation.value))  (the reference ops, in Double)")
    if let fast = weight.fastValue {
      lines.append(TermList.agreement("the fast path's ∂J/∂W", weight.explanation.value, fast))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  public func json() -> JSONValue {
    var fields: [(String, JSONValue)] = [
      ("layer", .string(layer.name)), ("weight", .array(weight.index.map { .integer($0 + 1) })),
      ("value", .number(weight.explanation.value)),
      (
        "convention",
        .string(IndexFormula.convention(padding: layer.kind == .convolution ? layer.padding : nil))
      ),
      ("formula", .string(formula)),
    ]
    if let fast = weight.fastValue {
      fields += [
        ("fast_value", .number(Double(fast))),
        ("difference", .number(Double(fast) - weight.explanation.value)),
      ]
    }
    fields.append(("terms", ElementJSON.terms(weight.explanation, weight.roles, keepsExample: true)))
    return .object(fields)
  }
}
