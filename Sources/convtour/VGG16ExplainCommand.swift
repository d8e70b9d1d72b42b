import ArgumentParser
import ConvTourEngine
import ConvTourIO
import ConvTourPresentation
import Foundation

/// `convtour vgg16 explain LAYER C I J`: one element of a real run, by the reference ops.
struct VGG16ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract:
      "How one element of a run of the network (VGG-16 unless --network) was computed (and, with --backward, "
      + "its gradient).",
    discussion: """
      LAYER is a name from `net table` (VGG-16's: conv3_2, pool4, fc6, softmax…). The element is \
      C I J for a convolution or pooling output (channel, row, column: storage order, counting from \
      1) and J for a vector (flatten, a fully connected layer, softmax). The network runs on the fast path (Float32); the \
      element is then recomputed by the reference ops (Double) from the fast path's own tensors: \
      its terms, their running total, the ReLU, and the difference from the fast path's value.
      """)

  @Argument(help: "The layer, as `net table` names it.")
  var layer: String

  @Argument(help: "The element: C I J for images, J for vectors (1-based).")
  var element: [Int] = []

  @Option(
    parsing: .upToNextOption,
    help: ArgumentHelp(
      "Instead of an element, one weight: K C L M of a convolution's W, I J of a fully connected "
        + "layer's (1-based); runs the backward pass and explains ∂J/∂W.", valueName: "index"))
  var weight: [Int] = []

  @Flag(help: "Also run the backward pass and explain ∂J/∂(the element): where its δ came from.")
  var backward = false

  @OptionGroup var inputs: VGG16InputOptions

  /// --class-names F (ImageNet's for the VGGs, class numbers otherwise, when not given).
  @OptionGroup var classNamesOption: ClassNamesOption

  @Option(help: "Which example of the batch (1-based).")
  var example = 1

  @Option(
    help: ArgumentHelp(
      "Term order: index (as the sum runs) or magnitude (largest first). Default: index for a "
        + "convolution's channels, magnitude for the products of a fully connected layer."))
  var order: ElementReport.Order?

  @Option(help: "Terms listed before the rest are summed into one line (fully connected layers).")
  var top = 12

  @Option(help: "An input channel (1-based) whose 9 products to list under its partial sum.")
  var expand: Int?

  @Option(help: "text or json.")
  var format: OutputFormat = .text

  /// Errors reach `ConvTour.main`, which prints them in one line and exits 2.
  func run() throws {
    SystemMemory.keepFreedMemory()
    let architecture = try inputs.architecture()
    guard let k = architecture.layers.firstIndex(where: { $0.name == layer }) else {
      let names = architecture.layers.map(\.name).joined(separator: ", ")
      throw UsageError("no layer \(String(layer.prefix(40))) in VGG-16; the layers are \(names)")
    }
    try checkListing(architecture.layers[k])
    if !weight.isEmpty { return try explainWeight(architecture, k) }
    let shape = architecture.layers[k].output
    guard element.count == shape.count else {
      throw UsageError(
        "\(layer)'s output is \(shape.map(String.init).joined(separator: "×")): give \(shape.count == 3 ? "C I J" : "J")"
      )
    }
    for (axis, (i, n)) in zip(element, shape).enumerated() where !(1...n).contains(i) {
      throw UsageError("\(layer): index \(i) of axis \(axis + 1) is outside 1 to \(n)")
    }
    if backward, architecture.layers[k].kind == .softmax {
      throw UsageError("--backward explains δ of a layer below the loss; softmax's is the loss itself")
    }
    if backward, inputs.labels.isEmpty, architecture.loss == .softmaxCrossEntropy {
      throw UsageError("--backward needs --labels: the loss needs classes")
    }
    let m = try inputs.batchSize()
    guard (1...m).contains(example) else { throw UsageError("--example \(example) is outside 1 to \(m)") }
    if let refusal = memoryRefusal(architecture, batch: m, backward: backward) { throw UsageError(refusal) }
    let labels = try inputs.classes(architecture, m)
    let x = try inputs.tensor(architecture, m)
    let parameters = try inputs.parameters(architecture)
    let recorder = VGG16Recorder(layers: VGG16Recorder.layersToExplain(k, in: architecture))
    _ = try VGG16Network(parameters: parameters).run(
      x, labels: labels, backward: backward, observer: recorder.record)
    let index = [example - 1] + element.map { $0 - 1 }
    let input = k == 0 ? x : recorder.outputs[k - 1]!
    let forward = try VGG16Explain.forward(
      parameters, layer: k, input: input, output: recorder.outputs[k]!, at: index)
    let delta =
      try backward
      ? VGG16Explain.backward(parameters, layer: k, recorder: recorder, labels: labels, at: index) : nil
    switch format {
    case .text:
      print(
        ElementReport(
          architecture: architecture, forward: forward, delta: delta, order: order, top: top,
          expand: expand.map { $0 - 1 }, classNames: try classNamesOption.classNames(for: architecture)
        ).render(), terminator: "")
    case .json:
      print(
        ElementJSON(
          architecture: architecture, forward: forward, delta: delta,
          classNames: try classNamesOption.classNames(for: architecture)
        ).value().rendered(),
        terminator: "")
    }
  }
}

