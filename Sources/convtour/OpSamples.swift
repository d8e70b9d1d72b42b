import ConvTourEngine

/// One instance of every engine op with inputs of a fitting shape, for `convtour ops`.
/// Inputs are drawn away from the kinks of ReLU and max, so finite differences are fair.
struct OpSamples {
  var op: any Operation
  var inputs: (inout SeededRandom) -> [Tensor]

  static var all: [OpSamples] {
    [
      OpSamples(op: ZeroPad(1)) { r in [.random([1, 2, 3, 3], using: &r)] },
      OpSamples(op: Convolution(stride: 2, padding: 1)) { r in
        [.random([1, 3, 5, 5], using: &r), .random([6, 3, 3, 3], using: &r), .random([6], using: &r)]
      },
      OpSamples(op: Activation(.relu)) { r in [awayFromZero([2, 4, 4], &r)] },
      OpSamples(op: Activation(.sigmoid)) { r in [.random([2, 4, 4], using: &r)] },
      OpSamples(op: Activation(.tanh)) { r in [.random([2, 4, 4], using: &r)] },
      OpSamples(op: Activation(.identity)) { r in [.random([2, 4, 4], using: &r)] },
      OpSamples(op: Activation(.step)) { r in [.random([2, 4, 4], using: &r)] },
      OpSamples(op: MaxPool(window: 2, stride: 2)) { r in [distinct([1, 6, 6, 6], &r)] },
      OpSamples(op: MeanPool(window: 2, stride: 2)) { r in [.random([1, 6, 6, 6], using: &r)] },
      OpSamples(op: Flatten(order: .vec)) { r in [.random([3, 4, 4], using: &r)] },
      OpSamples(op: Reshape([-1, 8])) { r in [.random([2, 4, 4], using: &r)] },
      OpSamples(op: FullyConnected()) { r in
        [.random([2, 5], using: &r), .random([3, 5], using: &r), .random([3], using: &r)]
      },
      OpSamples(op: Softmax()) { r in [.random([2, 5], in: -2...2, using: &r)] },
      OpSamples(op: CrossEntropy()) { r in [distributions([2, 5], &r), distributions([2, 5], &r)] },
      OpSamples(op: SoftmaxCrossEntropy()) { r in [.random([2, 5], using: &r), distributions([2, 5], &r)] },
      OpSamples(op: SquaredError(.plain)) { r in [.random([2, 3], using: &r), .random([2, 3], using: &r)] },
      OpSamples(op: SquaredError(.half)) { r in [.random([2, 3], using: &r), .random([2, 3], using: &r)] },
      OpSamples(op: Elementwise(.add)) { r in [.random([2, 3], using: &r), .random([2, 3], using: &r)] },
      OpSamples(op: Elementwise(.subtract)) { r in [.random([2, 3], using: &r), .random([], using: &r)] },
      OpSamples(op: Elementwise(.multiply)) { r in [.random([2, 3], using: &r), .random([2, 3], using: &r)] },
      OpSamples(op: Elementwise(.divide)) { r in [.random([2, 3], using: &r), awayFromZero([2, 3], &r)] },
      OpSamples(op: Scale(-0.5)) { r in [.random([2, 3], using: &r)] },
      OpSamples(op: MatMul()) { r in [.random([2, 3], using: &r), .random([3, 4], using: &r)] },
      OpSamples(op: Transpose()) { r in [.random([2, 3], using: &r)] },
      OpSamples(op: Sum()) { r in [.random([2, 3], using: &r)] },
      OpSamples(op: Accuracy()) { r in [.random([4, 3], using: &r), Tensor(vector: [0, 2, 1, 1])] },
      OpSamples(op: SGDUpdate(learningRate: 0.01)) { r in
        [.random([2, 3], using: &r), .random([2, 3], using: &r)]
      },
    ]
  }

  /// The sample of every op, by the name the lesson format gives it.
  static var byName: [String: OpSamples] {
    Dictionary(all.map { ($0.op.name, $0) }) { first, _ in first }
  }

  /// Values in ±[0.1, 1].
  static func awayFromZero(_ shape: [Int], _ r: inout SeededRandom) -> Tensor {
    Tensor.random(shape, in: 0.1...1, using: &r).map { r.next() & 1 == 0 ? $0 : -$0 }
  }

  /// Distinct values 0.01 apart in random order, so no window holds a tie.
  static func distinct(_ shape: [Int], _ r: inout SeededRandom) -> Tensor {
    var values = (0..<Shape.count(shape)).map { Double($0) * 0.01 - 1 }
    values.shuffle(using: &r)
    return (try? Tensor(shape: shape, values: values)) ?? Tensor(zeros: shape)
  }

  /// Rows of positive numbers summing to 1.
  static func distributions(_ shape: [Int], _ r: inout SeededRandom) -> Tensor {
    Tensor.randomDistributions(shape, using: &r)
  }
}
