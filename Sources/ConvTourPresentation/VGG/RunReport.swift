import ConvTourEngine
import Foundation

/// What `convtour vgg16 run` prints after a pass: per-layer times and GFLOP/s, the loss, the
/// top-5 classes of each example, and the gradient norm of every layer.
public struct RunReport {
  public var architecture: VGG16Architecture
  public var batch: Int
  public var result: VGG16Network.Result
  public var labels: [Int]
  public var classNames: [String]

  public init(
    architecture: VGG16Architecture, batch: Int, result: VGG16Network.Result, labels: [Int],
    classNames: [String]
  ) {
    self.architecture = architecture
    self.batch = batch
    self.result = result
    self.labels = labels
    self.classNames = classNames
  }

  /// FLOPs of a layer's forward pass (2 per multiply-add) and of its backward pass (∂L/∂W and
  /// ∂L/∂input: twice the forward), for the whole batch.
  func flops(_ layer: VGG16Architecture.Layer) -> (forward: Double, backward: Double) {
    let forward = 2 * Double(layer.multiplyAdds * batch)
    return (forward, 2 * forward)
  }

  public func render() -> String {
    var out: [String] = []
    let backward = result.inputGradient != nil
    out.append(
      "layer      forward ms   GFLOP/s" + (backward ? "   backward ms   GFLOP/s" : ""))
    var totals = (0.0, 0.0, 0.0, 0.0)
    for (k, layer) in architecture.layers.enumerated() {
      let (ff, bf) = flops(layer)
      let (ft, bt) = (result.forwardSeconds[k], result.backwardSeconds[k])
      totals = (totals.0 + ft, totals.1 + ff, totals.2 + bt, totals.3 + bf)
      var line = pad(layer.name, 9) + left(ms(ft), 12) + left(rate(ff, ft), 10)
      if backward { line += left(layer.kind == .softmax ? "—" : ms(bt), 14) + left(rate(bf, bt), 10) }
      out.append(line)
    }
    var total = pad("total", 9) + left(ms(totals.0), 12) + left(rate(totals.1, totals.0), 10)
    if backward { total += left(ms(totals.2), 14) + left(rate(totals.3, totals.2), 10) }
    out.append(total)
    out.append("")
    if let loss = result.loss, case .squaredDistance(let target) = architecture.loss {
      out.append(
        "loss J = Σ ‖z − \(NumberFormat.significant(Double(target)))‖² = \(String(format: "%.6f", loss))  "
          + "(\(architecture.loss.description), over the batch)")
    } else if let loss = result.loss {
      out.append(
        "loss J = (1/m)·Σ L = \(String(format: "%.6f", loss))  (cross-entropy, labels \(labels.map(String.init).joined(separator: " ")))"
      )
    }
    let crossEntropy = architecture.loss == .softmaxCrossEntropy
    for e in 0..<batch {
      out.append("example \(e + 1): " + (crossEntropy ? "top-5" : "the 5 largest outputs z"))
      let row = Array(
        result.probabilities.values[(e * architecture.classes)..<((e + 1) * architecture.classes)])
      let top = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(5)
      for k in top {
        let name = k < classNames.count ? classNames[k] : "class \(k)"
        out.append("  \(String(format: "%7.4f", row[k]))  \(left(String(k), 4))  \(name)")
      }
    }
    if backward {
      out.append("")
      out.append("gradient norms ‖∂J/∂W‖₂, ‖∂J/∂b‖₂")
      let norms = architecture.layers.compactMap { layer -> (String, Double, Double)? in
        guard layer.weightName != nil else { return nil }
        return (
          layer.name, norm(result.gradients[layer.weightName ?? ""]),
          norm(result.gradients[layer.biasName ?? ""])
        )
      }
      let largest = norms.map(\.1).max() ?? 1
      for (name, w, b) in norms {
        let bar = String(repeating: "█", count: largest > 0 ? Int((w / largest * 30).rounded()) : 0)
        out.append("  \(pad(name, 8)) \(String(format: "%.4e", w))  \(String(format: "%.4e", b))  \(bar)")
      }
      out.append("  \(pad("input", 8)) \(String(format: "%.4e", norm(result.inputGradient)))")
    }
    return out.joined(separator: "\n") + "\n"
  }

  func norm(_ t: Tensor32?) -> Double {
    guard let t else { return 0 }
    return t.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
  }

  func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }

  func rate(_ flops: Double, _ seconds: Double) -> String {
    flops == 0 || seconds <= 0 ? "—" : String(format: "%.1f", flops / seconds / 1e9)
  }

  func pad(_ s: String, _ n: Int) -> String {
    s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
  }
  func left(_ s: String, _ n: Int) -> String {
    s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s
  }
}