extension VGG16ExplainCommand {
  /// `--weight`: ∂J/∂W at one weight, as the sum over positions of s·δz.
  func explainWeight(_ architecture: VGG16Architecture, _ k: Int) throws {
    let layer = architecture.layers[k]
    guard let shape = layer.weightShape, layer.weightName != nil else {
      throw UsageError(
        "\(layer.name) has no weights; the layers with weights are "
          + architecture.layers.filter { $0.weightShape != nil }.map(\.name).joined(separator: ", "))
    }
    guard element.isEmpty else { throw UsageError("give an element or --weight, not both") }
    guard weight.count == shape.count else {
      throw UsageError(
        "\(layer.name)'s W is \(shape.map(String.init).joined(separator: "×")): give \(shape.count) indices")
    }
    for (axis, (i, n)) in zip(weight, shape).enumerated() where !(1...n).contains(i) {
      throw UsageError("\(layer.name) W: index \(i) of axis \(axis + 1) is outside 1 to \(n)")
    }
    guard !inputs.labels.isEmpty || architecture.loss != .softmaxCrossEntropy else {
      throw UsageError("--weight needs --labels: the loss needs classes")
    }
    let m = try inputs.batchSize()
    if let refusal = memoryRefusal(architecture, batch: m, backward: true) { throw UsageError(refusal) }
    let labels = try inputs.classes(architecture, m)
    let x = try inputs.tensor(architecture, m)
    let parameters = try inputs.parameters(architecture)
    let recorder = VGG16Recorder(layers: [k - 1, k])
    let result = try VGG16Network(parameters: parameters).run(
      x, labels: labels, backward: true, observer: recorder.record)
    let explained = try VGG16Explain.weightGradient(
      parameters, layer: k, input: x, recorder: recorder, at: weight.map { $0 - 1 },
      fast: result.gradients[layer.weightName ?? ""])
    let report = WeightReport(architecture: architecture, weight: explained, top: top)
    switch format {
    case .text: print(report.render(), terminator: "")
    case .json: print(report.json().rendered(), terminator: "")
    }
  }
}

extension VGG16ExplainCommand {
  /// The most terms `--top` may list one per line.
  static let mostTop = 100_000

  /// `--top` and `--expand` checked before the run: a number outside its range is refused with
  /// the range, never clamped, ignored or left to overflow.
  func checkListing(_ layer: NetworkArchitecture.Layer) throws {
    guard (0...Self.mostTop).contains(top) else {
      throw UsageError("--top \(top) is outside 0 to 100,000 (the terms listed one per line)")
    }
    guard let expand else { return }
    guard layer.kind == .convolution, weight.isEmpty else {
      throw UsageError(
        "--expand lists a convolution's products by input channel; \(layer.name) is not a convolution")
    }
    let channels = layer.input[0]
    guard (1...channels).contains(expand) else {
      throw UsageError(
        "--expand \(expand) is outside 1 to \(channels), the input channels of \(layer.name)")
    }
  }
}

extension ElementReport.Order: ExpressibleByArgument {}
