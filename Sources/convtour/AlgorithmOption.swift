import ArgumentParser
import ConvTourEngine

/// `--algorithm direct|winograd`: how VGG-16's convolutions are computed (`vgg16 run`,
/// `bench vgg16`). A string checked here, so an unknown name is one line and exit status 2.
struct AlgorithmOption: ParsableArguments {
  static let help = ArgumentHelp(
    "How convolutions are computed: direct (the default) or winograd.",
    discussion: ConvolutionAlgorithm.allCases.map { "\($0.rawValue): \($0.cost)." }.joined(separator: " "),
    valueName: "name")

  @Option(help: help)
  var algorithm = ConvolutionAlgorithm.direct.rawValue

  /// The algorithm named, or a usage error naming the choices.
  func parsed() throws -> ConvolutionAlgorithm {
    guard let choice = ConvolutionAlgorithm(rawValue: algorithm) else {
      let names = ConvolutionAlgorithm.allCases.map(\.rawValue).joined(separator: " or ")
      throw UsageError("--algorithm \(algorithm): expected \(names)")
    }
    return choice
  }
}
