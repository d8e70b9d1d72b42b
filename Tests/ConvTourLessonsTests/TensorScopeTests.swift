import ConvTourEngine
import Testing

@testable import ConvTourLessons

@Suite("The run's tensors: reading one that is not there is an error, not a crash")
struct TensorScopeTests {
  @Test("a scope gives what it holds and throws, naming it, for what it does not")
  func scope() throws {
    var scope = TensorScope()
    scope["x"] = Tensor(scalar: 2)
    #expect(try scope.tensor("x").values == [2])
    #expect(throws: TensorScope.Missing.self) { try scope.tensors(["x", "y"]) }
    do {
      _ = try scope.tensor("y")
    } catch let missing as TensorScope.Missing {
      #expect(missing.description.hasPrefix("y has no values at this step"))
    }
    #expect(scope["y"] == nil)
  }
}
