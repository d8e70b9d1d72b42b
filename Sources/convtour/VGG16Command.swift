import ArgumentParser
import ConvTourEngine
import ConvTourPresentation
import Foundation

/// `convtour vgg16`: the full network — its shape table, a real run, and its initial weights.
struct VGG16Command: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vgg16",
    abstract: "VGG-16 at full scale: the layer-shape table, a real forward and backward pass, weights.",
    subcommands: [
      VGG16TableCommand.self, VGG16RunCommand.self, VGG16CompareCommand.self, VGG16TrainCommand.self,
      VGG16ExplainCommand.self, VGG16InitCommand.self,
    ])

  /// On a terminal: the tour's VGG-16 screen. Elsewhere: the table.
  mutating func run() throws {
    if try MainActor.assumeIsolated({ try Tour.run(lessonsFolder: nil, mode: .vgg) }) { return }
    var table = try VGG16TableCommand.parse([])
    try table.run()
  }
}

/// `convtour vgg16 table`.
struct VGG16TableCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "table",
    abstract: "One row per layer: shapes, parameters, multiply-adds, memory, Jacobian sizes.")

  @Option(help: "Input height and width: a multiple of 32 (the VGGs; other networks have their own).")
  var size = 224

  /// --network NAME|FILE (VGG-16 by default).
  @OptionGroup var networkOption: NetworkOption

  @Option(help: "Examples per batch (for multiply-adds and memory).")
  var batch = 1

  @Flag(
    help:
      "Every column: also the input shape, what backward keeps, the dense Jacobian, what the engine stores.")
  var wide = false

  mutating func run() throws {
    guard batch >= 1, batch <= 1_000_000 else { throw ValidationError("--batch must be from 1 to 1,000,000") }
    let architecture = try networkOption.architecture(size: size)
    print(ShapeTable(architecture: architecture, batch: batch).render(wide: wide), terminator: "")
  }
}

/// `convtour vgg16 init`: seeded random weights, written as safetensors.
struct VGG16InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract:
      "Write seeded random weights (PyTorch's initialisation: torchvision's for the VGGs) as a safetensors file."
  )

  /// --network NAME|FILE (VGG-16 by default).
  @OptionGroup var networkOption: NetworkOption

  @Option(help: "The seed.")
  var seed: UInt64 = 0

  @Option(name: .shortAndLong, help: "The safetensors file to write.", completion: .file())
  var output: String

  mutating func run() throws {
    try Limits.output(output, option: "--output")
    let architecture = try networkOption.architecture(size: 224)
    let parameters = NetworkParameters.random(architecture, seed: seed)
    try WeightsFile.write(parameters, to: output, seed: seed)
    print(
      "wrote \(output): \(architecture.parameterShapes.count) tensors, \(architecture.parameterCount) parameters, seed \(seed)"
    )
  }
}
