import ConvTourEngine
import Testing

@testable import ConvTourLessons

/// A minimal valid lesson, to which tests add or break lines.
let header = """
  id: demo
  title: A demo
  source: 001_fccaba08b6e11e45.txt, 10.4.1

  """

/// Expects the lesson to be rejected with `file:line:column: …` containing `fragment`.
func expectMalformed(
  _ body: String, at line: Int, _ column: Int, _ fragment: String,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  do {
    _ = try LessonParser.parse(header + body, file: "demo.lesson")
    Issue.record("expected an error containing \"\(fragment)\"", sourceLocation: sourceLocation)
  } catch let error as LessonError {
    let text = error.description
    #expect(text.hasPrefix("demo.lesson:\(line + 3):\(column): "), "\(text)", sourceLocation: sourceLocation)
    #expect(text.contains(fragment), "\(text)", sourceLocation: sourceLocation)
  } catch {
    Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
  }
}

@Suite("The lesson format")
struct ParserTests {
  @Test("a lesson with every kind of block parses")
  func parsesEverything() throws {
    let lesson = try LessonParser.parse(
      header + """
        tensor x [2, 3] =
          1 2 3
          4 −5 6e-1
          note: a matrix
        tensor r [4] = random(seed: 3, low: 0, high: 2)
        tensor y [3] = onehot(2)
        tensor c = 4

        step: Multiply
          prose: First paragraph,
            continued.
          prose: Second paragraph.
          formula: y = W·x
          run: z = fc(r, x)
        step: Back
          run: dr, dx = fc.backward(r, x, delta: z)

        expect: z shape [2]
          cite: somewhere
        expect: z[1] = 1.5 ± 0.01
          cite: somewhere
          erratum: the book is wrong
        expect: dr ≈ dr
        """, file: "demo.lesson")
    #expect(lesson.id == "demo")
    #expect(lesson.tensors.map(\.name) == ["x", "r", "y", "c"])
    #expect(lesson.tensors[0].shape == [2, 3])
    #expect(try lesson.tensors[0].make().values == [1, 2, 3, 4, -5, 0.6])
    #expect(lesson.tensors[0].note == "a matrix")
    #expect(try lesson.tensors[2].make().values == [0, 1, 0])
    #expect(lesson.tensors[3].shape == [])
    #expect(lesson.steps.count == 2)
    #expect(lesson.steps[0].prose == "First paragraph, continued.\nSecond paragraph.")
    #expect(lesson.steps[1].action.outputs == ["dr", "dx"])
    #expect(lesson.expectations.count == 3)
    #expect(lesson.expectations[1].tolerance == 0.01)
    #expect(lesson.expectations[1].reference == ElementReference(name: "z", index: [0]))
    #expect(lesson.expectations[1].erratum == "the book is wrong")
  }

  @Test("a list with negative numbers is a list; a + bΔ needs the Δ")
  func negativeLists() throws {
    let lesson = try LessonParser.parse(
      header
        + "tensor y [6] = 1 2 3 4 5 6\nexpect: y = 7 -2 18 −17 -2 11\n  cite: c\nexpect: y[1] = 2 − 6Δ\n  cite: c\n"
        + "expect: y[2] = 2 + Δ ± 0.1\n  cite: c\n", file: "demo.lesson")
    guard case .values(let values) = lesson.expectations[0].claim else {
      Issue.record("expected values")
      return
    }
    #expect(values == [7, -2, 18, -17, -2, 11])
    guard case .dual(2, -6) = lesson.expectations[1].claim, case .dual(2, 1) = lesson.expectations[2].claim
    else {
      Issue.record("expected a + bΔ")
      return
    }
    #expect(lesson.expectations[2].tolerance == 0.1)
  }

  @Test("random tensors are the same on every run")
  func seededRandom() throws {
    let text = header + "tensor r [5] = random(seed: 11, low: -1, high: 1)\n"
    let a = try LessonParser.parse(text, file: "a").tensors[0].make()
    let b = try LessonParser.parse(text, file: "b").tensors[0].make()
    #expect(a == b)
    #expect(a.values.allSatisfy { $0 >= -1 && $0 < 1 })
  }

