import ArgumentParser
import ConvTourEngine
import ConvTourIO
import ConvTourPresentation
import Foundation

/// `convtour vgg16 train`: N steps of stochastic gradient descent on the given examples, each a
/// forward and backward pass on the fast path and one fused update of every parameter.
struct VGG16TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract:
      "Take SGD steps on the network (VGG-16 unless --network): loss, gradient norm and time per step, "
      + "and the loss curve.",
    discussion: """
      Every step runs the batch forward and backward and updates every weight and bias as \
      torch.optim.SGD does (W ← W − η·g; with --momentum μ: v ← μ·v + g, W ← W − η·v). Overfitting \
      one small batch from random weights — two photos, two labels — is the classic check that a \
      network can learn. A loss that becomes NaN or infinite stops the run before its update: the \
      weights stay the last finite ones and --save-weights still writes them (exit status 2).
      """)

  @Option(help: "The number of steps on one batch (without --data or --images).")
  var steps: Int?

  /// --data / --images and --labels-file, --epochs, --weight-decay, --no-shuffle, --format.
  @OptionGroup var epochs: EpochTrainOptions

  @Option(help: "The learning rate η (≥ 0).")
  var lr: Double

  @Option(help: "The momentum μ, from 0 to below 1 (PyTorch's, dampening 0).")
  var momentum: Double = 0

  @Option(help: "Examples per batch (taken from --image or --input when given).")
  var batch: Int?

  /// --network, --size, --seed, --weights (to start from), --image, --input, --labels: what
  /// `run` reads, read the same way.
  @OptionGroup var inputs: VGG16InputOptions
  var labels: [Int] { inputs.labels }

  @Option(help: "Write the trained weights as torchvision-layout safetensors.", completion: .file())
  var saveWeights: String?

  @Option(help: "Threads to split each layer across (default: all cores).")
  var threads: Int?

  @OptionGroup var algorithmOption: FastPathOptions

  /// Errors reach `ConvTour.main`, which prints them in one line and exits 2.
  func run() throws {
    guard lr.isFinite, lr >= 0 else { throw UsageError("--lr must be a finite number ≥ 0, got \(lr)") }
    guard momentum.isFinite, momentum >= 0, momentum < 1 else {
      throw UsageError("--momentum must be from 0 to below 1, got \(momentum)")
    }
    if epochs.asked { return try trainEpochs() }
    guard let steps else { throw UsageError("give --steps N (steps on one batch), or --data D for epochs") }
    guard steps >= 1, steps <= 1_000_000 else { throw UsageError("--steps must be from 1 to 1,000,000") }
    let architecture = try inputs.architecture()
    let crossEntropy = architecture.loss == .softmaxCrossEntropy
    guard !labels.isEmpty || !crossEntropy else {
      throw UsageError("--labels: give the class of every example")
    }
    let m = try inputs.batchSize(batch)
    guard (1...1_000_000).contains(m) else { throw UsageError("--batch must be from 1 to 1,000,000") }
    if crossEntropy {
      try Limits.labels(labels, examples: m, classes: architecture.classes)
    } else if let bad = labels.first(where: { $0 < 0 || $0 >= architecture.classes }) {
      throw UsageError("label \(bad) is not a class: the classes are 0 to \(architecture.classes - 1)")
    }
    if let threads { FastPath.workers = try Limits.threads(threads) }
    // The output checked before any work: a path that cannot be written is refused at once.
    try Limits.output(saveWeights, option: "--save-weights")
    if let refusal = memoryRefusal(architecture, batch: m, backward: true) { throw UsageError(refusal) }
    SystemMemory.keepFreedMemory()
    let x = try inputs.tensor(architecture, m)
    var parameters = try inputs.parameters(architecture)
    let failure = try train(&parameters, x, algorithm: try algorithmOption.parsed())
    if let saveWeights { try save(parameters, to: saveWeights) }
    if let failure {
      printError("convtour: \(failure)")
      throw ExitCode(2)
    }
  }

  /// Runs the steps, printing one line each; returns why training stopped early, if it did.
  func train(_ parameters: inout VGG16Parameters, _ x: Tensor32, algorithm: ConvolutionAlgorithm) throws
    -> String?
  {
    var training = VGG16Training(learningRate: Float(lr), momentum: Float(momentum), algorithm: algorithm)
    var losses: [Double] = []
    let names = parameters.architecture.layers.map(\.name)
    print(
      "step  " + "loss".padding(toLength: 13, withPad: " ", startingAt: 0)
        + "‖g‖".padding(toLength: 13, withPad: " ", startingAt: 0) + " step s  update s  steps done")
    for step in 1...(steps ?? 1) {
      let progress = Progress(layers: names)
      let classes = labels.isEmpty ? Array(repeating: 0, count: x.shape[0]) : labels
      let result = try training.step(&parameters, x, labels: classes, observer: progress.report)
      progress.finish()
      guard result.updated else {
        plot(losses)
        return result.notUpdated(step: step) + (saveWeights.map { ", saved to \($0)" } ?? "")
      }
      losses.append(result.loss)
      print(
        String(
          format: "%4d  %-11.6g  %-11.5g  %7.2f  %8.3f", step, result.loss, result.gradientNorm,
          result.seconds,
          result.updateSeconds) + "  " + bar(step))
    }
    plot(losses)
    return nil
  }

  /// Steps done out of all, as a bar.
  func bar(_ step: Int) -> String {
    let width = 20
    let filled = width * step / (steps ?? 1)
    let unicode = ProcessInfo.processInfo.environment["LANG"]?.uppercased().contains("UTF-8") ?? false
    return String(repeating: unicode ? "█" : "#", count: filled)
      + String(repeating: unicode ? "░" : ".", count: width - filled)
  }

  func plot(_ losses: [Double]) {
    guard losses.count >= 2 else { return }
    let unicode = ProcessInfo.processInfo.environment["LANG"]?.uppercased().contains("UTF-8") ?? false
    print("\nloss per step")
    print(LossPlot.text(losses, label: "step", width: 64, height: 12, unicode: unicode))
  }

  func save(_ parameters: VGG16Parameters, to path: String) throws {
    let ordered = parameters.architecture.parameterShapes.map {
      (name: $0.name, tensor: parameters.tensors[$0.name]!)
    }
    try Safetensors.write(
      ordered, to: path,
      metadata: [
        "format": "pt", "producer": "convtour net train --network \(parameters.architecture.name)",
        "steps": String(steps ?? 0), "lr": String(lr),
        "momentum": String(momentum),
      ])
    print("wrote \(path): \(ordered.count) tensors")
  }
}

