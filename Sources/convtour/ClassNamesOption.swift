import ArgumentParser
import ConvTourEngine
import ConvTourIO

/// `--class-names F`: the names of a network's outputs, for the commands that show classes
/// (`net run`, `explain`, `compare`, `train` and the tour).
struct ClassNamesOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "A file of the network's class names, one per line, class 0 first (ImageNet's are built in "
        + "for the VGGs; other networks show class numbers without it).",
      valueName: "file"),
    completion: .file())
  var classNames: String?

  /// The names of `network`'s classes: the `--class-names` file's, else the built-in ones.
  /// A file that does not fit is one line and exit code 2.
  func classNames(for network: NetworkArchitecture) throws -> [String] {
    guard let classNames else { return ImageNetClasses.names(for: network) }
    do { return try ClassNamesFile.read(path: classNames, classes: network.classes) } catch {
      printError("convtour: --class-names \(error)")
      throw ExitCode(2)
    }
  }
}
