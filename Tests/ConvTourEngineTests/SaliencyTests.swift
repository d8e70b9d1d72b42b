import ConvTourEngine
import Testing

@Suite("saliency")
struct SaliencyTests {
  @Test("max over the colour channels of |∂J/∂x|, per example")
  func saliency() throws {
    // [M = 2, C = 3, 1, 2]; example 2's channels are [1, −9], [4, 2], [−3, 5].
    let g = try Tensor32(shape: [2, 3, 1, 2], values: [0, 0, 0, 0, 0, 0, 1, -9, 4, 2, -3, 5])
    #expect(try Saliency.map(g, example: 1) == Tensor32(shape: [1, 2], values: [4, 9]))
    #expect(throws: EngineError.self) { try Saliency.map(g, example: 2) }
  }
}