  @Test("malformed lessons name file:line:column and what was expected")
  func malformed() {
    expectMalformed(
      "tensor x [2] = 1 2\nstep: S\n  run: y = convolve(x)\n", at: 3, 12, "unknown op \"convolve\"")
    expectMalformed("tensor x [2] = 1 2 3\n", at: 1, 16, "expected 2 values for x")
    expectMalformed("tensor x [2] = 1 zwei\n", at: 1, 18, "expected a number")
    expectMalformed("tensor x [2] = 1 2\nstep: S\n  run: y = relu(q)\n", at: 3, 8, "unknown tensor \"q\"")
    expectMalformed("tensor x [2] = 1 2\nstep: S\n  formula: y = x\n", at: 2, 1, "expected a `run:` line")
    expectMalformed("tensor x [2] = 1 2\nexpect: x[1] = 1\n", at: 2, 1, "expected a `cite:` line")
    expectMalformed("tensor x [2] = 1 2\nexpect: x[0] = 1\n  cite: c\n", at: 2, 10, "counted from 1")
    expectMalformed(
      "tensor x [2] = 1 2\nexpect: x = \n  cite: c\n", at: 2, 13, "expected the value the document prints")
    expectMalformed(
      "tensor x [2] = 1 2\nstep: S\n  run: y = maxpool(x, size: 2)\n", at: 3, 23, "has no parameter \"size\"")
    expectMalformed(
      "tensor x [2] = 1 2\nstep: S\n  run: y = fc(x)\n", at: 3, 12, "fc takes 2 or 3 tensor inputs, got 1")
    expectMalformed("tensor x [2] = 1 2\ntensor x [1] = 3\n", at: 2, 8, "x is already defined at line 4")
    expectMalformed("tensr x [2] = 1 2\n", at: 1, 1, "found \"tensr\"")
    expectMalformed(
      "tensor x [2] = 1 2\nstep: S\n  run: y = relu(x\n", at: 3, 18,
      "expected \",\" or \")\" at the end of the line")
    expectMalformed(
      "tensor x [2] = 1 2\nstep: S\n  run: a, b = relu.backward(x, delta: x)\n", at: 3, 15,
      "expected 1 result names")
    expectMalformed("tensor x [2] = 1 $\n", at: 1, 18, "unexpected character \"$\"")
  }

  @Test("numbers and shapes too large for the engine are errors, not traps")
  func limits() {
    expectMalformed(
      "tensor x [2] = 1 2\nstep: S\n  run: y = pad(x, p: 1e300)\n", at: 3, 19,
      "whole number from 0 to 1,000,000")
    expectMalformed("tensor x [2] = 1 1e400\n", at: 1, 18, "expected a finite number")
    expectMalformed("tensor x [3] = random(seed: 1e30)\n", at: 1, 16, "seed")
    expectMalformed("tensor x [100000, 100000] = zeros\n", at: 1, 8, "would hold 10000000000 values")
    expectMalformed("tensor x [3037000500, 3037000500, 9] = shape\n", at: 1, 8, "more than 2⁵⁰ elements")
    expectMalformed(
      "tensor x [2] = 1 2\nexpect: x shape [2]\n  cite:\n", at: 3, 3, "document and section after cite:")
  }

  @Test("Windows line endings read as lines")
  func crlf() throws {
    let lesson = try LessonParser.parse("id: a\r\ntitle: t\r\nsource: s\r\ntensor x [2] = 1 2\r\n", file: "f")
    #expect(lesson.id == "a")
    #expect(lesson.tensors.count == 1)
  }

  @Test("a lesson needs an id, a title and a source")
  func missingFields() {
    #expect(throws: LessonError.self) { try LessonParser.parse("title: t\nsource: s\n", file: "f") }
    #expect(throws: LessonError.self) { try LessonParser.parse("id: a\nsource: s\n", file: "f") }
    #expect(throws: LessonError.self) { try LessonParser.parse("id: a\ntitle: t\n", file: "f") }
  }
}
