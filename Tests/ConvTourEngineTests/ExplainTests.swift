import ConvTourEngine
import Testing

/// The reference path reports the terms that made any output element.
@Suite("Element explanations")
struct ExplainTests {
  @Test("z(1,1,1) of a 3×3×3 filter is 27 products and the bias")
  func convolutionTerms() throws {
    var random = Random(41)
    let x = random.tensor([3, 5, 5])
    let W = random.tensor([6, 3, 3, 3])
    let b = random.tensor([6])
    let op = Convolution()
    let z = try op.forward([x, W, b])
    #expect(z.shape == [6, 3, 3])
    let e = try op.explain([x, W, b], at: [0, 0, 0])
    #expect(e.terms.count == 28)
    #expect(e.combination == .sum)
    // The first term is x(1,1,1)·W(1,1,1,1) in the documents' 1-based notation.
    #expect(e.terms[0].factors.map(\.input) == [0, 1])
    #expect(e.terms[0].factors[0].index == [0, 0, 0])
    #expect(e.terms[0].factors[1].index == [0, 0, 0, 0])
    #expect(e.terms[0].value == x[0, 0, 0] * W[0, 0, 0, 0])
    #expect(e.terms[27].factors.map(\.input) == [2])
    #expect(e.value == z[0, 0, 0])
  }

  @Test("padded products are marked as the zero border")
  func paddingTerms() throws {
    var random = Random(42)
    let op = Convolution(stride: 1, padding: 1)
    let inputs = [random.tensor([1, 2, 4, 4]), random.tensor([1, 2, 3, 3]), random.tensor([1])]
    let e = try op.explain(inputs, at: [0, 0, 0, 0])
    // The top-left window of the padded input: its first row and column are the border.
    let border = e.terms.filter { $0.factors.contains(where: \.isPadding) }
    #expect(border.count == 2 * 5)
    #expect(border.allSatisfy { $0.value == 0 })
    #expect(e.value == (try op.forward(inputs))[0, 0, 0, 0])
  }

  @Test("max-pool names its winner")
  func maxPoolWinner() throws {
    // The VGG post's window (0, 5, 1, −4): 5 wins.
    let x = try Tensor(shape: [1, 2, 2], values: [0, 5, 1, -4])
    let e = try MaxPool(window: 2, stride: 2).explain([x], at: [0, 0, 0])
    #expect(e.combination == .maximum(winner: 1))
    #expect(e.value == 5)
    let dx = try MaxPool(window: 2, stride: 2).backward(
      [x], output: Tensor(zeros: [1, 1, 1]), delta: try Tensor(shape: [1, 1, 1], values: [7]))[0]!
    #expect(dx.values == [0, 7, 0, 0])
  }

  /// For every op, the explanation's value is the forward output at that element.
  @Test("every op's explanation agrees with its forward output")
  func explanationsMatchForward() throws {
    var random = Random(43)
    let image = random.distinct([2, 2, 5, 6])
    let probabilities = random.distributions([2, 4])
    let labels = random.distributions([2, 4])
    let cases: [(any Operation, [Tensor])] = [
      (ZeroPad(1), [image]),
      (Convolution(stride: 2, padding: 1), [image, random.tensor([3, 2, 3, 2]), random.tensor([3])]),
      (Activation(.relu), [image]), (Activation(.sigmoid), [image]), (Activation(.tanh), [image]),
      (Activation(.step), [image]),
      (MaxPool(window: 2, stride: 2), [image]), (MeanPool(window: 3, stride: 1), [image]),
      (Flatten(order: .vec, batched: true), [image]), (Flatten(), [image]), (Reshape([-1, 5]), [image]),
      (FullyConnected(), [random.tensor([2, 4]), random.tensor([3, 4]), random.tensor([3])]),
      (Softmax(), [random.tensor([2, 4])]),
      (CrossEntropy(), [probabilities, labels]), (SoftmaxCrossEntropy(), [random.tensor([2, 4]), labels]),
      (SquaredError(.plain), [probabilities, labels]), (SquaredError(.half), [probabilities, labels]),
      (Elementwise(.divide), [probabilities, labels]),
      (Elementwise(.multiply), [probabilities, Tensor(scalar: 3)]),
      (Scale(2), [image]), (MatMul(), [probabilities, random.tensor([4, 3])]),
      (MatMul(), [labels, random.tensor([4])]),
      (Transpose(), [labels]), (Sum(), [image]),
    ]
    for (op, inputs) in cases {
      let y = try op.forward(inputs)
      for offset in Set([0, y.count / 2, y.count - 1]) {
        let index = Shape.index(ofOffset: offset, in: y.shape)
        let e = try op.explain(inputs, at: index)
        #expect(
          abs(e.value - y.values[offset]) <= 1e-12 * max(1, abs(y.values[offset])), "\(op.name) at \(index)")
      }
      #expect(throws: EngineError.self, "\(op.name) outside its output") {
        try op.explain(inputs, at: y.shape.isEmpty ? [0] : y.shape)
      }
    }
  }

  @Test("Jacobians and tangents come from the backward pass")
  func jacobianAndTangent() throws {
    let a = try Softmax().forward([Tensor(vector: [3, 0, 1])])
    let J = try Jacobian.matrix(Softmax(), inputs: [Tensor(vector: [3, 0, 1])], input: 0)!
    expectClose(J, try Softmax.jacobian(a), relative: 1e-15, "softmax Jacobian")
    // ReLU's Jacobian is diag(1(z > 0)).
    let R = try Jacobian.matrix(Activation(.relu), inputs: [Tensor(vector: [2, -1, 3])], input: 0)!
    #expect(R.values == [1, 0, 0, 0, 0, 0, 0, 0, 1])
    // A dual number through z = W·a: moving W(1,2) by Δ moves z(1) by a(2)·Δ.
    let (aIn, W) = (Tensor(vector: [3, 5]), try Tensor(rows: [[1, 2], [3, 4]]))
    var dW = Tensor(zeros: [2, 2])
    dW[0, 1] = 1
    let dz = try Jacobian.tangent(FullyConnected(hasBias: false), inputs: [aIn, W], tangents: [nil, dW])
    #expect(dz.values == [5, 0])
    // Labels are constants: no Jacobian.
    #expect(try Jacobian.matrix(CrossEntropy(), inputs: [a, a], input: 1) == nil)
  }
}
