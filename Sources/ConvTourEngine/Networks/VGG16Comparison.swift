/// Two passes of VGG-16 on the same weights and input (the direct and the Winograd convolutions),
/// compared layer by layer: a lesson in numerical error. Both results must have kept their
/// activations (`run(…, keepActivations: true)`) and run backward.
public struct VGG16Comparison: Sendable {
  public struct Row: Sendable {
    /// conv1_1 … fc8.
    public var layer: String
    /// The layer's output module (`features.1`, …), whose activations are compared.
    public var module: String
    /// ‖a_b − a_a‖ / ‖a_a‖ of the layer's output (after its ReLU).
    public var activation: Double
    /// The same for ∂J/∂W of the layer, for layers with weights.
    public var weightGradient: Double?
    /// Outputs where one ReLU passed (> 0) and the other did not: conv and fc6/fc7.
    public var reluFlips: Int?
    /// Pool windows whose winner (first maximum in row-major order) differs.
    public var poolFlips: Int?
  }

  public var rows: [Row]
  /// ‖∂J/∂x_b − ∂J/∂x_a‖ / ‖∂J/∂x_a‖.
  public var inputGradient: Double

  /// Compares b against a (a is the reference: its norms are the denominators).
  public init(_ a: VGG16Network.Result, _ b: VGG16Network.Result, architecture: VGG16Architecture) throws {
    let activationsA = Dictionary(uniqueKeysWithValues: a.activations.map { ($0.module, $0.tensor) })
    let activationsB = Dictionary(uniqueKeysWithValues: b.activations.map { ($0.module, $0.tensor) })
    var rows: [Row] = []
    var previous: String? = nil  // the module of the layer before: a pool's input
    for layer in architecture.layers {
      guard let module = layer.outputModule, let outA = activationsA[module], let outB = activationsB[module]
      else { continue }
      var row = Row(layer: layer.name, module: module, activation: Self.relative(outB.values, outA.values))
      if let name = layer.weightName, let gA = a.gradients[name], let gB = b.gradients[name] {
        row.weightGradient = Self.relative(gB.values, gA.values)
      }
      switch layer.kind {
      case .convolution, .fullyConnected(relu: true):
        row.reluFlips = zip(outA.values, outB.values).count { ($0 > 0) != ($1 > 0) }
      case .maxPool:
        if let previous, let inA = activationsA[previous], let inB = activationsB[previous] {
          let pool = FastMaxPool(window: 2, stride: 2)
          let (winnersA, winnersB) = (try pool.forward(inA).winners, try pool.forward(inB).winners)
          row.poolFlips = zip(winnersA, winnersB).count { $0 != $1 }
        }
      default: break
      }
      rows.append(row)
      previous = module
    }
    self.rows = rows
    inputGradient = Self.relative(b.inputGradient?.values ?? [], a.inputGradient?.values ?? [])
  }

  /// ‖b − a‖ / ‖a‖ in Double (0 when both are zero; NaN when either holds a NaN or an infinity).
  static func relative(_ b: [Float], _ a: [Float]) -> Double {
    var (difference, norm) = (0.0, 0.0)
    for (x, y) in zip(b, a) {
      guard x.isFinite, y.isFinite else { return .nan }
      difference += (Double(x) - Double(y)) * (Double(x) - Double(y))
      norm += Double(y) * Double(y)
    }
    return norm == 0 ? (difference == 0 ? 0 : .infinity) : (difference / norm).squareRoot()
  }

  /// Every layer where ReLU or max-pool decisions flipped, with how many, in forward order; the
  /// highest of them (the last), and the largest gradient difference at or below it beside the
  /// largest above it: where the gradients part ways, and why.
  public var divergence:
    (flipped: [(layer: String, flips: Int)], layer: String, below: Double, above: Double)?
  {
    let flipped = rows.compactMap { row -> (layer: String, flips: Int)? in
      let flips = (row.reluFlips ?? 0) + (row.poolFlips ?? 0)
      return flips > 0 ? (row.layer, flips) : nil
    }
    guard let top = rows.lastIndex(where: { ($0.reluFlips ?? 0) + ($0.poolFlips ?? 0) > 0 }) else {
      return nil
    }
    let below = rows[...top].compactMap(\.weightGradient).max() ?? inputGradient
    let above = rows[(top + 1)...].compactMap(\.weightGradient).max() ?? 0
    return (flipped, rows[top].layer, max(below, inputGradient), above)
  }

  /// The first layer (in forward order) whose difference could not be measured: an output or
  /// ∂J/∂W that holds NaN or an infinity (NaN or infinite weights or input), where a NaN is
  /// neither above nor below 0 and decides no ReLU: nil when every difference is a number.
  public var firstNotMeasured: String? {
    if let row = rows.first(where: { !$0.activation.isFinite || !($0.weightGradient ?? 0).isFinite }) {
      return row.layer
    }
    return inputGradient.isFinite ? nil : "∂J/∂x"
  }
}
