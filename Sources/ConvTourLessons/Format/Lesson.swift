import ConvTourEngine

/// A place in a lesson file, for messages: file:line:column (1-based).
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }
}

/// A lesson: one worked example of a document, as data (see Lessons/README.md for the format).
public struct Lesson: Sendable {
  public var id: String
  public var title: String
  /// The document and section it follows: "001_fccaba08b6e11e45.txt, 11.3.1".
  public var source: String
  public var file: String
  public var tensors: [TensorDeclaration]
  public var steps: [Step]
  /// Expectations and claims, in the file's order.
  public var expectations: [Expectation]
  /// The code listings the lesson quotes (`listing NAME`), which claims can read.
  public var listings: [Listing] = []
  /// The documents' titles by file name (`document: FILE = TITLE` lines), for the tour to name
  /// a document by its title rather than its hashed file name.
  public var documents: [(file: String, title: String)] = []
  /// Runs of steps that are arithmetic detail (`fold: FIRST-LAST SUMMARY`, 1-based): the tour can
  /// fold each into one step named by its summary.
  public var folds: [(steps: ClosedRange<Int>, summary: String)] = []
  /// The networks its `train` steps name, by name: filled by the command that loads the lessons
  /// (a built-in network, or `networks/NAME.net` beside the lessons).
  public var networks: [String: NetworkArchitecture] = [:]

  /// The network names its `train` steps use.
  public var trainedNetworks: [String] {
    steps.compactMap { if case .train(let t) = $0.action { t.network } else { nil } }
  }

  /// `source` with every document's file name followed by its title.
  public var titledSource: String {
    documents.reduce(source) { $0.replacingOccurrences(of: $1.file, with: "\($1.title) (\($1.file))") }
  }
}

/// A tensor given by the lesson: explicit values or seeded random ones.
public struct TensorDeclaration: Sendable {
  public enum Values: Sendable {
    /// Row-major values.
    case explicit([Double])
    /// Uniform in [low, high) from a seeded generator; rounded to integers when `integers`.
    case random(seed: UInt64, low: Double, high: Double, integers: Bool)
    /// A one-hot vector: 1 at the 1-based position `hot`, 0 elsewhere.
    case oneHot(Int)
    /// Every element the same (`zeros`, `ones`, `fill(v)`).
    case fill(Double)
    /// A shape and no values: steps on it compute shapes only (full-size networks).
    case shapeOnly
    /// Values the lesson format cannot make alone — an image of a dataset, a network's seeded
    /// weights (`image(…)`, `images(…)`, `labels(…)`, `init(…)`): the command that loads the
    /// lessons replaces it by `.provided` (see `ExternalTensor`).
    case external(ExternalTensor)
    /// Values made by the loader, on first use.
    case provided(ProvidedTensor)
  }

  public var name: String
  public var shape: [Int]
  public var values: Values
  /// The first non-empty line of the declaration's comment, shown beside the tensor.
  public var note: String?
  public var location: SourceLocation
  /// A helper the lesson needs but a student need not see (`hidden:` under the declaration):
  /// the tour leaves it out; traces and checks keep it.
  public var hidden = false

  /// The tensor itself.
  public func make() throws -> Tensor {
    switch values {
    case .explicit(let values):
      return try Tensor(shape: shape, values: values)
    case .random(let seed, let low, let high, let integers):
      var generator = SeededRandom(seed: seed)
      var t = Tensor.random(shape, in: low...high, using: &generator)
      if integers { t = t.map { $0.rounded(.down) } }
      return t
    case .oneHot(let hot):
      var t = Tensor(zeros: shape)
      t.values[hot - 1] = 1
      return t
    case .fill(let value):
      return Tensor(zeros: shape, value: value)
    case .shapeOnly:
      throw EngineError.invalidShape(op: "tensor \(name)", shape: shape, reason: "declared by shape only")
    case .external(let request):
      throw EngineError.invalidParameter(
        op: "tensor \(name)",
        reason: "\(request.kind)(…) is read by the convtour command, which loads the datasets and networks")
    case .provided(let provided):
      let t = try provided.load()
      guard t.shape == shape else {
        throw EngineError.shapeMismatch(
          op: "tensor \(name)", shapes: [t.shape, shape], expected: "the declared shape")
      }
      return t
    }
  }
}

/// One step: prose, a formula, and one action of the engine.
public struct Step: Sendable {
  public var title: String
  public var prose: String
  public var formula: String
  public var action: Action
  public var location: SourceLocation
}

/// A reference to a tensor or one of its elements: `z` or `z[1, 1, 1]` (1-based in files,
/// 0-based here).
public struct ElementReference: Equatable, Sendable, CustomStringConvertible {
  public var name: String
  public var index: [Int]?

  public init(name: String, index: [Int]? = nil) {
    self.name = name
    self.index = index
  }

  public var description: String {
    guard let index else { return name }
    return "\(name)[\(index.map { String($0 + 1) }.joined(separator: ", "))]"
  }
}

