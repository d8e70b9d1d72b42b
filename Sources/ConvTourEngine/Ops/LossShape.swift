/// How a loss reads its input: one example ([] or [n]) or a batch ([m, n], one example per row).
struct LossShape {
  /// Number of examples m (1 for an unbatched input).
  var m: Int
  /// Elements per example.
  var n: Int

  init(_ inputShapes: [[Int]], op: String, roles: [String]) throws {
    guard inputShapes.count == 2 else {
      throw EngineError.wrongInputCount(
        op: op, expected: "2 inputs (\(roles.joined(separator: ", ")))", got: inputShapes.count)
    }
    let shape = inputShapes[0]
    guard inputShapes[1] == shape else {
      throw EngineError.shapeMismatch(
        op: op, shapes: inputShapes, expected: "\(roles[1]) of the same shape as \(roles[0])")
    }
    switch shape.count {
    case 0: (m, n) = (1, 1)
    case 1: (m, n) = (1, shape[0])
    case 2: (m, n) = (shape[0], shape[1])
    default:
      throw EngineError.invalidShape(
        op: op, shape: shape, reason: "\(roles[0]) must be [n] (one example) or [m, n] (a batch)")
    }
    guard m > 0, n > 0 else {
      throw EngineError.invalidShape(op: op, shape: shape, reason: "a loss needs at least one element")
    }
  }

  /// The index of element (example e, position i) in the input's own form.
  func index(_ e: Int, _ i: Int, rank: Int) -> [Int] {
    switch rank {
    case 0: []
    case 1: [i]
    default: [e, i]
    }
  }
}
