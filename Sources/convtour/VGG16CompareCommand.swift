import ArgumentParser
import ConvTourEngine
import ConvTourIO
import Foundation

/// `convtour vgg16 compare`: both convolution algorithms on the same weights and input, layer by
/// layer — how far Winograd's rounding moves each activation and gradient, and how many ReLU and
/// max-pool decisions it flips. A lesson in numerical error.
struct VGG16CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract:
      "Run the network (VGG-16 unless --network) with direct and with Winograd convolutions and compare "
      + "them layer by layer.",
    discussion: """
      Runs forward and backward twice, with direct and with Winograd convolutions, on the same \
      input, weights and labels (as for `run`), and prints per layer: the relative difference \
      ‖winograd − direct‖ / ‖direct‖ of its output (after the ReLU) and of its ∂J/∂W; for a layer \
      with a ReLU, how many of its outputs one run passed and the other clipped; for a max-pool, \
      how many of its windows chose another winner. Then the relative difference of ∂J/∂x, and \
      why the gradients differ: every flipped decision, by layer, and how far the gradients part \
      at and below the highest flip against above it (where the differences are rounding alone). \
      NaN or infinite values (in the weights or the input) are reported as such: no difference \
      can be measured there.
      """)

  @OptionGroup var inputs: VGG16InputOptions

  @Option(help: "Threads to split each layer across (default: all cores).")
  var threads: Int?

  mutating func run() throws {
    SystemMemory.keepFreedMemory()
    if let threads { FastPath.workers = try Limits.threads(threads) }
    let architecture = try inputs.architecture()
    let m = try inputs.batchSize()
    // Two passes' results are kept side by side: about what a batch twice as large needs.
    if let refusal = memoryRefusal(architecture, batch: 2 * m, backward: true) { throw UsageError(refusal) }
    let classes = try inputs.classes(architecture, m)
    // The input first: a bad image or array is reported before 553 MB of weights are read.
    let x = try inputs.tensor(architecture, m)
    try Self.compareAlgorithms(architecture, x, try inputs.parameters(architecture), classes)
  }
}

extension VGG16CompareCommand {
  /// Both algorithms, then the table.
  static func compareAlgorithms(
    _ architecture: VGG16Architecture, _ x: Tensor32, _ parameters: VGG16Parameters, _ classes: [Int]
  ) throws {
    let results = try [ConvolutionAlgorithm.direct, .winograd].map { algorithm in
      try VGG16Network(parameters: parameters, algorithm: algorithm).run(
        x, labels: classes, backward: true, keepActivations: true)
    }
    let comparison = try VGG16Comparison(results[0], results[1], architecture: architecture)
    print("winograd against direct on \(BLASLibrary.description(threads: FastPath.workers))")
    print("relative difference ‖winograd − direct‖ / ‖direct‖; decisions that flipped")
    print("layer     output     ∂J/∂W      ReLU flips   max-pool flips")
    func number(_ value: Double?) -> String {
      (value.map { String(format: "%.2e", $0) } ?? "—").padding(toLength: 11, withPad: " ", startingAt: 0)
    }
    func count(_ value: Int?, of total: Int) -> String {
      guard let value else { return "—" }
      return "\(value) of \(total)"
    }
    let outputs = Dictionary(
      uniqueKeysWithValues: results[0].activations.map { ($0.module, $0.tensor.count) })
    for row in comparison.rows {
      let total = outputs[row.module] ?? 0
      print(
        row.layer.padding(toLength: 10, withPad: " ", startingAt: 0) + number(row.activation)
          + number(row.weightGradient)
          + count(row.reluFlips, of: total).padding(toLength: 13, withPad: " ", startingAt: 0)
          + count(row.poolFlips, of: total))
    }
    print("input     ∂J/∂x " + String(format: "%.2e", comparison.inputGradient))
    print(why(comparison))
  }

  /// The line under the table: why the gradients differ, naming every flipped decision the
  /// table counts; or that NaN or infinite values left nothing to measure.
  static func why(_ comparison: VGG16Comparison) -> String {
    if let layer = comparison.firstNotMeasured {
      return
        "Not measured from \(layer) on: the values there are NaN or infinite (are the weights or the input?), "
        + "so neither the differences nor the decisions (a NaN is neither above nor below 0) mean anything."
    }
    guard let d = comparison.divergence else {
      return "No ReLU or max-pool decision flipped: the differences are rounding alone."
    }
    let total = d.flipped.reduce(0) { $0 + $1.flips }
    let list = d.flipped.map { "\($0.layer) \($0.flips)" }.joined(separator: ", ")
    return "Why: \(total) decision\(total == 1 ? "" : "s") flipped (\(list)); a flipped ReLU or max-pool "
      + "sends its gradient to another element (or none), so at and below \(d.layer), the highest, the gradients "
      + "differ by up to \(String(format: "%.1e", d.below)), above it by \(String(format: "%.1e", d.above)) "
      + "(rounding alone)."
  }
}
