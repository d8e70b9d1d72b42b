import ArgumentParser
import ConvTourEngine
import ConvTourIO
import Foundation

/// `--network NAME|FILE`: which network a command works on — a built-in one by name, or a
/// network file (Lessons/networks/ has examples). VGG-16 when not given.
struct NetworkOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The network: \(BuiltInNetworks.names.joined(separator: ", ")), or a network file.",
      valueName: "name-or-file"))
  var network = "vgg16"

  /// The network, at `size` for the VGGs (a multiple of 32); other networks have their own
  /// input size, which `size` may only restate. A problem is one line and exit code 2.
  func architecture(size: Int, sizeGiven: Bool = true) throws -> NetworkArchitecture {
    do {
      if network.hasPrefix("vgg"), let depth = Int(network.dropFirst(3)),
        NetworkArchitecture.vggBlocks[depth] != nil
      {
        return try .vgg(depth: depth, size: size)
      }
      let architecture: NetworkArchitecture
      if let builtIn = try BuiltInNetworks.named(network) {
        architecture = builtIn
      } else if FileManager.default.fileExists(atPath: network) {
        architecture = try NetworkFile.read(path: network)
      } else {
        throw UsageError(
          "unknown network \(network): the built-in networks are \(BuiltInNetworks.names.joined(separator: ", ")); "
            + "or give a network file (see Lessons/networks/)")
      }
      if sizeGiven, size != 224, size != architecture.size {
        throw UsageError(
          "--size \(size) does not apply to \(architecture.name): its input is "
            + "\(architecture.input[1])×\(architecture.input[2])×\(architecture.input[0])")
      }
      return architecture
    } catch let error as EngineError {
      printError("convtour: \(error)")
      throw ExitCode(2)
    } catch let error as NetworkFileError {
      printError("convtour: \(error)")
      throw ExitCode(2)
    }
  }
}

/// `convtour net`: every network tool, for any network (`--network`, VGG-16 by default).
struct NetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "net",
    abstract:
      "Any sequential CNN (--network NAME|FILE): the layer table, runs forward and backward, explanations, "
      + "weights, training steps and benchmarks.",
    discussion: """
      The built-in networks are \(BuiltInNetworks.names.joined(separator: ", ")); a network file \
      describes your own, one layer per line (see Lessons/networks/ and the README). \
      `convtour vgg16 X` is `convtour net X --network vgg16`.
      """,
    subcommands: [
      VGG16TableCommand.self, VGG16RunCommand.self, VGG16CompareCommand.self, VGG16TrainCommand.self,
      VGG16ExplainCommand.self, VGG16InitCommand.self, NetBenchCommand.self,
    ])
}
