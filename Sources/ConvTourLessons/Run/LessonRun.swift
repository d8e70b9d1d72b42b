import ConvTourEngine

/// A tensor as a step saw it: its lesson name, its shape, its values (nil for a shape-only
/// tensor) and, under a perturbation, its tangent (the b of every element's a + bΔ).
public struct NamedTensor: Sendable {
  public var name: String
  public var shape: [Int]
  public var value: Tensor?
  public var tangent: Tensor?

  /// The values of a tensor known to have them (element traces run only on such steps).
  public var tensor: Tensor { value ?? Tensor(zeros: [0]) }
}

/// One step as it ran: what it read and what it wrote.
public struct StepRecord: Sendable {
  /// 1-based position in the lesson.
  public var number: Int
  public var step: Step
  public var reads: [NamedTensor]
  public var writes: [NamedTensor]
  /// For a repeat: the loss of every epoch, epoch 1 first.
  public var losses: [Double]? = nil
  /// For a repeat: the parameters, gradients and updates of the epochs kept (every epoch, or
  /// every `epochStride`-th when all would pass `LessonRun.mostSnapshotValues`), for the tour
  /// to play them.
  public var epochs: [EpochSnapshot] = []
  public var epochStride = 1
}

/// One epoch of a repeat as it ran: each `sgd` step's parameter W (at the start of the epoch),
/// its gradient and its result W − η·g, and the epoch's loss.
public struct EpochSnapshot: Sendable {
  /// 1-based.
  public var epoch: Int
  public var loss: Double
  public var parameters: [NamedTensor]
  public var gradients: [NamedTensor]
  public var updated: [NamedTensor]
}

/// A lesson run on the reference path: every tensor it declared or computed, and every step.
public struct LessonRun: Sendable {
  public let lesson: Lesson
  public private(set) var values = TensorScope()
  /// Shape-only tensors (`= shape`): their shapes, propagated through ops without values.
  public private(set) var shapes: [String: [Int]] = [:]
  /// Tangents under the lesson's perturbation (empty before `perturb`): each tensor keeps the
  /// tangent it was computed with, for checks of a + bΔ.
  public private(set) var tangents: [String: Tensor] = [:]
  /// Which perturbation each tangent belongs to; only the current one's propagate and show.
  private var tangentEpoch: [String: Int] = [:]
  private var epoch = 0
  /// The declared tensors, in order, as the lesson's step 0.
  public private(set) var declared: [NamedTensor] = []
  public private(set) var records: [StepRecord] = []

  /// The most values a tensor with values may hold (`LessonLimits.largestTensor`).
  public static let largestTensor = LessonLimits.largestTensor

  /// The forward steps so far, for backpropagation and for rerunning under a nudge.
  private(set) var tape: [(op: any Operation, inputs: [String], output: String)] = []
  /// The tape's length when each step began (0-based step), so a repeat can rewind it.
  private var tapeStarts: [Int] = []

  /// The most epochs a repeat may run, and the most values its steps may write in all.
  public static let mostEpochs = LessonLimits.mostEpochs
  public static let mostRepeatedValues = 1_000_000_000
  /// The most values a repeat keeps in its epoch snapshots (8 MB): beyond, it keeps every
  /// s-th epoch (and the last) so that they fit, and none when one epoch alone does not.
  public static let mostSnapshotValues = 1_000_000

  /// Which epochs a repeat keeps, when each epoch's snapshot holds `perEpoch` values: every
  /// `stride`-th from epoch 1, and the last; stride 0 when none are kept.
  public static func snapshotStride(perEpoch: Int, epochs: Int) -> Int {
    guard perEpoch <= mostSnapshotValues else { return 0 }
    let kept = max(1, mostSnapshotValues / max(1, perEpoch) - 1)  // the last is kept beside them
    return max(1, (epochs + kept - 1) / kept)
  }

  /// Runs every step; an engine error becomes a LessonError at the step's `run:` line.
  public init(_ lesson: Lesson) throws {
    self.lesson = lesson
    for declaration in lesson.tensors {
      do {
        if case .shapeOnly = declaration.values {
          shapes[declaration.name] = declaration.shape
          declared.append(
            NamedTensor(name: declaration.name, shape: declaration.shape, value: nil, tangent: nil))
          continue
        }
        let t = try declaration.make()
        values[declaration.name] = t
        declared.append(NamedTensor(name: declaration.name, shape: t.shape, value: t, tangent: nil))
      } catch let error as EngineError {
        throw LessonError(declaration.location, error.description)
      }
    }
    for (k, step) in lesson.steps.enumerated() {
      do {
        try run(step, number: k + 1)
      } catch let error as EngineError {
        throw LessonError(step.location, error.description)
      } catch let missing as TensorScope.Missing {
        throw LessonError(step.location, missing.description)
      }
    }
  }

