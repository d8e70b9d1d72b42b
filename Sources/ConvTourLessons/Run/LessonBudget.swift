import ConvTourEngine

/// What running a whole lesson costs, estimated from the parsed lesson before any step runs:
/// the memory it keeps (every tensor with values is kept, 8 bytes a value) plus the largest
/// transient (a Jacobian's matrices, a numgrad's rerun, a trace's element terms), and the
/// operations its steps take. `check` refuses a lesson over the limits with one line at the step
/// that costs most: `lesson.lesson:12:3: this lesson needs about 7.8 GB; the limit is 2 GB
/// (--max-memory)`.
///
/// The counts follow the reference path's algorithms: an op's forward takes, per output element,
/// what its `OpRegistry` entry's `OpCost` says (what it contracts — C·f_h·f_w for a convolution,
/// n_in for fc, k for matmul — or else its inputs' size over its output's); a Jacobian and every step under `perturb` run one
/// backward pass per output element and hold [outputs, inputs] for each input; `numgrad` reruns
/// the forward steps twice per element of what it differentiates; `grad` runs them backwards once.
public struct LessonBudget: Sendable {
  /// The most memory a lesson may need, in bytes.
  public var memory: Double
  /// The most operations (multiply-adds, comparisons) a lesson may take.
  public var operations: Double
  /// Whether every element of every step is traced too (`trace --detail element`).
  public var elements: Bool
  /// Bytes of output held per value printed (0 when tensors are summarised): a JSON trace holds
  /// every value of every tensor a step reads or writes, as a value and then as text.
  public var outputBytesPerValue: Double

  public static let defaultMemory: Double = 2 * 1_073_741_824
  /// A few seconds of the reference path's plain Double loops (the largest lesson here takes 5 million).
  public static let defaultOperations: Double = 2e9
  public static let standard = LessonBudget(memory: defaultMemory, operations: defaultOperations)
  public static let withElements = LessonBudget(
    memory: defaultMemory, operations: defaultOperations, elements: true)

  /// Bytes an element trace holds per term (factors, names, the line of text it becomes).
  static let bytesPerTerm: Double = 200

  public init(memory: Double, operations: Double, elements: Bool = false, outputBytesPerValue: Double = 0) {
    self.memory = memory
    self.operations = operations
    self.elements = elements
    self.outputBytesPerValue = outputBytesPerValue
  }

  /// The estimate, and the step that costs most memory and most operations.
  public struct Estimate: Sendable {
    public var bytes: Double = 0
    public var operations: Double = 0
    public var costliestInMemory: SourceLocation?
    public var costliestInOperations: SourceLocation?
  }

  /// Throws a LessonError when the lesson (with every element traced, when `elements`) needs more
  /// than the budget. Lessons whose shapes do not fit are left to the run, which reports them.
  public func check(_ lesson: Lesson) throws {
    let estimate = Self.estimate(lesson, elements: elements, outputBytesPerValue: outputBytesPerValue)
    let start = SourceLocation(file: lesson.file, line: 1, column: 1)
    if estimate.bytes > memory {
      throw LessonError(
        estimate.costliestInMemory ?? start,
        "this lesson needs about \(Self.bytes(estimate.bytes)); the limit is \(Self.bytes(memory)) (--max-memory)"
          + (elements ? " with every element traced" : ""))
    }
    if estimate.operations > operations {
      throw LessonError(
        estimate.costliestInOperations ?? start,
        "this lesson takes about \(Self.count(estimate.operations)) operations; the limit is "
          + "\(Self.count(operations)) (--max-operations)" + (elements ? " with every element traced" : ""))
    }
  }

  /// The lesson's memory and operations.
  public static func estimate(_ lesson: Lesson, elements: Bool = false, outputBytesPerValue: Double = 0)
    -> Estimate
  {
    var walk = Walk(elements: elements, outputBytesPerValue: outputBytesPerValue)
    for declaration in lesson.tensors {
      walk.shapes[declaration.name] = declaration.shape
      if case .shapeOnly = declaration.values { continue }
      walk.valued.insert(declaration.name)
      walk.keep(count(declaration.shape), at: declaration.location)
    }
    for step in lesson.steps { walk.step(step) }
    var estimate = walk.estimate
    estimate.bytes = walk.kept + walk.largestTransient
    return estimate
  }

  /// Elements of a shape, as a Double (no overflow for absurd shapes).
  static func count(_ shape: [Int]) -> Double { OpCost.count(shape) }

