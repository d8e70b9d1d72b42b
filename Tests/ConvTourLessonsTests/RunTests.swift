import ConvTourEngine
import Testing

@testable import ConvTourLessons

func run(_ body: String) throws -> LessonRun {
  try LessonRun(LessonParser.parse(header + body, file: "demo.lesson"))
}

@Suite("Running lessons")
struct RunTests {
  @Test("the delta method: tangents, backpropagation and central differences agree")
  func deltaMethod() throws {
    // z = W·x, o = Σ relu(z); move W[1, 2] by Δ.
    let r = try run(
      """
      tensor W [2, 2] = 1 2 -3 1
      tensor x [2] = 3 1
      step: S1
        run: perturb(W[1, 2])
      step: S2
        run: z = fc(x, W)
      step: S3
        run: h = relu(z)
      step: S4
        run: o = sum(h)
      step: S5
        run: g = grad(o, wrt: W)
      step: S6
        run: n = numgrad(o, wrt: W)
      step: S7
        run: t = tangent(o)
      expect: z[1] = 5 + 1Δ
        cite: c
      expect: o = 5 + 1Δ
        cite: c
      expect: g ≈ n ± 1e-8
      """)
    // z = (5, −8): only z1 is active; ∂o/∂W = [[3, 1], [0, 0]].
    #expect(r.tensor("g")!.values == [3, 1, 0, 0])
    #expect(r.tensor("t")!.values == [1])
    #expect(Checker.check(r).allSatisfy { $0.status == .pass })
  }

  @Test("check reports pass, fail and erratum, and a stale erratum as a failure")
  func statuses() throws {
    let r = try run(
      """
      tensor x [2] = 3 4
      step: S
        run: s = sum(x)
      expect: s = 7
        cite: c
      expect: s = 8
        cite: c
      expect: s = 8
        cite: c
        erratum: the book adds wrong
      expect: s = 7
        cite: c
        erratum: not really an erratum
      expect: s = 7.1 ± 0.2
        cite: c
      expect: x shape [2]
        cite: c
      expect: x[3] = 1
        cite: c
      """)
    let statuses = Checker.check(r).map(\.status)
    #expect(statuses == [.pass, .fail, .erratum, .fail, .pass, .pass, .invalid])
    let erratum = Checker.check(r)[2]
    #expect(erratum.documented == .values([8]))
    #expect(erratum.computed == .values([7]))
    #expect(erratum.message == "the book adds wrong")
  }

  @Test("tangent without perturb, and a step that would write too many values, are lesson errors")
  func runLimits() {
    #expect(throws: LessonError.self) { try run("tensor x [2] = 1 2\nstep: S\n  run: t = tangent(x)\n") }
    #expect(throws: LessonError.self) {
      try run("tensor x [1, 2, 2] = 1 2 3 4\nstep: S\n  run: y = pad(x, p: 100000)\n")
    }
    #expect(throws: LessonError.self) {
      try run(
        "tensor x [100000, 100000] = shape\nstep: S\n  run: J = relu.jacobian(x)\nstep: C\n  run: n = count(J)\n"
      )
    }
  }

  @Test("an expectation on an element outside the tensor is malformed, not a failure")
  func invalidExpectation() throws {
    let r = try run("tensor x [3] = 1 2 3\nexpect: x[7] = 1\n  cite: c\nexpect: x[1, 1] = 1\n  cite: c\n")
    #expect(Checker.check(r).map(\.status) == [.invalid, .invalid])
  }

  @Test("an engine error in a step is reported at its run: line")
  func engineError() {
    do {
      _ = try run("tensor x [3] = 1 2 3\ntensor W [2, 2] = 1 2 3 4\nstep: S\n  run: z = fc(x, W)\n")
      Issue.record("expected an error")
    } catch let error as LessonError {
      #expect(error.description.hasPrefix("demo.lesson:7:8: fc: shapes (3), (2, 2) do not fit"))
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test("element level: forward terms and backward paths")
  func elements() throws {
    let r = try run(
      """
      tensor x [1, 3, 3] = 1 2 3 4 5 6 7 8 9
      tensor W [1, 1, 2, 2] = 1 0 0 -1
      step: S
        run: z = conv2d(x, W)
      step: B
        run: dx, dW = conv2d.backward(x, W, delta: z)
      """)
    let forward = try r.records[0].elements()
    #expect(forward.count == 4)
    #expect(forward[0].terms.count == 4)
    #expect(forward[0].value == 1 - 5)
    let backward = try r.records[1].elements()
    #expect(backward.count == 9 + 4)
    // x[1, 2, 2] (the centre) lies in all four windows: four paths.
    let centre = backward.first { $0.tensor == "dx" && $0.index == [0, 1, 1] }!
    // Four paths, two of them through a zero weight (local derivative 0).
    #expect(centre.terms.count == 4)
    #expect(centre.terms.filter { $0.factors[1].value == 0 }.count == 2)
    #expect(backward.filter { $0.tensor == "dW" }.allSatisfy { $0.terms.count == 4 })
  }

  @Test("max-pool backward: every window element has a path; only the winner's is 1")
  func maxPoolPaths() throws {
    let r = try run(
      """
      tensor a [1, 2, 2] = 0 5 1 -4
      tensor d [1, 1, 1] = 3
      step: B
        run: da = maxpool.backward(a, delta: d, window: 2)
      """)
    let elements = try r.records[0].elements()
    #expect(elements.map(\.value) == [0, 3, 0, 0])
    #expect(elements.allSatisfy { $0.terms.count == 1 })
    #expect(elements.map { $0.terms[0].factors[1].value } == [0, 1, 0, 0])
  }
}