  public func tensor(_ name: String) -> Tensor? { values[name] }

  /// The shape of a tensor, with values or shape only.
  public func shape(_ name: String) -> [Int]? { values[name]?.shape ?? shapes[name] }

  /// The value of an element reference, or nil when the name or index does not exist.
  public func value(of reference: ElementReference) -> Double? {
    guard let t = values[reference.name] else { return nil }
    guard let index = reference.index else { return t.count == 1 ? t.values[0] : nil }
    return Shape.contains(index, in: t.shape) ? t[index: index] : nil
  }

  private func named(_ name: String) -> NamedTensor {
    NamedTensor(name: name, shape: shape(name) ?? [], value: values[name], tangent: currentTangent(name))
  }

  /// The tangent of a tensor under the current perturbation (nil when it does not move).
  private func currentTangent(_ name: String) -> Tensor? {
    tangentEpoch[name] == epoch ? tangents[name] : nil
  }

  private mutating func run(_ step: Step, number: Int) throws {
    tapeStarts.append(tape.count)
    let reads = step.action.inputs.map(named)
    if reads.contains(where: { $0.value == nil }) {
      try runShapes(step)
    } else if case .repeatSteps(let count, let epochs, let loss, let output) = step.action {
      let (updated, snapshots, stride) = try repeatSteps(
        count, epochs: epochs, loss: loss, output: output, step: step)
      let writes = ([output] + updated).map(named)
      records.append(
        StepRecord(
          number: number, step: step, reads: reads, writes: writes, losses: values[output]?.values,
          epochs: snapshots, epochStride: stride))
      return
    } else {
      try runValues(step)
    }
    let writes = step.action.outputs.map(named)
    records.append(StepRecord(number: number, step: step, reads: reads, writes: writes))
  }

  /// Reruns the `count` steps before `step` until `epochs` epochs have run (the first ran
  /// already), each sgd result becoming its parameter for the next epoch; writes the loss of
  /// every epoch to `output` and returns the names of the updated parameters' results, and the
  /// epochs kept for the tour (see `snapshotStride`).
  private mutating func repeatSteps(
    _ count: Int, epochs: Int, loss: String, output: String, step: Step
  ) throws -> (updated: [String], snapshots: [EpochSnapshot], stride: Int) {
    let first = records.count - count
    let body = lesson.steps[first..<records.count]
    // (parameter, gradient, its sgd result) for every update in the body.
    let updates: [(String, String, String)] = body.compactMap {
      if case .forward(let op, let inputs, let out) = $0.action, op is SGDUpdate {
        (inputs[0], inputs[1], out)
      } else {
        nil
      }
    }
    let perEpoch = records[first...].reduce(0) {
      $0 + $1.writes.reduce(0) { $0 + max(1, Shape.count($1.shape)) }
    }
    guard perEpoch <= Self.mostRepeatedValues / epochs else {
      throw LessonError(
        step.location,
        "repeat would write \(perEpoch) values per epoch for \(epochs) epochs; at most \(Self.mostRepeatedValues) in all"
      )
    }
    func lossValue(_ epoch: Int) throws -> Double {
      guard let l = values[loss], l.count == 1 else {
        throw LessonError(
          step.location, "expected loss: a scalar, but \(loss) has \(values[loss]?.count ?? 0) values")
      }
      guard l.values[0].isFinite else {
        throw LessonError(
          step.location, "the loss \(loss) became \(l.values[0]) in epoch \(epoch): lower the learning rate")
      }
      return l.values[0]
    }
    let perSnapshot = updates.reduce(0) {
      $0 + [$1.0, $1.1, $1.2].reduce(0) { $0 + (values[$1]?.count ?? 0) }
    }
    let stride = Self.snapshotStride(perEpoch: perSnapshot, epochs: epochs)
    var snapshots: [EpochSnapshot] = []
    func snapshot(_ epoch: Int, _ loss: Double) {
      guard stride > 0, (epoch - 1) % stride == 0 || epoch == epochs else { return }
      snapshots.append(
        EpochSnapshot(
          epoch: epoch, loss: loss, parameters: updates.map { named($0.0) },
          gradients: updates.map { named($0.1) },
          updated: updates.map { named($0.2) }))
    }
    var history = [try lossValue(1)]
    history.reserveCapacity(epochs)
    snapshot(1, history[0])
    for epoch in Swift.stride(from: 2, through: epochs, by: 1) {
      for (parameter, _, result) in updates { values[parameter] = values[result] }
      tape.removeLast(tape.count - tapeStarts[first])
      for bodyStep in body { try runValues(bodyStep) }
      history.append(try lossValue(epoch))
      snapshot(epoch, history[epoch - 1])
    }
    values[output] = try Tensor(shape: [epochs], values: history)
    return (updates.map(\.2), snapshots, stride)
  }