/// What a step does.
public enum Action: Sendable {
  /// output = op(inputs).
  case forward(op: any Operation, inputs: [String], output: String)
  /// outputs = the gradients op.backward gives for its inputs, from delta = ∂L/∂output
  /// (nil: that gradient is not kept).
  case backward(op: any Operation, inputs: [String], delta: String, outputs: [String?])
  /// output = ∂output/∂input of one op, as a dense matrix [outputs, inputs].
  case jacobian(op: any Operation, inputs: [String], withRespectTo: Int, output: String)
  /// output = ∂of/∂wrt by backpropagation through every forward step so far, plus the tensor
  /// `accumulate` when given (a backward pass without `zero_grad()`: gradients add up).
  case gradient(of: ElementReference, withRespectTo: String, accumulate: String?, output: String)
  /// output = ∂of/∂wrt by central differences, rerunning the forward steps.
  case numericGradient(of: ElementReference, withRespectTo: String, step: Double, output: String)
  /// From here on, every forward step also carries tangents: the element moves by Δ.
  case perturb(ElementReference)
  /// output = the tangent (the b of a + bΔ) of a tensor.
  case tangent(of: String, output: String)
  /// output = the number of elements of the tensors (a parameter count).
  case count(tensors: [String], output: String)
  /// output = how many tensors are listed (the 16 weight tensors of VGG-16).
  case tensorCount(tensors: [String], output: String)
  /// Training: the `steps` steps above ran as epoch 1; they run again until `epochs` epochs have
  /// run, every `sgd` result becoming its parameter for the next epoch. output = the scalar
  /// `loss` of every epoch, shape [epochs] (the loss of epoch e is computed before its update).
  case repeatSteps(steps: Int, epochs: Int, loss: String, output: String)
  /// Minibatch SGD epochs of a network on the fast path (see `TrainingRequest`): outputs = the
  /// trained parameters.
  case train(TrainingRequest)

  /// The tensors the action writes.
  public var outputs: [String] {
    switch self {
    case .forward(_, _, let output), .jacobian(_, _, _, let output), .gradient(_, _, _, let output),
      .numericGradient(_, _, _, let output), .tangent(_, let output), .count(_, let output),
      .tensorCount(_, let output), .repeatSteps(_, _, _, let output):
      return [output]
    case .backward(_, _, _, let outputs): return outputs.compactMap { $0 }
    case .perturb: return []
    case .train(let t): return t.outputs
    }
  }

  /// The tensors the action reads.
  public var inputs: [String] {
    switch self {
    case .forward(_, let inputs, _), .jacobian(_, let inputs, _, _): return inputs
    case .backward(_, let inputs, let delta, _): return inputs + [delta]
    case .gradient(let of, let wrt, let accumulate, _):
      return [of.name, wrt] + (accumulate.map { [$0] } ?? [])
    case .numericGradient(let of, let wrt, _, _): return [of.name, wrt]
    case .repeatSteps(_, _, let loss, _): return [loss]
    case .perturb(let reference): return [reference.name]
    case .tangent(let of, _): return [of]
    case .count(let tensors, _), .tensorCount(let tensors, _): return tensors
    case .train(let t): return t.parameters + [t.images, t.labels]
    }
  }

  /// A short name for the action: the op's name, "conv2d backward", "grad"…
  public var name: String {
    switch self {
    case .forward(let op, _, _): return op.name
    case .backward(let op, _, _, _): return "\(op.name) backward"
    case .jacobian(let op, _, _, _): return "\(op.name) Jacobian"
    case .gradient(_, _, let accumulate, _):
      return accumulate == nil ? "backpropagation" : "backpropagation, accumulated"
    case .repeatSteps: return "repeat"
    case .numericGradient: return "central difference"
    case .perturb: return "perturb"
    case .tangent: return "tangent"
    case .count: return "count"
    case .tensorCount: return "tensors"
    case .train: return "train"
    }
  }
}

/// A number, a shape, or a tensor the document prints, or a statement it makes (`claim:`), with
/// its citation.
public struct Expectation: Sendable {
  public enum Claim: Sendable {
    /// The tensor has this shape.
    case shape([Int])
    /// The element (or the whole tensor, row-major) has these values.
    case values([Double])
    /// The element is a + bΔ under the lesson's perturbation.
    case dual(value: Double, tangent: Double)
    /// Two computed tensors agree (a check of the engine, not a number of a document).
    case agrees(with: String)
    /// Every value is below the bound (a loss that training brought down).
    case below(Double)
    /// Every value is below the other tensor's (same shape, or a scalar): a new loss lower than
    /// the old.
    case belowTensor(String)
    /// A statement of the document (`claim:`), decided by the predicate: the document implies
    /// that it holds (`implies:`) or that it does not (`denies:`).
    case statement(Predicate, implied: Bool)
  }

  public var reference: ElementReference
  public var claim: Claim
  /// Absolute tolerance; nil means "exact up to rounding noise" (1e-9 relative).
  public var tolerance: Double?
  /// Where the document prints it: "001_fccaba08b6e11e45.txt, 10.4.1".
  public var citation: String?
  /// When set, the document is known to be wrong here and this says why.
  public var erratum: String?
  /// The expectation as written, for reports; for a claim, the document's words it quotes.
  public var text: String
  public var location: SourceLocation

  /// Whether this is a claim of the document (`claim:`) rather than a number, shape or tensor.
  public var isClaim: Bool {
    if case .statement = claim { true } else { false }
  }

  /// For a claim: the predicate as the document implies it (`denies: P` implies not P).
  public var impliedPredicate: Predicate? {
    guard case .statement(let predicate, let implied) = claim else { return nil }
    return implied ? predicate : predicate.negated
  }
}
