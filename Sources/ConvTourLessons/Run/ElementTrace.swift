import ConvTourEngine

/// One output element of a step and what made it: the element level of a trace.
public struct ElementTrace: Sendable {
  /// The tensor written and the element's 0-based index.
  public var tensor: String
  public var index: [Int]
  public var value: Double
  public var combination: ElementExplanation.Combination
  public var terms: [TraceTerm]
}

public struct TraceTerm: Sendable {
  public var factors: [TraceFactor]
  public var form: Term.Form
  public var value: Double
}

/// A factor of a term: an element of a lesson tensor, or (for backward steps) a local
/// derivative ∂y(j)/∂x(i), which has no tensor of its own.
public struct TraceFactor: Sendable {
  /// The lesson tensor read, or nil for a local derivative.
  public var tensor: String?
  /// For a local derivative: the output element differentiated, and the input element.
  public var derivative: (output: String, outputIndex: [Int], input: String, inputIndex: [Int])?
  public var index: [Int]
  public var value: Double
  public var isPadding: Bool
  /// For a local derivative: where its value comes from (nil for a tensor's element).
  public var local: LocalDerivative? = nil
  /// p > 0: the element is read through the op's zero padding, as the documents write it, from
  /// s = h_p(tensor), which counts from 1 with s(i+p, j+p) = tensor(i, j): its index in s is
  /// `index` plus p on the last two axes (`index` stays the tensor's own, for highlighting).
  public var padding = 0
}

extension Operation {
  /// The zero border the op reads its first input through (a padded convolution's p), else 0.
  var readPadding: Int { (self as? Convolution).map { $0.padding.rows } ?? 0 }
}

/// Where a local derivative ∂y(j)/∂x(i) comes from, read off y(j)'s forward terms: for a sum of
/// products, the other factors of the term that reads x(i) (∂z(1,2)/∂W(1,1) = X(1,2)); for a
/// max-pool window, 1 for the winner and 0 for the rest; for softmax, a_j(δ_ij − a_i).
public struct LocalDerivative: Sendable {
  public enum Rule: Sendable, Equatable {
    /// The product of `factors` (times `scale`, 1/n for a mean); no factors: x enters alone (1).
    case product(scale: Double)
    /// Max-pool: 1 when x(i) wins y(j)'s window, else 0.
    case maximum(winner: Bool)
    /// Softmax: a_j(1 − a_j) on the diagonal (i = j), −a_j·a_i off it.
    case softmax(diagonal: Bool, aj: Double, ai: Double)
    /// A constant: 1 for a term added, −1 for one subtracted.
    case constant(Double)
    /// Anything else: the op's derivative rule, evaluated.
    case formula(String)
  }

  public var rule: Rule
  /// The lesson-tensor elements the derivative equals (a product of), to name and highlight.
  public var factors: [TraceFactor]
}

extension StepRecord {
  /// Whether the step has an element level: forward and backward steps of an op (and, when
  /// asked, Jacobians: one entry ∂y(j)/∂x(i) at a time, as the tour shows them).
  public func hasElements(jacobians: Bool = false) -> Bool {
    guard (reads + writes).allSatisfy({ $0.value != nil }) else { return false }
    switch step.action {
    case .forward, .backward: return true
    case .jacobian: return jacobians
    default: return false
    }
  }

  public var hasElements: Bool { hasElements() }

  /// The most elements a trace shows of one step unless asked for every one (`--full`): a
  /// convolution over a whole test set has millions of terms no one reads in a trace.
  public static let traceLimit = 1000

  /// How many elements the step has at element level: its output's, a backward step's gradients'
  /// (together), a Jacobian's entries.
  public var elementCount: Int {
    guard hasElements(jacobians: true) else { return 0 }
    switch step.action {
    case .forward: return writes.first?.value?.count ?? 0
    case .backward(_, let inputs, _, let outputs):
      return zip(reads.prefix(inputs.count), outputs).reduce(0) {
        $0 + ($1.1 == nil ? 0 : $1.0.value?.count ?? 0)
      }
    case .jacobian: return writes.first?.value?.count ?? 0
    default: return 0
    }
  }