extension VGG16TrainCommand {
  /// `--data D` or `--images X.npy --labels-file Y.npy`: epochs over a dataset; Ctrl-C stops
  /// after the batch under way, and --save-weights still writes what was learned.
  func trainEpochs() throws {
    guard steps == nil, inputs.image.isEmpty, inputs.input == nil, inputs.labels.isEmpty else {
      throw UsageError(
        "--data (or --images) trains on a dataset: it takes no --steps, --image, --input or --labels")
    }
    EpochTrainRun.catchInterrupt()
    let architecture = try inputs.architecture()
    let dataset = try epochs.dataset(seed: inputs.seed)
    if let threads { FastPath.workers = try Limits.threads(threads) }
    try Limits.output(saveWeights, option: "--save-weights")
    let batch = self.batch ?? 32
    guard (1...100_000).contains(batch) else { throw UsageError("--batch must be from 1 to 100,000") }
    if let refusal = memoryRefusal(architecture, batch: batch, backward: true) { throw UsageError(refusal) }
    var parameters = try inputs.parameters(architecture)
    let stopped = try EpochTrainRun.run(
      &parameters, dataset: dataset, options: epochs,
      settings: .init(
        learningRate: Float(lr), momentum: Float(momentum), batch: batch, seed: inputs.seed,
        algorithm: try algorithmOption.parsed()))
    if let saveWeights { try save(parameters, to: saveWeights) }
    if let stopped {
      printError(
        "convtour: \(stopped)" + (saveWeights.map { "; the weights so far are saved to \($0)" } ?? ""))
      throw ExitCode(EpochTrainRun.interrupted != 0 ? 130 : 2)
    }
  }
}

extension VGG16Training.Step {
  /// Why a step left the weights as they were, for `vgg16 train` and the tour's T: "the loss
  /// became nan at step 3: stopped before its update; the weights are those after step 2".
  func notUpdated(step: Int) -> String {
    let what = loss.isFinite ? "the gradient norm" : "the loss"
    return
      "\(what) became \(loss.isFinite ? gradientNorm : loss) at step \(step): stopped before its update; "
      + "the weights are those after step \(step - 1)"
  }
}
