import ConvTourEngine

/// A lesson's `train` step: epochs of minibatch SGD on the fast path (float32, as
/// `convtour net train` runs them), from the lesson's parameters, on its images and labels.
enum LessonTraining {
  /// The trained parameters, by the step's result names.
  static func run(
    _ request: TrainingRequest, network: NetworkArchitecture, scope: TensorScope
  ) throws -> [String: Tensor] {
    let shapes = network.parameterShapes
    guard shapes.count == request.parameters.count else {
      throw EngineError.wrongInputCount(
        op: "train \(network.name)",
        expected: "\(shapes.count) parameters (\(shapes.map(\.name).joined(separator: ", ")))",
        got: request.parameters.count)
    }
    var tensors: [String: Tensor32] = [:]
    for ((name, _), given) in zip(shapes, request.parameters) {
      tensors[name] = Tensor32(try scope.tensor(given))
    }
    var parameters = try NetworkParameters(architecture: network, tensors: tensors)
    let images = try scope.tensor(request.images)
    let labels = try scope.tensor(request.labels)
    guard Array(images.shape.dropFirst()) == network.input else {
      throw EngineError.shapeMismatch(
        op: "train \(network.name)", shapes: [images.shape, network.input],
        expected: "images [n] + the network's input")
    }
    let classes = network.classes
    let labelled = try LabelledImages(
      images: Tensor32(images),
      labels: try labels.values.map { value in
        guard value == value.rounded(), value >= 0, value < Double(classes) else {
          throw EngineError.invalidParameter(
            op: "train \(network.name)", reason: "a label \(value): expected classes 0 to \(classes - 1)")
        }
        return Int(value)
      })
    var training = EpochTraining(
      steps: VGG16Training(learningRate: Float(request.learningRate), momentum: Float(request.momentum)),
      batchSize: request.batch, shuffle: true, seed: request.seed)
    for epoch in 1...request.epochs {
      let result = try training.epoch(epoch, &parameters, train: labelled, test: nil)
      if let stopped = result.stopped {
        throw EngineError.invalidParameter(op: "train \(network.name)", reason: "epoch \(epoch) \(stopped)")
      }
    }
    var trained: [String: Tensor] = [:]
    for ((name, _), output) in zip(shapes, request.outputs) {
      trained[output] = Tensor(parameters.tensors[name]!)
    }
    return trained
  }
}
