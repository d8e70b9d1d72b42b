import Testing

@testable import ConvTourEngine

/// ‖g‖ over all gradients: the Double reference's value, the same bits with 1 or 2 workers.
@Suite("The gradient norm of a training step")
struct FastSGDNormTests {
  @Test("‖g‖ agrees with a Double sum, and does not depend on the workers")
  func norm() throws {
    var random = SeededRandom(seed: 61)
    // Sizes around the 4096-value chunks and the 16 lanes: tails of every kind.
    let gradients = try Dictionary(
      uniqueKeysWithValues: [5, 4096, 4097, 10_000, 70_001].enumerated().map { index, count in
        (
          "g\(index)",
          try Tensor32(shape: [count], values: (0..<count).map { _ in Float(random.uniform(-2, 2)) })
        )
      })
    let reference = gradients.values.reduce(0.0) { sum, g in
      g.values.reduce(sum) { $0 + Double($1) * Double($1) }
    }.squareRoot()
    let one = FastPath.withWorkers(1) { FastSGD.norm(gradients) }
    let two = FastPath.withWorkers(2) { FastSGD.norm(gradients) }
    #expect(abs(one - reference) <= 1e-6 * reference)
    #expect(one == two)
  }
}