  /// The step one output element at a time. Forward: the op's terms for each element.
  /// Backward: for each element i of each gradient, one term per path from x(i) to an output
  /// y(j): the upstream gradient δ(j) times the local derivative ∂y(j)/∂x(i)
  /// (∂L/∂x(i) = Σ_j δ(j)·∂y(j)/∂x(i)).
  /// `limit` keeps `limit` elements from element `start` on (in storage order; a backward step's
  /// gradients one after another): traces show at most `StepRecord.traceLimit` unless asked for
  /// all, and the tour computes the elements near the one it shows.
  public func elements(from start: Int = 0, limit: Int = .max) throws -> [ElementTrace] {
    let start = max(0, start)
    let end = start + min(limit, Int.max - start)
    switch step.action {
    case .forward(let op, let inputs, let output):
      let arguments = reads.map(\.tensor)
      let y = writes[0].tensor
      return try (min(start, y.count)..<min(y.count, end)).map { offset in
        let index = Shape.index(ofOffset: offset, in: y.shape)
        let e = try op.explain(arguments, at: index)
        let terms = e.terms.map { term in
          TraceTerm(
            factors: term.factors.map {
              TraceFactor(
                tensor: inputs[$0.input], derivative: nil, index: $0.index, value: $0.value,
                isPadding: $0.isPadding, padding: $0.input == 0 ? op.readPadding : 0)
            }, form: term.form, value: term.value)
        }
        return ElementTrace(
          tensor: output, index: index, value: y.values[offset], combination: e.combination, terms: terms)
      }
    case .backward(let op, let inputs, let deltaName, let outputs):
      let arguments = reads.prefix(inputs.count).map(\.tensor)
      let delta = reads[inputs.count].tensor
      var result: [ElementTrace] = []
      for (k, name) in outputs.enumerated() {
        guard let name else { continue }
        let x = arguments[k]
        let gradient = writes.first { $0.name == name }!.tensor
        let paths = try Self.paths(
          op, arguments, names: inputs, input: k, output: op.name, delta: delta, deltaName: deltaName)
        for i in 0..<min(x.count, end - result.count) {
          result.append(
            ElementTrace(
              tensor: name, index: Shape.index(ofOffset: i, in: x.shape), value: gradient.values[i],
              combination: .sum, terms: paths[i]))
        }
      }
      return Array(result.dropFirst(start))
    case .jacobian(let op, let inputs, let k, let output):
      // Entry (j, i) of J is ∂y(j)/∂x(i): row j belongs to output element j, column i to input i.
      let J = writes[0].tensor
      let x = reads[k].tensor
      let arguments = reads.prefix(inputs.count).map(\.tensor)
      let yShape = try op.outputShape(reads.prefix(inputs.count).map(\.shape))
      return (min(start, J.count)..<min(J.count, end)).map { offset in
        let (j, i) = (offset / max(1, x.count), offset % max(1, x.count))
        let yIndex = Shape.index(ofOffset: j, in: yShape)
        let xIndex = Shape.index(ofOffset: i, in: x.shape)
        let explanation = try? op.explain(arguments, at: yIndex)
        let factor = TraceFactor(
          tensor: nil, derivative: (op.name, yIndex, inputs[k], xIndex), index: xIndex,
          value: J.values[offset],
          isPadding: false,
          local: explanation.map {
            LocalDerivative.from(
              $0, input: k, index: xIndex, value: J.values[offset], names: inputs,
              formula: op.backwardFormula,
              padding: op.readPadding
            )
          })
        return ElementTrace(
          tensor: output, index: [j, i], value: J.values[offset], combination: .sum,
          terms: [TraceTerm(factors: [factor], form: .product, value: J.values[offset])])
      }
    default:
      return []
    }
  }
}

