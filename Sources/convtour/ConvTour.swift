import ArgumentParser
import ConvTourEngine

/// The `convtour` command: on a terminal without a subcommand, the tour; elsewhere, what it can do.
@main
struct ConvTour: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convtour",
    abstract: "Step through forward and backward propagation of convolutional networks.",
    discussion: "ConvTour computes every number of the worked examples of four documents on "
      + "convolutional networks: forward values, gradients and the multiply-adds behind them. "
      + "`convtour --image F… [--weights F] [--labels K…]` opens the tour's VGG-16 screen "
      + "on your photos and weights (seeded ones otherwise); `convtour --network N --data D` on a dataset, "
      + "which T trains on (with net train's dataset options).",
    version: "convtour \(ConvTour.release) — \(BLASLibrary.description(threads: FastPath.workers))",
    subcommands: [
      ShowCommand.self, LessonsCommand.self, CheckCommand.self, TraceCommand.self, VGG16Command.self,
      NetCommand.self,
      BenchCommand.self,
      OpsCommand.self,
    ])

  @OptionGroup var options: LessonOptions

  /// `convtour [--image F…] [--weights F] [--labels K…]`: the tour's VGG-16 inputs, taken out of
  /// the arguments before the command line is parsed (declared on this command, they would take
  /// the same options of `vgg16 run` and `vgg16 explain`).
  nonisolated(unsafe) static var tourArguments: [String] = []

  /// ConvTour's version, printed by --version: raised with each release of the issues' work.
  static let release = "0.20"

  /// OpenBLAS on its best kernel first (a restart, before any BLAS work), then the command, with
  /// the tour's own options taken out.
  static func main() {
    SignalMask.unblockTermination()
    ProcessorCheck.requireVectorUnits()
    BLASKernelChoice.restartOnBestKernel()
    BLASKernelChoice.chooseVectorWidth()
    let (tour, rest) = TourInputOptions.split(
      Array(CommandLine.arguments.dropFirst()), subcommands: configuration.subcommands.map { $0._commandName }
    )
    tourArguments = tour
    main(rest)
  }

  /// On a terminal: the tour. Elsewhere: what it can do.
  mutating func run() throws {
    let folder = options.lessons
    let inputs: TourInputOptions
    do { inputs = try TourInputOptions.parse(Self.tourArguments) } catch {
      printError("convtour: " + TourInputOptions.message(for: error))
      throw ExitCode(2)
    }
    let budget = options.budget
    if try MainActor.assumeIsolated({ try Tour.run(lessonsFolder: folder, budget: budget, inputs: inputs) }) {
      return
    }
    // No tour here, but what the tour was given is still read — the images, the weights file,
    // the network, the class names, the dataset: a bad one is an error (one line, exit 2).
    if !Self.tourArguments.isEmpty {
      do { _ = try inputs.load() } catch {
        printError("convtour: \(error)")
        throw ExitCode(2)
      }
    }
    print(Self.overview(here: TerminalNeed.whyNot()))
  }

  /// What can be done here, after `here`: why the tour cannot run (`TerminalNeed.whyNot`).
  static func overview(here: String) -> String {
    """
    ConvTour — step through forward and backward propagation of convolutional networks.

    On a terminal, `convtour` opens the tour: the lessons step by step (s: down to single
    multiply-adds), and VGG-16 (v).
    \(here). The same as text:

    """ + overviewCommands
  }

  static let overviewCommands = """
      convtour show ID        one lesson (its text trace when not on a terminal)
      convtour lessons        the lessons: worked examples of the documents
      convtour check          every number the documents print, computed and compared
      convtour trace ID       a lesson step by step (--detail element for every multiply-add)
      convtour vgg16          VGG-16's layer-shape table; `vgg16 run` for a real forward and backward pass
      convtour bench vgg16    median forward and forward + backward times, GFLOP/s, peak memory
      convtour ops            every engine op: its inputs, forward formula and backward rule
      convtour ops --check    also check each op's backward against finite differences
                              (the textbook's delta method) and print the errors
      convtour --help         the full command line
      convtour --image F… [--weights F] [--labels K…]
                              the tour's VGG-16 screen on your photos and weights
      convtour --network tiny-vgg --data digits
                              the network screen on a dataset: T trains on it

    """
}
