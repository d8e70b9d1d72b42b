import Testing

@testable import ConvTourLessons

@Suite("The lesson budget: each op's cost estimate comes from its registry entry")
struct BudgetTests {
  @Test("conv2d counts C·f_h·f_w per output, matmul k, relu one: 27·18 + 20·6 + 27")
  func costsFromTheRegistry() throws {
    let lesson = try LessonParser.parse(
      header + """
        tensor x [2, 5, 5] = random(seed: 1)
        tensor W [3, 2, 3, 3] = random(seed: 2)
        tensor A [4, 6] = random(seed: 3)
        tensor B [6, 5] = random(seed: 4)
        step: Convolve
          run: z = conv2d(x, W)
        step: Multiply
          run: P = matmul(A, B)
        step: Rectify
          run: a = relu(z)
        """, file: "demo.lesson")
    #expect(LessonBudget.estimate(lesson).operations == 27 * 18 + 20 * 6 + 27)
  }

  @Test("every op names its estimate: the ops that contract a weight or an inner dimension say so")
  func entriesStateTheirCost() {
    let contracting = OpRegistry.entries.filter {
      if case .readsPerOutput = $0.cost { false } else { true }
    }
    #expect(contracting.map(\.name) == ["conv2d", "fc", "matmul"])
    #expect(OpCost.weightRow.perElement([[4], [2, 4]], output: 2) == 4)
    #expect(OpCost.innerDimension.perElement([[4, 6], [6, 5]], output: 20) == 6)
    #expect(OpCost.readsPerOutput.perElement([[4, 6], [4, 6]], output: 24) == 2)
  }
}
