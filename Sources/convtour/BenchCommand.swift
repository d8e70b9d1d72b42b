import ArgumentParser
import ConvTourEngine
import ConvTourPresentation
import Foundation

/// `convtour bench vgg16`: medians of repeated runs, for comparing with other implementations
/// side by side on the same machine (no timed tests: these machines are shared and noisy).
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Benchmarks.",
    subcommands: [BenchVGG16Command.self, BenchTourCommand.self],
    defaultSubcommand: BenchVGG16Command.self)
}

struct BenchVGG16Command: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vgg16",
    abstract: "Median forward and forward + backward times of VGG-16 at 224×224 over R runs after a warm-up.")

  @OptionGroup var bench: BenchOptions

  mutating func run() throws { try bench.run() }
}

/// What `bench vgg16` and `net bench` measure, and how.
struct BenchOptions: ParsableArguments {
  @Option(help: "Examples per batch.")
  var batch = 1

  @Option(help: "Timed runs (after one warm-up run of each kind).")
  var runs = 5

  @Option(help: "Input height and width: a multiple of 32 (the VGGs; other networks have their own).")
  var size = 224

  /// --network NAME|FILE (VGG-16 by default).
  @OptionGroup var networkOption: NetworkOption

  @Option(help: "Threads to split each layer across (default: all cores).")
  var threads: Int?

  @Flag(help: "Also print each layer's median forward and backward time.")
  var layers = false

  @Flag(
    help:
      "Also time whole training steps (forward, backward, SGD update with momentum 0.9): images per second.")
  var train = false

  @OptionGroup var algorithmOption: FastPathOptions

  mutating func run() throws {
    guard (1...1_000_000).contains(batch), (1...1000).contains(runs) else {
      throw ValidationError("--batch must be from 1 to 1,000,000 and --runs from 1 to 1000")
    }
    let algorithm: ConvolutionAlgorithm
    do { algorithm = try algorithmOption.parsed() } catch {
      printError("convtour: \(error)")
      throw ExitCode(2)
    }
    if let threads { FastPath.workers = try Limits.threads(threads) }
    SystemMemory.keepFreedMemory()
    let architecture = try networkOption.architecture(size: size)
    if let refusal = memoryRefusal(architecture, batch: batch, backward: true) {
      printError("convtour: \(refusal)")
      throw ExitCode(2)
    }
    let network = VGG16Network(
      parameters: VGG16Parameters.random(architecture, seed: 0), algorithm: algorithm)
    var generator = SeededRandom(seed: 1)
    let x = Tensor32(Tensor.random([batch] + architecture.input, using: &generator))
    let labels = Array(repeating: 0, count: batch)
    let flops = 2 * Double(architecture.multiplyAdds * batch)
    let stepFlops = BenchLayerTable.stepFlops(architecture, batch: batch)

    // Per layer, per run: forward seconds (forward-only runs), and forward and backward seconds
    // of the runs with a backward pass (their forward decides close calls: `CloseCalls`).
    var layerForward: [[Double]] = []
    var layerForwardBeforeBackward: [[Double]] = []
    var layerBackward: [[Double]] = []
    var layerWeightGradient: [[Double]] = []
    var stepFaults: [Int] = []
    func time(backward: Bool) throws -> [Double] {
      // The backward pass stops at the first layer's ∂J/∂W: ∂J/∂x of the input is not computed,
      // as in training (and in PyTorch, unless the input asks for its gradient).
      _ = try network.run(x, labels: labels, backward: backward, inputGradient: false)  // warm-up
      return try (0..<runs).map { _ in
        let (start, faults) = (DispatchTime.now(), SystemMemory.minorFaults())
        let result = try network.run(x, labels: labels, backward: backward, inputGradient: false)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        if backward {
          stepFaults.append(SystemMemory.minorFaults() - faults)
          layerForwardBeforeBackward.append(result.forwardSeconds)
          layerBackward.append(result.backwardSeconds)
          layerWeightGradient.append(result.weightGradientSeconds)
        } else {
          layerForward.append(result.forwardSeconds)
        }
        return seconds
      }
    }
    // This machine's own sgemm rate, as the fast path's workers use it: the ceiling of a step.
    let sgemm = BLASLibrary.sgemmRate()
    let forward = median(try time(backward: false))
    let both = median(try time(backward: true))
    if layers {
      print(
        BenchLayerTable(
          architecture: architecture, batch: batch, forward: layerForward,
          forwardInStep: layerForwardBeforeBackward, backward: layerBackward,
          weightGradient: layerWeightGradient
        ).render())
    }
    print(
      "\(architecture.name == "vgg16" ? "VGG-16" : architecture.name), \(architecture.input[1])×\(architecture.input[2]), batch \(batch), \(runs) runs, \(algorithm.rawValue) convolutions on "
        + BLASLibrary.description(threads: FastPath.workers))
    // Milliseconds when a pass takes less than a second (the small networks).
    let (unit, scale) = both < 1 ? ("ms", 1000.0) : ("s", 1.0)
    func line(_ seconds: Double, _ gigaflops: Double) -> String {
      String(format: "%8.3f", seconds * scale) + " \(unit)" + String(format: "  %7.1f GFLOP/s", gigaflops)
    }
    print("forward:             " + line(forward, flops / forward / 1e9))
    print(
      "forward + backward:  " + line(both, stepFlops / both / 1e9) + " (∂J/∂x of the input not computed)")
    let threads = "\(FastPath.workers) thread\(FastPath.workers == 1 ? "" : "s")"
    print(
      "forward + backward reach " + String(format: "%.0f %%", 100 * stepFlops / both / 1e9 / sgemm)
        + " of this machine's sgemm (" + String(format: "%.1f", sgemm) + " GFLOP/s, 2048², \(threads)); "
        + "minor page faults per step: \(Int(median(stepFaults.map(Double.init))))")
    if train {
      let step = try trainingStep(network.parameters, x, labels: labels, algorithm: algorithm)
      print(
        "training step:       " + String(format: "%8.3f", step * scale) + " \(unit)"
          + String(format: "  %7.0f images/s", Double(batch) / step) + " (SGD, momentum 0.9)")
    }
    print("peak resident memory: \(ShapeTable.bytes(SystemMemory.peakResident()))")
  }

  /// The median of `runs` whole training steps after one warm-up: what `net train` pays per batch.
  func trainingStep(
    _ start: NetworkParameters, _ x: Tensor32, labels: [Int], algorithm: ConvolutionAlgorithm
  ) throws -> Double {
    var parameters = start
    var training = VGG16Training(learningRate: 0.001, momentum: 0.9, algorithm: algorithm)
    _ = try training.step(&parameters, x, labels: labels)
    return median(try (0..<runs).map { _ in try training.step(&parameters, x, labels: labels).seconds })
  }

  func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }
}

/// `convtour net bench`: `bench vgg16` for any network (`--network`).
struct NetBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Median forward and forward + backward times of the network over R runs after a warm-up.")

  @OptionGroup var bench: BenchOptions

  mutating func run() throws { try bench.run() }
}