  /// "7.8 GB", "512 MB".
  static func bytes(_ value: Double) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
    var v = value
    var unit = 0
    while v >= 1024, unit < units.count - 1 {
      v /= 1024
      unit += 1
    }
    return unit == 0 ? "\(Int(v)) bytes" : Self.short(v) + " \(units[unit])"
  }

  /// 7.8, 18, 2 (one decimal under 10, none when it is 0).
  static func short(_ v: Double) -> String {
    let tenths = Int(min(v, 1e15) * 10 + 0.5)
    return v < 10 && tenths % 10 != 0 ? "\(tenths / 10).\(tenths % 10)" : "\(Int(min(v, 1e15).rounded()))"
  }

  /// "20 billion", "3.5 million".
  static func count(_ value: Double) -> String {
    for (size, name) in [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")] where value >= size {
      let v = value / size
      return Self.short(v) + " \(name)"
    }
    return "\(Int(value))"
  }
}

/// The walk through a lesson's steps, keeping shapes and running totals.
private struct Walk {
  let elements: Bool
  var shapes: [String: [Int]] = [:]
  var valued: Set<String> = []
  /// Bytes of every tensor with values (a run keeps them all).
  var kept: Double = 0
  var largestTransient: Double = 0
  var estimate = LessonBudget.Estimate()
  var mostBytes: Double = 0
  var mostOperations: Double = 0
  /// The forward steps so far (for grad and numgrad): their operations and bytes.
  var tapeOperations: Double = 0
  var tapeBytes: Double = 0
  var perturbed = false
  /// Each step's operations so far, for `repeat`, which runs the steps above it again.
  var stepOperations: [Double] = []
  /// Each step's values in a repeat's epoch snapshot: W, g and W − η·g of an `sgd` step.
  var stepSnapshotValues: [Double] = []
  let outputBytesPerValue: Double

  init(elements: Bool, outputBytesPerValue: Double) {
    self.elements = elements
    self.outputBytesPerValue = outputBytesPerValue
  }

  /// A tensor of `values` kept for the rest of the run (and printed, when output is counted).
  mutating func keep(_ values: Double, at location: SourceLocation) {
    kept += (8 + outputBytesPerValue) * values
    note(bytes: (8 + outputBytesPerValue) * values, operations: 0, at: location)
  }

  mutating func note(bytes: Double, operations: Double, at location: SourceLocation) {
    estimate.operations += operations
    if bytes > mostBytes {
      mostBytes = bytes
      estimate.costliestInMemory = location
    }
    if operations > mostOperations {
      mostOperations = operations
      estimate.costliestInOperations = location
    }
  }

  mutating func transient(_ bytes: Double, at location: SourceLocation) {
    largestTransient = max(largestTransient, bytes)
    note(bytes: bytes, operations: 0, at: location)
  }

  /// Operations per output element of a forward op: the estimate its registry entry states.
  func perElement(_ op: any Operation, _ inputs: [[Int]], output: Double) -> Double {
    OpRegistry.cost(of: op).perElement(inputs, output: output)
  }

  mutating func step(_ step: Step) {
    let before = estimate.operations
    var snapshotValues = 0.0
    if case .forward(let op, let inputs, _) = step.action, op is SGDUpdate, let w = shapes[inputs[0]] {
      snapshotValues = 3 * LessonBudget.count(w)
    }
    walk(step)
    stepOperations.append(estimate.operations - before)
    stepSnapshotValues.append(snapshotValues)
  }

