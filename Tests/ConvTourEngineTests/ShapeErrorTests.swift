import ConvTourEngine
import Testing

/// Shapes that do not fit are thrown errors that name the op and the shapes; nothing traps.
@Suite("Shape errors")
struct ShapeErrorTests {
  /// Expects `body` to throw an EngineError whose message names `op` and mentions `fragment`.
  func expectError(
    _ op: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Any
  ) {
    do {
      _ = try body()
      Issue.record("\(op): expected an error", sourceLocation: sourceLocation)
    } catch let error as EngineError {
      let message = error.description
      #expect(message.hasPrefix(op), "\(message)", sourceLocation: sourceLocation)
      #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
    } catch {
      Issue.record("\(op): unexpected \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test("convolution")
  func convolution() {
    let x = Tensor(zeros: [1, 3, 5, 5])
    expectError("conv2d", "(2, 4, 3, 3)") {
      try Convolution(hasBias: false).forward([x, Tensor(zeros: [2, 4, 3, 3])])
    }
    expectError("conv2d", "(7, 7)") { try Convolution(hasBias: false).forward([Tensor(zeros: [7, 7]), x]) }
    expectError("conv2d", "fits") {
      try Convolution(hasBias: false).forward([x, Tensor(zeros: [1, 3, 6, 6])])
    }
    expectError("conv2d", "b of shape [2]") {
      try Convolution().forward([x, Tensor(zeros: [2, 3, 3, 3]), Tensor(zeros: [3])])
    }
    expectError("conv2d", "stride") {
      try Convolution(stride: 0).forward([x, Tensor(zeros: [1, 3, 3, 3]), Tensor(zeros: [1])])
    }
    expectError("conv2d", "3 inputs") { try Convolution().forward([x]) }
    expectError("conv2d backward", "delta") {
      try Convolution(hasBias: false).backward(
        [x, Tensor(zeros: [1, 3, 3, 3])], output: Tensor(zeros: [1, 1, 3, 3]),
        delta: Tensor(zeros: [1, 1, 2, 2]))
    }
  }

  @Test("pooling, padding, fully connected, softmax, losses, reshape")
  func others() {
    expectError("maxpool", "(1, 1, 1)") {
      try MaxPool(window: 2, stride: 2).forward([Tensor(zeros: [1, 1, 1])])
    }
    expectError("meanpool", "positive") {
      try MeanPool(window: 0, stride: 1).forward([Tensor(zeros: [1, 4, 4])])
    }
    expectError("pad", "negative") { try ZeroPad(-1).forward([Tensor(zeros: [1, 4, 4])]) }
    expectError("fc", "(3), (2, 4)") {
      try FullyConnected(hasBias: false).forward([Tensor(zeros: [3]), Tensor(zeros: [2, 4])])
    }
    expectError("softmax", "()") { try Softmax().forward([Tensor(scalar: 1)]) }
    expectError("cross_entropy", "(3), (4)") {
      try CrossEntropy().forward([Tensor(zeros: [3]), Tensor(zeros: [4])])
    }
    expectError("reshape", "(2, 3), (4, -1)") { try Reshape([4, -1]).forward([Tensor(zeros: [2, 3])]) }
    expectError("flatten", "vec()") { try Flatten(order: .vec).forward([Tensor(zeros: [1, 2, 3, 4])]) }
    expectError("tensor", "needs 6 values") { try Tensor(shape: [2, 3], values: [1]) }
    expectError("relu", "delta") {
      try Activation(.relu).backward(
        [Tensor(zeros: [2])], output: Tensor(zeros: [2]), delta: Tensor(zeros: [3]))
    }
  }
}
