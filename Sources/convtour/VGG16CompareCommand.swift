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
    abstract: "Run VGG-16 with direct and with Winograd convolutions and compare them layer by layer.",
    discussion: """
      Prints, per layer, the relative difference ‖winograd − direct‖ / ‖direct‖ of its output and of
      ∂J/∂W, how many ReLU inputs and max-pool windows decided differently, and where the gradients
      part ways below a flipped decision. Inputs and weights as for `vgg16 run`.
      """)

  @Option(help: "Input height and width: a multiple of 32.")
  var size = 224

  @Option(help: "Seed for random weights and random input.")
  var seed: UInt64 = 0

  @Option(
    help: "Weights: a safetensors file with torchvision's VGG-16 state_dict names.", completion: .file())
  var weights: String?

  @Option(parsing: .upToNextOption, help: "Images (PNG, JPEG, binary PPM).", completion: .file())
  var image: [String] = []

  @Option(help: "Input: a NumPy .npy float32 array of shape [M, 3, N, N].", completion: .file())
  var input: String?

  @Option(parsing: .upToNextOption, help: "The class of each example (0-based ImageNet index).")
  var labels: [Int] = []

  @Option(help: "Threads to split each layer across (default: all cores).")
  var threads: Int?

  mutating func run() throws {
    // The same inputs, checks and errors as `vgg16 run`, through its own parsing.
    var arguments = ["--size", "\(size)", "--seed", "\(seed)", "--backward"]
    if let weights { arguments += ["--weights", weights] }
    if !image.isEmpty { arguments += ["--image"] + image }
    if let input { arguments += ["--input", input] }
    if !labels.isEmpty { arguments += ["--labels"] + labels.map(String.init) }
    if let threads { arguments += ["--threads", "\(threads)"] }
    do {
      try VGG16RunCommand.parse(arguments).execute(comparing: true)
    } catch let error as ExitCode {
      throw error
    } catch {
      printError("convtour: \(error)")
      throw ExitCode(2)
    }
  }
}

extension VGG16RunCommand {
  /// `vgg16 compare`'s pass: both algorithms, then the table.
  func compareAlgorithms(
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
    if let d = comparison.divergence {
      print(
        "Why: \(d.flips) decision\(d.flips == 1 ? "" : "s") flipped at \(d.layer); a flipped ReLU or max-pool "
          + "sends its gradient to another element (or none), so at and below \(d.layer) the gradients differ by up "
          + "to \(String(format: "%.1e", d.below)), above it by \(String(format: "%.1e", d.above)) "
          + "(rounding alone).")
    } else {
      print("No ReLU or max-pool decision flipped: the differences are rounding alone.")
    }
  }
}
