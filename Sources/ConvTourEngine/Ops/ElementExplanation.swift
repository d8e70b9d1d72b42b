/// What made one output element: its terms and how they combine.
public struct ElementExplanation: Equatable, Sendable {
  /// How the terms combine into the output value.
  public enum Combination: Equatable, Sendable {
    /// value = Σ term values (a convolution, a fully connected layer, a loss).
    case sum
    /// value = the largest candidate; `winner` is the index of that term (max-pool).
    case maximum(winner: Int)
    /// value = the mean of the candidates (mean-pool, a batch-mean loss).
    case mean
    /// value = the numerator-th term's value / Σ term values (softmax: e^(z_i) / Σ_j e^(z_j)).
    case normalized(numerator: Int)
    /// value = f(the single term's value), f named in Unicode math: "max{z, 0}", "σ(z)";
    /// "copy" for ops that only move elements (padding, flatten, reshape, transpose).
    case function(String)
  }

  public var op: String
  /// The output element, 0-based.
  public var output: [Int]
  public var combination: Combination
  public var terms: [Term]
  public var value: Double

  public init(op: String, output: [Int], combination: Combination, terms: [Term], value: Double) {
    self.op = op
    self.output = output
    self.combination = combination
    self.terms = terms
    self.value = value
  }
}

/// One term of an explanation: the input elements it reads and what it contributes.
public struct Term: Equatable, Sendable {
  /// How a term's value comes from its factors.
  public enum Form: Equatable, Sendable {
    /// The product of the factors' values: x(1,1,1)·W(1,1,1,1); a lone bias b(1).
    case product
    /// The factors combined by one infix operator, left to right: "−" for x[1] − y[1].
    case infix(String)
    /// Any other expression of the factors, in Unicode math with their roles: "−y·log a".
    case expression(String)
  }

  public var factors: [Factor]
  public var form: Form
  public var value: Double

  public init(factors: [Factor], form: Form = .product, value: Double) {
    self.factors = factors
    self.form = form
    self.value = value
  }

  /// A product term; its value is the product of the factors.
  public static func product(_ factors: [Factor]) -> Term {
    Term(factors: factors, value: factors.reduce(1) { $0 * $1.value })
  }
}

/// One input element read by a term.
public struct Factor: Equatable, Sendable {
  /// Which input of the op (its position; `Operation.inputRoles` names it).
  public var input: Int
  /// The 0-based index into that input. Inside a zero border it lies outside the input's
  /// shape (row −1, say) and `isPadding` is true.
  public var index: [Int]
  public var value: Double
  public var isPadding: Bool

  public init(input: Int, index: [Int], value: Double, isPadding: Bool = false) {
    self.input = input
    self.index = index
    self.value = value
    self.isPadding = isPadding
  }
}
