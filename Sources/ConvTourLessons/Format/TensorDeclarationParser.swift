import ConvTourEngine

/// Reads `tensor NAME [SHAPE] = VALUES` blocks: explicit values, seeded random ones, one-hot,
/// fills, and shapes without values.
extension LessonParser {
  static func tensor(_ block: Block) throws -> TensorDeclaration {
    var s = try stream(block.header)
    let at = s.location
    let name = try s.identifier("a tensor name after `tensor`")
    var shape: [Int]? = nil
    if s.isSymbol("[") { shape = try s.integerList("the shape") }
    if let shape, let bad = shape.first(where: { $0 <= 0 }) {
      throw LessonError(at, "expected positive dimensions in the shape of \(name), found \(bad)")
    }
    if let shape, Shape.count(shape) > LessonLimits.largestShape {
      throw LessonError(at, "the shape of \(name) has more than 2⁵⁰ elements")
    }
    try s.expect("=", "\"=\" and the values of \(name)")
    let valuesAt = s.location
    let values: TensorDeclaration.Values
    if case .identifier(let word) = s.peek?.kind, ["shape", "zeros", "ones"].contains(word) {
      _ = s.next()
      guard let shape else { throw LessonError(at, "expected a shape [d1, d2, …] before = \(word)") }
      try s.expectEnd()
      if word != "shape" { try checkValueCount(shape, name, at) }
      let values: TensorDeclaration.Values = word == "shape" ? .shapeOnly : .fill(word == "ones" ? 1 : 0)
      let note = try single(block, "note")?.text
      return TensorDeclaration(name: name, shape: shape, values: values, note: note, location: at)
    }
    if case .identifier(let word) = s.peek?.kind, ExternalTensor.kinds.contains(word) {
      _ = s.next()
      guard let shape else { throw LessonError(at, "expected a shape [d1, d2, …] before = \(word)(…)") }
      try checkValueCount(shape, name, at)
      let request = ExternalTensor(kind: word, arguments: try externalArguments(&s, word))
      try s.expectEnd()
      let note = try single(block, "note")?.text
      return TensorDeclaration(name: name, shape: shape, values: .external(request), note: note, location: at)
    }
    if case .identifier(let word) = s.peek?.kind, ["random", "randint", "onehot", "fill"].contains(word) {
      _ = s.next()
      guard let shape else { throw LessonError(at, "expected a shape [d1, d2, …] before = \(word)(…)") }
      try checkValueCount(shape, name, at)
      try s.expect("(")
      if word == "fill" {
        let value = try s.number("the value of every element")
        try s.expect(")")
        values = .fill(value)
      } else if word == "onehot" {
        let hot = try s.integer("the 1-based position of the 1")
        guard hot >= 1, hot <= shape.reduce(1, *) else {
          throw LessonError(valuesAt, "expected a position from 1 to \(shape.reduce(1, *)) for onehot")
        }
        try s.expect(")")
        values = .oneHot(hot)
      } else {
        var parameters: [String: Double] = [:]
        repeat {
          let keyAt = s.location
          let key = try s.identifier("seed:, low: or high:")
          guard ["seed", "low", "high"].contains(key) else {
            throw LessonError(keyAt, "expected seed:, low: or high:, found \"\(key)\"")
          }
          try s.expect(":")
          parameters[key] = try s.number("a number for \(key)")
        } while s.skip(",")
        try s.expect(")", "\",\" or \")\"")
        guard let seed = parameters["seed"], seed >= 0, seed == seed.rounded(), seed < 9_007_199_254_740_992
        else {
          throw LessonError(valuesAt, "expected seed: a whole number from 0 to 2⁵³ in \(word)(…)")
        }
        let low = parameters["low"] ?? (word == "randint" ? 0 : -1)
        let high = parameters["high"] ?? (word == "randint" ? 10 : 1)
        guard low < high else { throw LessonError(valuesAt, "expected low < high in \(word)(…)") }
        values = .random(seed: UInt64(seed), low: low, high: high, integers: word == "randint")
      }
      try s.expectEnd()
    } else {
      let numbers = try s.numbers("a number (values are separated by spaces or commas)")
      let count = (shape ?? []).reduce(1, *)
      if let shape, numbers.count != count {
        throw LessonError(
          valuesAt,
          "expected \(count) values for \(name) of shape [\(shape.map(String.init).joined(separator: ", "))], found \(numbers.count)"
        )
      }
      guard !numbers.isEmpty else { throw LessonError(valuesAt, "expected the values of \(name)") }
      shape = shape ?? (numbers.count == 1 ? [] : [numbers.count])
      values = .explicit(numbers)
    }
    let note = try single(block, "note")?.text
    return TensorDeclaration(name: name, shape: shape ?? [], values: values, note: note, location: at)
  }

  /// `(key: value, …)` of an external tensor: values are names, numbers or quoted text.
  static func externalArguments(_ s: inout TokenStream, _ word: String) throws -> [String: String] {
    try s.expect("(")
    var arguments: [String: String] = [:]
    guard !s.skip(")") else { return arguments }
    repeat {
      let keyAt = s.location
      let key = try s.identifier("a parameter of \(word)(…): key: value")
      guard arguments[key] == nil else { throw LessonError(keyAt, "\(key): is given twice") }
      try s.expect(":")
      let value = s.next()
      switch value?.kind {
      case .identifier(let v), .quoted(let v): arguments[key] = v
      case .number: arguments[key] = value?.text
      default: throw LessonError(keyAt, "expected a value for \(key): a name, a number or \"text\"")
      }
    } while s.skip(",")
    try s.expect(")", "\",\" or \")\"")
    return arguments
  }

  static func checkValueCount(_ shape: [Int], _ name: String, _ at: SourceLocation) throws {
    guard Shape.count(shape) <= LessonLimits.largestTensor else {
      throw LessonError(
        at,
        "\(name) would hold \(Shape.count(shape)) values; the reference path takes at most \(LessonLimits.largestTensor): declare it `= shape`"
      )
    }
  }
}
