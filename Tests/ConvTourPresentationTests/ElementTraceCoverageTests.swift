import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// The element-level trace covers every step the tour explains at element level (issue 22 §3):
/// Jacobians entry by entry (max-pool step 17, the softmax Jacobian) and grad/numgrad paths too.
@Suite("Element-level traces cover the tour's element level")
struct ElementTraceCoverageTests {
  /// The numbers of the steps whose JSON object has `elements`.
  static func stepsWithElements(_ json: JSONValue) -> Set<Int> {
    guard case .object(let top) = json, case .array(let steps)? = top.first(where: { $0.0 == "steps" })?.1
    else { return [] }
    var numbers: Set<Int> = []
    for case .object(let members) in steps where members.contains(where: { $0.0 == "elements" }) {
      if case .integer(let n)? = members.first(where: { $0.0 == "number" })?.1 { numbers.insert(n) }
    }
    return numbers
  }

  @Test(
    "JSON and text: a step has elements exactly when the tour steps into it",
    arguments: ["max-pool", "softmax"])
  func covered(id: String) throws {
    let lesson = try #require(TourViewTests.lessons.first { $0.id == id })
    let run = try LessonRun(lesson)
    let tour = Set(run.records.filter { run.hasElements($0) }.map(\.number))
    let jacobians = run.records.filter {
      if case .jacobian = $0.step.action { true } else { false }
    }
    #expect(jacobians.contains { tour.contains($0.number) })  // what the issue found missing
    #expect(Self.stepsWithElements(try JSONTrace(detail: .element).value(run)) == tour)
    // The text trace: each step's block says "element by element" exactly then.
    let text = try TextTrace(detail: .element).render(run)
    let blocks = text.components(separatedBy: "\nStep ").dropFirst()
    let listed = Set(
      blocks.compactMap { block -> Int? in
        guard block.contains("  element by element (") else { return nil }
        return Int(block.prefix { $0.isNumber })
      })
    #expect(listed == tour)
  }
}
