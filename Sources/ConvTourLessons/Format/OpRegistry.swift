import ConvTourEngine

/// One op a lesson can name in `run:`: its name, its tensor inputs, its parameters and how to
/// build the engine op from a `run:` line. `convtour ops` lists these entries and checks each
/// against a sample; the format's table in Lessons/README.md documents them.
public struct OpEntry: Sendable {
  public var name: String
  /// The tensor inputs in the documents' notation; a trailing optional one is listed in
  /// `inputs` and allowed by `arity` (conv2d: x, W, b with arity 2...3).
  public var inputs: [String]
  public var arity: ClosedRange<Int>
  /// The keyword parameters it accepts (besides `delta:` and `wrt:` of backward and jacobian).
  public var parameters: [String]
  /// Operations per output element of its forward, for the lesson budget (required: an op
  /// without its own estimate would be estimated by another's rule without anyone noticing).
  public var cost: OpCost
  public var build: @Sendable (OpArguments) throws -> any Operation

  init(
    _ name: String, inputs: [String], arity: ClosedRange<Int>? = nil, parameters: [String] = [],
    cost: OpCost, build: @escaping @Sendable (OpArguments) throws -> any Operation
  ) {
    self.name = name
    self.inputs = inputs
    self.arity = arity ?? inputs.count...inputs.count
    self.parameters = parameters
    self.cost = cost
    self.build = build
  }
}

/// Every op of the lesson format, in the order of the format's documentation. To add an op:
/// write it in ConvTourEngine/Ops, add one entry here and one sample to `OpSamples`.
public enum OpRegistry {
  public static let entries: [OpEntry] = [
    OpEntry("pad", inputs: ["x"], parameters: ["p"], cost: .readsPerOutput) { a in
      ZeroPad(padding: try a.extent("p", default: Extent2D(1)))
    },
    OpEntry(
      "conv2d", inputs: ["x", "W", "b"], arity: 2...3, parameters: ["stride", "padding"], cost: .weightRow
    ) { a in
      Convolution(
        stride: try a.extent("stride", default: Extent2D(1)),
        padding: try a.extent("padding", default: Extent2D(0)),
        hasBias: a.inputCount == 3)
    },
    OpEntry("relu", inputs: ["z"], cost: .readsPerOutput) { _ in Activation(.relu) },
    OpEntry("sigmoid", inputs: ["z"], cost: .readsPerOutput) { _ in Activation(.sigmoid) },
    OpEntry("tanh", inputs: ["z"], cost: .readsPerOutput) { _ in Activation(.tanh) },
    OpEntry("identity", inputs: ["z"], cost: .readsPerOutput) { _ in Activation(.identity) },
    OpEntry("step", inputs: ["z"], cost: .readsPerOutput) { _ in Activation(.step) },
    OpEntry("maxpool", inputs: ["a"], parameters: ["window", "stride"], cost: .readsPerOutput) { a in
      let window = try pool(a)
      return MaxPool(window: window, stride: try a.extent("stride", default: window))
    },
    OpEntry("meanpool", inputs: ["a"], parameters: ["window", "stride"], cost: .readsPerOutput) { a in
      let window = try pool(a)
      return MeanPool(window: window, stride: try a.extent("stride", default: window))
    },
    OpEntry("flatten", inputs: ["m"], parameters: ["order", "batched"], cost: .readsPerOutput) { a in
      Flatten(
        order: try a.choice("order", ["vec": .vec, "rowmajor": .rowMajor], default: Flatten.Order.rowMajor),
        batched: try a.choice(
          "batched", ["yes": true, "true": true, "no": false, "false": false], default: false))
    },
    OpEntry("reshape", inputs: ["x"], parameters: ["shape"], cost: .readsPerOutput) { a in
      Reshape(try a.list("shape", "[d1, d2, …]"))
    },
    OpEntry("fc", inputs: ["a", "W", "b"], arity: 2...3, cost: .weightRow) { a in
      FullyConnected(hasBias: a.inputCount == 3)
    },
    OpEntry("softmax", inputs: ["z"], cost: .readsPerOutput) { _ in Softmax() },
    OpEntry("cross_entropy", inputs: ["a", "y"], cost: .readsPerOutput) { _ in CrossEntropy() },
    OpEntry("softmax_cross_entropy", inputs: ["z", "y"], cost: .readsPerOutput) { _ in SoftmaxCrossEntropy()
    },
    OpEntry("squared_error", inputs: ["o", "y"], cost: .readsPerOutput) { _ in SquaredError(.plain) },
    OpEntry("half_squared_error", inputs: ["h", "Y"], cost: .readsPerOutput) { _ in SquaredError(.half) },
    OpEntry("add", inputs: ["a", "b"], cost: .readsPerOutput) { _ in Elementwise(.add) },
    OpEntry("subtract", inputs: ["a", "b"], cost: .readsPerOutput) { _ in Elementwise(.subtract) },
    OpEntry("multiply", inputs: ["a", "b"], cost: .readsPerOutput) { _ in Elementwise(.multiply) },
    OpEntry("divide", inputs: ["a", "b"], cost: .readsPerOutput) { _ in Elementwise(.divide) },
    OpEntry("scale", inputs: ["x"], parameters: ["by"], cost: .readsPerOutput) { a in
      Scale(try a.number("by", "a finite number"))
    },
    OpEntry("matmul", inputs: ["A", "B"], cost: .innerDimension) { _ in MatMul() },
    OpEntry("transpose", inputs: ["A"], cost: .readsPerOutput) { _ in Transpose() },
    OpEntry("sum", inputs: ["x"], cost: .readsPerOutput) { _ in Sum() },
    OpEntry("sgd", inputs: ["W", "g"], parameters: ["lr"], cost: .readsPerOutput) { a in
      SGDUpdate(
        learningRate: try a.number("lr", "a learning rate ≥ 0 (a finite number)") { $0.isFinite && $0 >= 0 })
    },
    OpEntry("accuracy", inputs: ["z", "y"], cost: .readsPerOutput) { _ in Accuracy() },
  ]