extension StepRecord {
  /// For each element i of input k of `op`, the paths from x(i) to an output y(j): the upstream
  /// gradient δ(j) (of `deltaName`) times the local derivative ∂y(j)/∂x(i), named with `output`
  /// and read off y(j)'s forward terms. Output j reads x(i) when its forward terms name it; a
  /// path whose local derivative is 0 (a zero weight, a window's loser) is still shown.
  static func paths(
    _ op: any Operation, _ arguments: [Tensor], names: [String], input k: Int, output: String, delta: Tensor,
    deltaName: String
  ) throws -> [[TraceTerm]] {
    let x = arguments[k]
    let y = try op.forward(arguments)
    guard let J = try Jacobian.matrix(op, inputs: arguments, input: k) else {
      return Array(repeating: [], count: x.count)
    }
    let explanations = try (0..<y.count).map {
      try op.explain(arguments, at: Shape.index(ofOffset: $0, in: y.shape))
    }
    var readers = Array(repeating: Set<Int>(), count: x.count)
    for j in 0..<y.count {
      for factor in explanations[j].terms.flatMap(\.factors)
      where !factor.isPadding && factor.input == k && Shape.contains(factor.index, in: x.shape) {
        readers[Shape.offset(factor.index, in: x.shape)].insert(j)
      }
    }
    return (0..<x.count).map { i in
      let xIndex = Shape.index(ofOffset: i, in: x.shape)
      return (0..<y.count).filter { readers[i].contains($0) || J.values[$0 * x.count + i] != 0 }.map { j in
        let yIndex = Shape.index(ofOffset: j, in: y.shape)
        let local = J.values[j * x.count + i]
        return TraceTerm(
          factors: [
            TraceFactor(
              tensor: deltaName, derivative: nil, index: yIndex, value: delta.values[j], isPadding: false),
            TraceFactor(
              tensor: nil, derivative: (output, yIndex, names[k], xIndex), index: xIndex, value: local,
              isPadding: false,
              local: LocalDerivative.from(
                explanations[j], input: k, index: xIndex, value: local, names: names,
                formula: op.backwardFormula, padding: op.readPadding)),
          ], form: .product, value: delta.values[j] * local)
      }
    }
  }
}

extension LocalDerivative {
  /// The local derivative ∂y(j)/∂x_input(index) read off y(j)'s forward explanation `e`, whose
  /// value (from the Jacobian) is `value`; `names` are the lesson names of the op's inputs.
  static func from(
    _ e: ElementExplanation, input: Int, index: [Int], value: Double, names: [String], formula: String,
    padding: Int = 0
  ) -> LocalDerivative {
    func named(_ f: Factor) -> TraceFactor {
      TraceFactor(
        tensor: names[f.input], derivative: nil, index: f.index, value: f.value, isPadding: f.isPadding,
        padding: f.input == 0 ? padding : 0)
    }
    let reads = { (f: Factor) in f.input == input && f.index == index && !f.isPadding }
    let term = e.terms.firstIndex { $0.factors.contains(where: reads) }
    switch e.combination {
    case .sum where term.map({ e.terms[$0].form != .product }) ?? false:
      // An elementwise a ⊙ b, a + b, a − b: the other operand, or ±1.
      guard let term, case .infix(let symbol) = e.terms[term].form else { break }
      let factors = e.terms[term].factors
      let position = factors.firstIndex(where: reads)!
      switch symbol {
      case "⊙", "·", "×", "*":
        var others = factors
        others.remove(at: position)
        return LocalDerivative(rule: .product(scale: 1), factors: others.map(named))
      case "+": return LocalDerivative(rule: .constant(1), factors: [])
      case "−", "-": return LocalDerivative(rule: .constant(position == 0 ? 1 : -1), factors: [])
      default: break
      }
    case .sum, .mean:
      guard let term, e.terms[term].form == .product else { break }
      var others = e.terms[term].factors
      others.remove(at: others.firstIndex(where: reads)!)
      let scale = e.combination == .mean ? 1 / Double(max(1, e.terms.count)) : 1
      return LocalDerivative(rule: .product(scale: scale), factors: others.map(named))
    case .maximum(let winner):
      guard let term else { break }
      return LocalDerivative(
        rule: .maximum(winner: term == winner), factors: [named(e.terms[winner].factors[0])])
    case .normalized(let numerator):
      guard let term, e.terms.count > numerator else { break }
      // a_j = e^(z_j)/Σ: the output's own a and the input's a, from the exponentials.
      let total = e.terms.reduce(0) { $0 + $1.value }
      let aj = e.terms[numerator].value / total
      let ai = e.terms[term].value / total
      return LocalDerivative(rule: .softmax(diagonal: term == numerator, aj: aj, ai: ai), factors: [])
    case .function:
      break
    }
    return LocalDerivative(rule: .formula(formula), factors: [])
  }
}
