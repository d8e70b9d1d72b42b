import ArgumentParser
import ConvTourEngine
import ConvTourIO
import ConvTourPresentation
import Foundation

/// `convtour vgg16 run`: a real forward (and backward) pass on the fast path.
struct VGG16RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract:
      "Run the network (VGG-16 unless --network) forward (and backward) on the fast path and report times, "
      + "loss, top-5 and gradients.",
    discussion: """
      Without --weights the network has seeded random weights, drawn as PyTorch initialises it (the \
      VGGs as torchvision does: conv: normal, std √(2/fan_out); fc: normal, std 0.01; biases 0). \
      Without --image or --input \
      the input is seeded uniform noise in [−1, 1). Without --labels every example is labelled 0. \
      Errors in files are one line naming the file and the tensor or field, with exit status 2.
      """)

  @Option(help: "Examples per batch (taken from --image or --input when given).")
  var batch: Int?

  @Flag(help: "Also run the backward pass: the loss's gradient for every parameter and the input.")
  var backward = false

  /// --size, --seed, --weights, --image, --input, --labels.
  @OptionGroup var inputs: VGG16InputOptions

  /// --class-names F (ImageNet's for the VGGs, class numbers otherwise, when not given).
  @OptionGroup var classNamesOption: ClassNamesOption
  var size: Int { inputs.size }
  var image: [String] { inputs.image }
  var input: String? { inputs.input }
  var labels: [Int] { inputs.labels }

  @Option(
    help: "Write logits, probs, loss, input.grad and every NAME.grad to this safetensors file.",
    completion: .file())
  var dump: String?

  @Option(
    help: ArgumentHelp(
      "Write PNG pictures of the chosen channels of every convolution and max-pool output (and, with "
        + "--backward, of their gradients and the saliency map |∂J/∂x|) into this directory.",
      valueName: "dir"),
    completion: .directory)
  var saveMaps: String?

  @Option(
    parsing: .upToNextOption,
    help: "The channels (1-based) that --save-maps draws.")
  var mapChannels: [Int] = [1, 2, 3, 4]

  @Option(help: "Threads to split each layer across (default: all cores).")
  var threads: Int?

  @OptionGroup var algorithmOption: FastPathOptions

  @Flag(
    help: "With --dump, also write every layer's output as act.MODULE (act.features.1 … act.classifier.6).")
  var dumpActivations = false

  /// Errors reach `ConvTour.main`, which prints them in one line and exits 2.
  func run() throws {
    SystemMemory.keepFreedMemory()
    guard image.isEmpty || input == nil else { throw UsageError("give --image or --input, not both") }
    guard !dumpActivations || dump != nil else { throw UsageError("--dump-activations needs --dump FILE") }
    let algorithm = try algorithmOption.parsed()
    let architecture = try inputs.architecture()
    let m = try batchSize()
    guard (1...1_000_000).contains(m) else { throw UsageError("--batch must be from 1 to 1,000,000") }
    if let threads { FastPath.workers = try Limits.threads(threads) }
    try Limits.output(dump, option: "--dump")
    if let refusal = memoryRefusal(architecture, batch: m, backward: backward) { throw UsageError(refusal) }
    let classes = labels.isEmpty ? Array(repeating: 0, count: m) : labels
    try Limits.labels(classes, examples: m, classes: architecture.classes)
    try go(architecture, m, classes, algorithm)
  }

  func batchSize() throws -> Int { try inputs.batchSize(batch) }

  func go(
    _ architecture: VGG16Architecture, _ m: Int, _ classes: [Int], _ algorithm: ConvolutionAlgorithm
  ) throws {
    // Where the pictures go is checked before the work.
    let maps = try saveMaps.map {
      try MapWriter(path: $0, channels: mapChannels, architecture: architecture, backward: backward)
    }
    // The input first: a bad image or array is reported before 553 MB of weights are read.
    let x = try inputTensor(architecture, m)
    let parameters = try inputs.parameters(architecture)
    let progress = Progress(layers: architecture.layers.map(\.name))
    let result = try VGG16Network(parameters: parameters, algorithm: algorithm).run(
      x, labels: classes, backward: backward, keepActivations: dumpActivations,
      observer: {
        progress.report($0)
        maps?.record($0)
      })
    progress.finish()
    print("\(algorithm.rawValue) convolutions on \(BLASLibrary.description(threads: FastPath.workers))")
    print(
      RunReport(
        architecture: architecture, batch: m, result: result, labels: classes,
        classNames: try classNamesOption.classNames(for: architecture)
      ).render(), terminator: "")
    if let dump { try Dump.write(result, architecture: architecture, to: dump) }
    try maps?.finish(input: x, result: result)
  }

  func inputTensor(_ architecture: VGG16Architecture, _ m: Int) throws -> Tensor32 {
    try inputs.tensor(architecture, m)
  }
}

/// Why a run of `batch` examples cannot start: the memory it needs beside what the machine has
/// available, and the largest batch that fits. Nil when it fits (or availability is unknown).
func memoryRefusal(_ architecture: VGG16Architecture, batch: Int, backward: Bool) -> String? {
  let needed = VGG16Memory.estimate(architecture, batch: batch, backward: backward)
  guard let (available, reason) = SystemMemory.availableWithReason(), needed > available else { return nil }
  let fits = VGG16Memory.largestBatch(architecture, available: available, backward: backward)
  return
    "a batch of \(batch) needs about \(ShapeTable.bytes(needed)) and \(ShapeTable.bytes(available)) is available\(reason); "
    + (fits > 0 ? "the largest batch that fits is \(fits)" : "not even a batch of 1 fits")
}