  /// The forward's cost per output element of the op an entry built (found by its name).
  static func cost(of op: any Operation) -> OpCost { byName[op.name]?.cost ?? .readsPerOutput }

  /// The entries by name.
  public static let byName: [String: OpEntry] = Dictionary(
    uniqueKeysWithValues: entries.map { ($0.name, $0) })

  public static var names: [String] { entries.map(\.name) }

  /// The op `name` of a `run:` line with `inputs` tensor inputs and these parameters.
  static func make(
    _ name: String, inputs: Int, parameters given: [String: (ArgumentValue, SourceLocation)],
    at location: SourceLocation
  ) throws -> any Operation {
    guard let entry = byName[name] else {
      throw LessonError(location, "unknown op \"\(name)\"; expected one of \(names.joined(separator: ", "))")
    }
    for (key, (_, at)) in given where !entry.parameters.contains(key) {
      let list = entry.parameters.isEmpty ? "none" : entry.parameters.sorted().joined(separator: ", ")
      throw LessonError(at, "\(name) has no parameter \"\(key)\"; its parameters: \(list)")
    }
    let range = entry.arity
    guard range.contains(inputs) else {
      let expected = range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound) or \(range.upperBound)"
      throw LessonError(
        location, "\(name) takes \(expected) tensor input\(range.upperBound == 1 ? "" : "s"), got \(inputs)")
    }
    return try entry.build(OpArguments(op: name, inputCount: inputs, given: given, location: location))
  }

  /// The window of a pooling op, which has no default.
  private static func pool(_ a: OpArguments) throws -> Extent2D {
    guard a.has("window") else { throw LessonError(a.location, "\(a.op) needs window: f") }
    return try a.extent("window", default: Extent2D(1))
  }
}
