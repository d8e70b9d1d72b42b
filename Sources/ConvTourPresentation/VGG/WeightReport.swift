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

  public func render() -> String {
    let one = weight.index.map { String($0 + 1) }.joined(separator: ", ")
    let order = layer.kind == .convolution ? "filter k, channel c, row l, column m" : "output i, input j"
    var lines = ["∂J/∂W[\(one)] of \(layer.name) (storage: \(order); 1-based)"]
    if layer.kind == .convolution {
      let positions = layer.output[1] * layer.output[2]
      lines.append(
        "= Σ_n Σ_i,j s[n, c, i+l−1, j+m−1]·δz[n, k, i, j]: \(positions) positions per example, "
          + "δz = ∂J/∂z of \(layer.name) (after its ReLU mask)")
    } else {
      lines.append("= Σ_n δz[n, i]·a[n, j]: one term per example, δz = ∂J/∂z of \(layer.name)")
    }
    lines += TermList(order: .magnitude, top: top).terms(
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
    ]
    if let fast = weight.fastValue {
      fields += [
        ("fast_value", .number(Double(fast))),
        ("difference", .number(Double(fast) - weight.explanation.value)),
      ]
    }
    fields.append(("terms", ElementJSON.terms(weight.explanation, weight.roles)))
    return .object(fields)
  }
}
