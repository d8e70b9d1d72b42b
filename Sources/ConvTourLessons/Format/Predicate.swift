/// A quantity of a lesson run that a claim measures: `nonzero_rows(dW)`, `count(o)`, `L`,
/// `lines(init, nn.ReLU)`. Written as in the lesson file.
public enum Measure: Equatable, Sendable, CustomStringConvertible {
  /// A scalar tensor's value, or one element's: `L`, `o[2]`.
  case value(ElementReference)
  /// The number of elements (works on shape-only tensors): `count(o)`.
  case count(String)
  /// The first dimension, the number of rows (1 for a scalar): `rows(dW)`.
  case rows(String)
  /// How many elements are not zero: `nonzero(g)`.
  case nonzero(String)
  /// How many rows (slices along the first dimension) have an element that is not zero:
  /// `nonzero_rows(dW)` — the rows of a weight gradient that an update changes.
  case nonzeroRows(String)
  /// How many lines of a listing the lesson quotes contain a word or a quoted text:
  /// `lines(init, nn.ReLU)`.
  case lines(listing: String, containing: String)
  /// The 1-based number of the first line of a listing that contains a word or a quoted text:
  /// `first_line(script, "net = ConvNet()")` — what comes first in a script.
  case firstLine(listing: String, containing: String)

  /// The functions a measure may be written with, by the name the file uses.
  static let functions = ["count", "rows", "nonzero", "nonzero_rows", "lines", "first_line"]

  public var description: String {
    switch self {
    case .value(let reference): reference.description
    case .count(let name): "count(\(name))"
    case .rows(let name): "rows(\(name))"
    case .nonzero(let name): "nonzero(\(name))"
    case .nonzeroRows(let name): "nonzero_rows(\(name))"
    case .lines(let listing, let word): "lines(\(listing), \(Self.written(word)))"
    case .firstLine(let listing, let word): "first_line(\(listing), \(Self.written(word)))"
    }
  }

  /// A word as the file writes it: bare when it reads as one name (`nn.ReLU`), else quoted.
  static func written(_ word: String) -> String {
    let bare =
      word.first.map { $0.isLetter || $0 == "_" } == true
      && word.allSatisfy { $0.isLetter || $0.isNumber || "_'.".contains($0) }
    return bare ? word : "\"\(word)\""
  }

  /// The tensor it reads, or nil for a listing's lines.
  public var tensor: String? {
    switch self {
    case .value(let reference): reference.name
    case .count(let name), .rows(let name), .nonzero(let name), .nonzeroRows(let name): name
    case .lines, .firstLine: nil
    }
  }

  /// The listing it reads, if any.
  public var listing: String? {
    switch self {
    case .lines(let listing, _), .firstLine(let listing, _): listing
    default: nil
    }
  }
}

/// How a claim compares two quantities.
public enum Relation: String, CaseIterable, Sendable {
  case equal = "="
  case notEqual = "≠"
  case less = "<"
  case lessOrEqual = "≤"
  case greater = ">"
  case greaterOrEqual = "≥"

  /// The relation that holds exactly when this one does not.
  public var negated: Relation {
    switch self {
    case .equal: .notEqual
    case .notEqual: .equal
    case .less: .greaterOrEqual
    case .lessOrEqual: .greater
    case .greater: .lessOrEqual
    case .greaterOrEqual: .less
    }
  }

  /// Whether `a RELATION b`; equality within the tolerance (default: rounding noise, 1e−9
  /// relative), the orderings strict as written.
  public func holds(_ a: Double, _ b: Double, tolerance: Double?) -> Bool {
    let equal = abs(a - b) <= (tolerance ?? 1e-9 * max(1, abs(b)))
    switch self {
    case .equal: return equal
    case .notEqual: return !equal
    case .less: return a < b
    case .lessOrEqual: return a <= b || equal
    case .greater: return a > b
    case .greaterOrEqual: return a >= b || equal
    }
  }
}

/// The right side of a predicate: a number or another measure.
public enum Operand: Equatable, Sendable, CustomStringConvertible {
  case number(Double)
  case measure(Measure)

  public var description: String {
    switch self {
    case .number(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    case .measure(let m): m.description
    }
  }
}

/// What decides a claim of a document: `nonzero_rows(dW16) = 1`, `count(o) = count(o_fig1)`.
public struct Predicate: Equatable, Sendable, CustomStringConvertible {
  public var left: Measure
  public var relation: Relation
  public var right: Operand
  /// Absolute tolerance of `=` and `≠` (`± TOL`); nil means rounding noise.
  public var tolerance: Double?

  public init(left: Measure, relation: Relation, right: Operand, tolerance: Double? = nil) {
    self.left = left
    self.relation = relation
    self.right = right
    self.tolerance = tolerance
  }

  /// The predicate that holds exactly when this one does not (what `denies:` states).
  public var negated: Predicate {
    Predicate(left: left, relation: relation.negated, right: right, tolerance: tolerance)
  }

  /// The measures it reads, left first.
  public var measures: [Measure] {
    if case .measure(let m) = right { [left, m] } else { [left] }
  }

  public var description: String {
    "\(left) \(relation.rawValue) \(right)" + (tolerance.map { " ± \(Operand.number($0))" } ?? "")
  }
}
