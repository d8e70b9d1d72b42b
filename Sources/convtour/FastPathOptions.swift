import ArgumentParser
import ConvTourEngine

/// Settings of the fast path for `vgg16 run` and `bench vgg16`: `--algorithm direct|winograd`
/// (a string checked here, so an unknown name is one line and exit status 2) and `--huge-pages`.
struct FastPathOptions: ParsableArguments {
  static let help = ArgumentHelp(
    "How convolutions are computed: direct (the default) or winograd.",
    discussion: ConvolutionAlgorithm.allCases.map { "\($0.rawValue): \($0.cost)." }.joined(separator: " "),
    valueName: "name")

  @Option(help: help)
  var algorithm = ConvolutionAlgorithm.direct.rawValue

  @Flag(
    help: "Ask the kernel for 2 MB pages for large buffers (fewer page faults; may stall to compact memory).")
  var hugePages = false

  /// The algorithm named, or a usage error naming the choices; applies `--huge-pages`.
  func parsed() throws -> ConvolutionAlgorithm {
    FastPath.hugePages = hugePages
    guard let choice = ConvolutionAlgorithm(rawValue: algorithm) else {
      let names = ConvolutionAlgorithm.allCases.map(\.rawValue).joined(separator: " or ")
      throw UsageError("--algorithm \(algorithm): expected \(names)")
    }
    return choice
  }
}
