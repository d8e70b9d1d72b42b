import ConvTourEngine
import Foundation

/// `bench --layers`: per layer, the medians of the forward pass alone, the same forward inside a
/// training step (which also decides close calls and keeps what the backward pass needs), ∂J/∂x
/// and ∂J/∂W — milliseconds, and GFLOP/s where the layer multiplies (2 floating-point operations
/// per multiply-add, as `bench` counts them throughout).
struct BenchLayerTable {
  var architecture: NetworkArchitecture
  var batch: Int
  /// Per timed run, per layer: seconds.
  var forward: [[Double]]
  var forwardInStep: [[Double]]
  var backward: [[Double]]
  var weightGradient: [[Double]]

  /// The layer the backward pass stops at: its ∂J/∂x (of the input) is not computed.
  var lowest: Int { architecture.layers.firstIndex { $0.weightName != nil } ?? 0 }

  func render() -> String {
    var lines = [
      "medians per layer: ms (GFLOP/s)",
      "layer      " + ["forward alone", "forward in a step", "∂J/∂x", "∂J/∂W"].map { pad($0) }.joined(),
    ]
    for (k, layer) in architecture.layers.enumerated() {
      let flops = 2 * Double(layer.multiplyAdds * batch)
      let f = median(forward.map { $0[k] })
      let fs = median(forwardInStep.map { $0[k] })
      let dW = median(weightGradient.map { $0[k] })
      let dx = median(backward.indices.map { backward[$0][k] - weightGradient[$0][k] })
      let hasWeights = layer.weightName != nil
      let cells = [
        cell(f, flops), cell(fs, flops),
        k == lowest && hasWeights ? pad("—") : cell(dx, hasWeights ? flops : 0),
        hasWeights ? cell(dW, flops) : pad("—"),
      ]
      lines.append(layer.name.padding(toLength: 11, withPad: " ", startingAt: 0) + cells.joined())
    }
    return lines.joined(separator: "\n")
  }

  /// Floating-point operations of a training step's forward and backward pass: the forward's,
  /// then ∂J/∂W of every layer with weights and ∂J/∂x of each but the lowest (the same
  /// multiply-adds again, each).
  static func stepFlops(_ architecture: NetworkArchitecture, batch: Int) -> Double {
    let lowest = architecture.layers.firstIndex { $0.weightName != nil } ?? 0
    let multiplyAdds = architecture.layers.enumerated().reduce(0) { sum, item in
      let (k, layer) = item
      return sum + layer.multiplyAdds * (layer.weightName == nil ? 1 : k == lowest ? 2 : 3)
    }
    return 2 * Double(multiplyAdds * batch)
  }

  func cell(_ seconds: Double, _ flops: Double) -> String {
    // Three significant digits down to a microsecond: the small networks' layers take 0.01–1 ms.
    let ms = seconds * 1000
    let time = String(format: ms >= 10 ? "%.1f" : ms >= 1 ? "%.2f" : "%.3f", ms)
    guard flops > 0, seconds > 0 else { return pad(time) }
    let rate = flops / seconds / 1e9
    return pad(time + String(format: rate < 10 ? " (%.1f)" : " (%.0f)", rate))
  }

  func pad(_ text: String) -> String {
    String(repeating: " ", count: max(1, 19 - text.count)) + text
  }

  func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }
}
