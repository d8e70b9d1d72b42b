import ConvTourEngine
import Testing

@testable import ConvTourLessons

/// One weight w fitting y = 2x on one example (x = 3, y = 6) by gradient descent:
/// L = (w·x − y)², ∂L/∂w = 2x(w·x − y). The steps compute it with the engine.
let fitOneWeight = """
  tensor w [1, 1] = 0.5
  tensor x [1] = 3
  tensor y [1] = 6
  step: Forward
    run: o = fc(x, w)
  step: Loss
    run: L = squared_error(o, y)
  step: Gradient
    run: g = grad(L, wrt: w)
  step: Update
    run: w_new = sgd(w, g, lr: 0.01)

  """

@Suite("Training in lessons: sgd, repeat and accumulated gradients")
struct TrainingTests {
  @Test("sgd writes W − η·g, and its element level shows W, g and the result")
  func sgdStep() throws {
    let r = try run(fitOneWeight)
    // L = (1.5 − 6)² = 20.25; g = 2·3·(1.5 − 6) = −27; w_new = 0.5 + 0.27 = 0.77.
    #expect(r.tensor("L")!.values == [20.25])
    #expect(r.tensor("g")!.values == [-27])
    #expect(abs(r.tensor("w_new")!.values[0] - 0.77) < 1e-15)
    let elements = try r.records[3].elements()
    #expect(elements.count == 1)
    let term = elements[0].terms[0]
    #expect(term.factors.map(\.tensor) == ["w", "g"])
    #expect(term.factors.map(\.value) == [0.5, -27])
    #expect(abs(term.value - 0.77) < 1e-15)
    #expect(term.form == .expression("W − 0.01·g"))
  }

  @Test("repeat runs the steps again with every sgd result fed back, and records each epoch's loss")
  func repeatEpochs() throws {
    let r = try run(
      fitOneWeight + """
        step: Train
          run: losses = repeat(steps: 4, epochs: 50, loss: L)
        expect: losses[50] < 1e-6
        expect: L < 1e-6
        """)
    // The same loop written out: the loss of each epoch before its update.
    var w = 0.5
    var expected: [Double] = []
    for _ in 0..<50 {
      let e = w * 3 - 6
      expected.append(e * e)
      w -= 0.01 * 2 * 3 * e
    }
    let losses = try #require(r.tensor("losses"))
    #expect(losses.shape == [50])
    for (a, b) in zip(losses.values, expected) { #expect(abs(a - b) <= 1e-12 * max(1, b)) }
    #expect(abs(r.tensor("w_new")!.values[0] - w) < 1e-12)
    let record = try #require(r.records.last)
    #expect(record.losses?.count == 50)
    #expect(record.writes.map(\.name) == ["losses", "w_new"])
    // Epoch 1's steps keep the values they were traced with.
    #expect(r.records[1].writes[0].tensor.values == [20.25])
    #expect(Checker.check(r).allSatisfy { $0.status == .pass })
  }

  @Test("a loss that becomes infinite stops the repeat and names the epoch")
  func divergence() throws {
    let body =
      fitOneWeight.replacingOccurrences(of: "lr: 0.01", with: "lr: 10") + """
        step: Train
          run: losses = repeat(steps: 4, epochs: 1000, loss: L)
        """
    do {
      _ = try run(body)
      Issue.record("expected the repeat to stop")
    } catch let error as LessonError {
      #expect(error.message.contains("became inf in epoch"))
    }
  }

  @Test("grad(…, accumulate: g) adds the new gradient to g, as backward without zero_grad()")
  func accumulation() throws {
    let r = try run(
      fitOneWeight + """
        step: Second backward without zero_grad
          run: g2 = grad(L, wrt: w, accumulate: g)
        """)
    #expect(r.tensor("g2")!.values == [-54])
    #expect(r.records.last!.step.action.name == "backpropagation, accumulated")
  }

  @Test("expect: A < B compares with a number or another tensor")
  func belowClaims() throws {
    let r = try run(
      fitOneWeight + """
        step: Loss after the step
          run: o2 = fc(x, w_new)
        step: New loss
          run: L2 = squared_error(o2, y)
        expect: L2 < L
        expect: L < L2
        expect: L < 100
        """)
    #expect(Checker.check(r).map(\.status) == [.pass, .fail, .pass])
  }

  @Test("the budget counts a repeat's epochs: a million epochs of a costly epoch are refused before running")
  func budget() throws {
    let few = try LessonParser.parse(
      header + fitOneWeight + "step: T\n  run: l = repeat(steps: 4, epochs: 10, loss: L)\n",
      file: "demo.lesson")
    let many = try LessonParser.parse(
      header + fitOneWeight + "step: T\n  run: l = repeat(steps: 4, epochs: 1000000, loss: L)\n",
      file: "demo.lesson")
    let (a, b) = (LessonBudget.estimate(few).operations, LessonBudget.estimate(many).operations)
    #expect(b > 50_000 * a)
    let tight = LessonBudget(memory: LessonBudget.defaultMemory, operations: 1e6)
    #expect(throws: Never.self) { try tight.check(few) }
    do {
      try tight.check(many)
      Issue.record("expected the budget to refuse a million epochs")
    } catch let error as LessonError {
      #expect(error.location.line == 16)
      #expect(error.message.contains("operations; the limit is"))
    }
  }

  @Test("malformed training lines name the place and what was expected")
  func malformed() {
    // Lines count from the end of the test header (three lines).
    expectMalformed(
      "tensor w = 1\ntensor g = 1\nstep: S\n  run: v = sgd(w, g, lr: -1)\n", at: 4, 22,
      "expected lr: a learning rate ≥ 0")
    expectMalformed("tensor w = 1\ntensor g = 1\nstep: S\n  run: v = sgd(w, g)\n", at: 4, 12, "sgd needs lr:")
    expectMalformed(
      fitOneWeight + "step: T\n  run: l = repeat(steps: 9, epochs: 5, loss: L)\n", at: 13, 8,
      "needs 9 steps above it, found 4")
    expectMalformed(
      fitOneWeight + "step: T\n  run: l = repeat(steps: 2, epochs: 5, loss: o)\n", at: 13, 8,
      "expected loss: a tensor written by one of the 2 repeated steps")
    expectMalformed(
      fitOneWeight
        + "step: E\n  run: L3 = squared_error(o, y)\nstep: T\n  run: l = repeat(steps: 1, epochs: 5, loss: L3)\n",
      at: 15, 8, "update nothing")
    expectMalformed(
      fitOneWeight + "step: T\n  run: l = repeat(steps: 4, epochs: 0, loss: L)\n", at: 13, 29,
      "expected epochs: a whole number from 1")
    expectMalformed(fitOneWeight + "expect: L < \n", at: 12, 13, "a bound or a tensor name after <")
  }
}