  mutating func walk(_ step: Step) {
    let action = step.action
    let inputShapes = action.inputs.map { shapes[$0] ?? [] }
    let hasValues = action.inputs.allSatisfy { valued.contains($0) }
    let location = step.location
    if hasValues, outputBytesPerValue > 0 {  // the tensors the step reads, printed again
      let read = inputShapes.reduce(0.0) { $0 + LessonBudget.count($1) }
      kept += outputBytesPerValue * read
      note(bytes: outputBytesPerValue * read, operations: 0, at: location)
    }
    switch action {
    case .forward(let op, _, let output):
      guard let y = try? op.outputShape(inputShapes) else { return }
      shapes[output] = y
      guard hasValues else { return }
      valued.insert(output)
      let out = LessonBudget.count(y)
      let read = inputShapes.reduce(0.0) { $0 + LessonBudget.count($1) }
      let forward = out * perElement(op, inputShapes, output: out)
      var operations = forward
      if perturbed {  // the tangent: every input's Jacobian, one backward pass per output element
        operations += out * (forward + read)
        transient(8 * out * read, at: location)
        kept += 8 * out
      }
      keep(out, at: location)
      if elements { transient(LessonBudget.bytesPerTerm * forward, at: location) }
      note(bytes: 0, operations: operations, at: location)
      tapeOperations += forward
      tapeBytes += 8 * out
    case .backward(let op, let inputs, _, let outputs):
      guard let y = try? op.outputShape(Array(inputShapes.prefix(inputs.count))) else { return }
      let forwardShapes = Array(inputShapes.prefix(inputs.count))
      let forward = LessonBudget.count(y) * perElement(op, forwardShapes, output: LessonBudget.count(y))
      var written = 0.0
      for (k, name) in outputs.enumerated() {
        guard let name, k < inputs.count else { continue }
        shapes[name] = shapes[inputs[k]]
        if hasValues { valued.insert(name) }
        written += LessonBudget.count(shapes[name] ?? [])
      }
      guard hasValues else { return }
      keep(written, at: location)
      if elements { transient(LessonBudget.bytesPerTerm * forward * Double(outputs.count), at: location) }
      note(bytes: 0, operations: 3 * forward, at: location)
    case .jacobian(let op, _, let k, let output):
      guard let y = try? op.outputShape(inputShapes), k < inputShapes.count else { return }
      let out = LessonBudget.count(y)
      shapes[output] = [Int(min(out, 1e18)), Int(min(LessonBudget.count(inputShapes[k]), 1e18))]
      guard hasValues else { return }
      valued.insert(output)
      let read = inputShapes.reduce(0.0) { $0 + LessonBudget.count($1) }
      let forward = out * perElement(op, inputShapes, output: out)
      keep(out * LessonBudget.count(inputShapes[k]), at: location)
      transient(8 * out * read, at: location)
      note(bytes: 0, operations: out * (forward + read), at: location)
    case .gradient(_, let wrt, _, let output):
      shapes[output] = shapes[wrt]
      guard hasValues else { return }
      valued.insert(output)
      keep(LessonBudget.count(shapes[wrt] ?? []), at: location)
      transient(2 * tapeBytes, at: location)
      note(bytes: 0, operations: 2 * tapeOperations, at: location)
    case .numericGradient(_, let wrt, _, let output):
      shapes[output] = shapes[wrt]
      guard hasValues else { return }
      valued.insert(output)
      let n = LessonBudget.count(shapes[wrt] ?? [])
      keep(n, at: location)
      transient(tapeBytes, at: location)
      note(bytes: 0, operations: 2 * n * (tapeOperations + tapeBytes / 8), at: location)
    case .perturb:
      perturbed = true
    case .tangent(let of, let output):
      shapes[output] = shapes[of]
      guard hasValues else { return }
      valued.insert(output)
      keep(LessonBudget.count(shapes[of] ?? []), at: location)
    case .count(_, let output), .tensorCount(_, let output):
      shapes[output] = []
      valued.insert(output)
    case .train(let request):
      // The trained parameters, of the given ones' shapes; the fast path's float32 copies of the
      // parameters and images, and 6 multiply-adds per parameter per example per epoch (forward,
      // backward, update: a bound for a convolution's reuse is beyond this estimate).
      var parameters = 0.0
      for (given, output) in zip(request.parameters, request.outputs) {
        shapes[output] = shapes[given]
        if hasValues { valued.insert(output) }
        parameters += LessonBudget.count(shapes[given] ?? [])
      }
      guard hasValues else { return }
      keep(parameters, at: location)
      let images = shapes[request.images] ?? []
      transient(4 * (LessonBudget.count(images) + 3 * parameters), at: location)
      note(
        bytes: 0, operations: 6 * parameters * Double(images.first ?? 0) * Double(request.epochs),
        at: location)
    case .repeatSteps(let count, let epochs, _, let output):
      // The `count` steps above run again, epochs − 1 more times; the loss of each epoch is kept.
      shapes[output] = [epochs]
      valued.insert(output)
      keep(Double(epochs), at: location)
      // The epochs kept for the tour (LessonRun.snapshotStride): at most mostSnapshotValues.
      let perEpoch = stepSnapshotValues.suffix(count).reduce(0, +)
      if perEpoch <= Double(LessonRun.mostSnapshotValues) {
        keep(min(perEpoch * Double(epochs), Double(LessonRun.mostSnapshotValues)), at: location)
      }
      let body = stepOperations.suffix(count).reduce(0, +)
      note(bytes: 0, operations: body * Double(max(0, epochs - 1)), at: location)
    }
  }
}
