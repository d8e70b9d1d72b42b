import ArgumentParser
import ConvTourEngine
import ConvTourLessons
import Foundation

/// `convtour ops`: the engine's ops with their formulas, and optionally a gradient check of each.
struct OpsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ops",
    abstract: "List the engine's ops with their forward and backward formulas.")

  @Flag(help: "Check every backward against central finite differences on random inputs.")
  var check = false

  @Option(help: "The seed of the random inputs used by --check.")
  var seed: UInt64 = 1

  mutating func run() throws {
    var random = SeededRandom(seed: seed)
    var worst = 0.0
    var missing: [String] = []
    let samples = OpSamples.byName
    // One entry per op of the lesson format (OpRegistry); its sample supplies the formulas and
    // the inputs of the gradient check.
    for entry in OpRegistry.entries {
      let parameters =
        entry.parameters.isEmpty ? "" : "; " + entry.parameters.map { "\($0):" }.joined(separator: ", ")
      print("\(entry.name)(\(entry.inputs.joined(separator: ", "))\(parameters))")
      guard let sample = samples[entry.name] else {
        print("  no sample: add one to OpSamples")
        missing.append(entry.name)
        continue
      }
      let op = sample.op
      print("  forward:  \(op.formula)")
      print("  backward: \(op.backwardFormula)")
      guard check else { continue }
      guard !["step", "accuracy"].contains(op.name) else {
        print("  check: none (the \(op.name) has no derivative to check)")
        continue
      }
      let inputs = sample.inputs(&random)
      let shapes = inputs.map { Shape.describe($0.shape) }.joined(separator: ", ")
      let w = Tensor.random(try op.outputShape(inputs.map(\.shape)), using: &random)
      let results = try GradientCheck.compare(op, inputs: inputs, weights: w)
      let errors = results.map { "∂L/∂\($0.role) \(format($0.error))" }.joined(separator: ", ")
      print("  check on \(shapes): \(errors)")
      worst = max(worst, results.map(\.error).max() ?? 0)
    }
    if !missing.isEmpty {
      printError("convtour ops: no sample for \(missing.joined(separator: ", ")) in OpSamples")
      throw ExitCode.failure
    }
    if check {
      print("\nLargest relative error against finite differences: \(format(worst))")
      if worst > 1e-6 { throw ExitCode.failure }
    }
  }

  private func format(_ x: Double) -> String {
    x == 0 ? "0" : String(format: "%.1e", x)
  }
}