  /// A step that reads a shape-only tensor: the shapes of what it writes, no values — so a
  /// lesson can walk a full-size network (pool5's 25,088 × 100,352 Jacobian) without computing it.
  private mutating func runShapes(_ step: Step) throws {
    let (knownShapes, known) = (shapes, values)
    let shapeOf = { (name: String) in knownShapes[name] ?? known[name]?.shape ?? [] }
    switch step.action {
    case .forward(let op, let inputs, let output):
      shapes[output] = try op.outputShape(inputs.map(shapeOf))
    case .backward(let op, let inputs, let delta, let outputs):
      let y = try op.outputShape(inputs.map(shapeOf))
      guard y == shapeOf(delta) else {
        throw EngineError.shapeMismatch(
          op: "\(op.name) backward", shapes: [shapeOf(delta), y], expected: "delta of the output's shape")
      }
      for (k, name) in outputs.enumerated() { if let name { shapes[name] = shapeOf(inputs[k]) } }
    case .jacobian(let op, let inputs, let k, let output):
      let y = try op.outputShape(inputs.map(shapeOf))
      shapes[output] = [Shape.count(y), Shape.count(shapeOf(inputs[k]))]
    case .count(let names, let output):
      let counts = names.map { Shape.count(shapeOf($0)) }
      guard counts.allSatisfy({ $0 < Int.max }) else {
        throw LessonError(step.location, "count: a tensor has more than 2⁶³ elements")
      }
      values[output] = Tensor(scalar: counts.reduce(0.0) { $0 + Double($1) })
    case .tensorCount(let names, let output):
      values[output] = Tensor(scalar: Double(names.count))
    case .gradient, .numericGradient, .perturb, .tangent, .repeatSteps, .train:
      let name = step.action.inputs.first { values[$0] == nil } ?? ""
      throw LessonError(
        step.location, "\(step.action.name) needs values, and \(name) is declared by shape only")
    }
  }

  /// Throws when a step would write more values than the reference path holds.
  private func checkSize(_ shape: [Int], _ step: Step) throws {
    let count = Shape.count(shape)
    guard count <= Self.largestTensor else {
      throw LessonError(
        step.location,
        "\(step.action.name) would write \(count == Int.max ? "more than 2⁶³" : String(count)) values; the reference path takes at most \(Self.largestTensor): declare the inputs `= shape` to work with shapes only"
      )
    }
  }

  private mutating func runValues(_ step: Step) throws {
    switch step.action {
    case .forward(let op, let inputs, _):
      try checkSize(try op.outputShape(try values.tensors(inputs).map(\.shape)), step)
    case .jacobian(let op, let inputs, let k, _):
      let y = try op.outputShape(try values.tensors(inputs).map(\.shape))
      try checkSize([Shape.count(y), try values.tensor(inputs[k]).count], step)
    default:
      break
    }
    switch step.action {
    case .forward(let op, let inputs, let output):
      let arguments = try values.tensors(inputs)
      values[output] = try op.forward(arguments)
      if inputs.contains(where: { currentTangent($0) != nil }) {
        tangents[output] = try Jacobian.tangent(op, inputs: arguments, tangents: inputs.map(currentTangent))
        tangentEpoch[output] = epoch
      }
      tape.append((op, inputs, output))
    case .backward(let op, let inputs, let delta, let outputs):
      let arguments = try values.tensors(inputs)
      let y = try op.forward(arguments)
      let gradients = try op.backward(arguments, output: y, delta: try values.tensor(delta))
      for (k, name) in outputs.enumerated() {
        guard let name else { continue }
        guard let gradient = gradients[k] else {
          throw LessonError(
            step.location, "\(op.name) gives no gradient for \(inputs[k]) (a constant): use _")
        }
        values[name] = gradient
      }
    case .jacobian(let op, let inputs, let k, let output):
      guard let J = try Jacobian.matrix(op, inputs: try values.tensors(inputs), input: k) else {
        throw LessonError(
          step.location, "\(op.name) has no derivative with respect to \(inputs[k]) (a constant)")
      }
      values[output] = J
    case .gradient(let of, let wrt, let accumulate, let output):
      let gradient = try backpropagate(of, to: wrt, at: step.location)
      values[output] =
        try accumulate.map { try values.tensor($0).zipWith(gradient, op: "accumulate", +) } ?? gradient
    case .numericGradient(let of, let wrt, let h, let output):
      values[output] = try centralDifference(of, to: wrt, step: h, at: step.location)
    case .perturb(let reference):
      let t = try values.tensor(reference.name)
      guard let index = reference.index, Shape.contains(index, in: t.shape) else {
        throw LessonError(
          step.location, "\(reference) is outside \(reference.name) of shape \(Shape.describe(t.shape))")
      }
      var unit = Tensor(zeros: t.shape)
      unit[index: index] = 1
      // A new perturbation replaces any earlier one for what is computed from here on; tensors
      // computed before keep the tangents they had.
      epoch += 1
      tangents[reference.name] = unit
      tangentEpoch[reference.name] = epoch
    case .tangent(let of, let output):
      guard epoch > 0 else {
        throw LessonError(
          step.location, "tangent(\(of)) needs a perturb(…) step before it: nothing moves yet")
      }
      values[output] = try currentTangent(of) ?? tangents[of] ?? Tensor(zeros: values.tensor(of).shape)
    case .count(let names, let output):
      values[output] = Tensor(scalar: Double(try values.tensors(names).reduce(0) { $0 + $1.count }))
    case .tensorCount(let names, let output):
      values[output] = Tensor(scalar: Double(names.count))
    case .repeatSteps:
      break  // run by repeatSteps(…)
    case .train(let request):
      guard let network = lesson.networks[request.network] else {
        throw LessonError(
          step.location,
          "train: no network \"\(request.network)\" (a built-in network or networks/\(request.network).net beside the lessons)"
        )
      }
      for (name, t) in try LessonTraining.run(request, network: network, scope: values) { values[name] = t }
    }
  }

  /// The unit adjoint of the loss element `of`: 1 at its index (a scalar needs no index).
  private func seed(_ of: ElementReference, at location: SourceLocation) throws -> Tensor {
    let t = try values.tensor(of.name)
    var unit = Tensor(zeros: t.shape)
    if let index = of.index {
      guard Shape.contains(index, in: t.shape) else {
        throw LessonError(location, "\(of) is outside \(of.name) of shape \(Shape.describe(t.shape))")
      }
      unit[index: index] = 1
    } else {
      guard t.count == 1 else {
        throw LessonError(location, "\(of.name) has \(t.count) elements: name one, as \(of.name)[1]")
      }
      unit.values[0] = 1
    }
    return unit
  }

  /// ∂of/∂wrt by the chain rule, walking the forward steps backwards (reverse mode).
  private func backpropagate(_ of: ElementReference, to wrt: String, at location: SourceLocation) throws
    -> Tensor
  {
    let adjoints = try self.adjoints(of, at: location)
    return try adjoints[wrt] ?? Tensor(zeros: values.tensor(wrt).shape)
  }

  /// ∂of/∂t for every tensor t the forward steps reach from `of` backwards (the adjoints).
  func adjoints(_ of: ElementReference, at location: SourceLocation) throws -> [String: Tensor] {
    var adjoints: [String: Tensor] = [of.name: try seed(of, at: location)]
    for (op, inputs, output) in tape.reversed() {
      guard let delta = adjoints[output] else { continue }
      let arguments = try values.tensors(inputs)
      let gradients = try op.backward(arguments, output: try values.tensor(output), delta: delta)
      for (name, gradient) in zip(inputs, gradients) {
        guard let gradient else { continue }
        adjoints[name] = try adjoints[name].map { try $0.zipWith(gradient, op: "add", +) } ?? gradient
      }
    }
    return adjoints
  }

  /// ∂of/∂wrt by central differences: nudge each element of wrt by ±h and rerun the forward steps.
  private func centralDifference(
    _ of: ElementReference, to wrt: String, step h: Double, at location: SourceLocation
  ) throws -> Tensor {
    var gradient = Tensor(zeros: try values.tensor(wrt).shape)
    for k in gradient.values.indices {
      let (up, down) = try nudged(of, wrt, element: k, step: h, at: location)
      gradient.values[k] = (up - down) / (2 * h)
    }
    return gradient
  }

  /// The loss `of` with element k of wrt nudged up and down by h (the forward steps rerun).
  func nudged(
    _ of: ElementReference, _ wrt: String, element k: Int, step h: Double, at location: SourceLocation
  )
    throws -> (up: Double, down: Double)
  {
    let weight = try seed(of, at: location)
    func loss(_ nudged: Tensor) throws -> Double {
      var scope = values
      scope[wrt] = nudged
      for (op, inputs, output) in tape where output != wrt {
        scope[output] = try op.forward(try scope.tensors(inputs))
      }
      return zip(try scope.tensor(of.name).values, weight.values).reduce(0) { $0 + $1.0 * $1.1 }
    }
    var x = try values.tensor(wrt)
    let v = x.values[k]
    x.values[k] = v + h
    let up = try loss(x)
    x.values[k] = v - h
    let down = try loss(x)
    return (up, down)
  }
}
