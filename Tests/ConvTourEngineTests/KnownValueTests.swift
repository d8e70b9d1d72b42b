import ConvTourEngine
import Foundation
import Testing

/// Small cases with values worked out by hand from the documents' definitions.
@Suite("Known values")
struct KnownValueTests {
  @Test("softmax of (3, 0, 1) is about (0.84, 0.04, 0.11), and shifting z changes nothing")
  func softmax() throws {
    let a = try Softmax().forward([Tensor(vector: [3, 0, 1])])
    #expect(a.values.map { ($0 * 100).rounded() / 100 } == [0.84, 0.04, 0.11])
    let shifted = try Softmax().forward([Tensor(vector: [5, 2, 3])])
    expectClose(shifted, a, relative: 1e-15, "shift invariance")
    let J = try Softmax.jacobian(a)
    #expect(abs(J[0, 0] - a[0] * (1 - a[0])) < 1e-15)
    #expect(abs(J[0, 1] + a[0] * a[1]) < 1e-15)
  }

  @Test("zero padding puts p borders of zeros around x")
  func padding() throws {
    let x = try Tensor(shape: [1, 2, 2], values: [1, 2, 3, 4])
    let s = try ZeroPad(1).forward([x])
    #expect(s.shape == [1, 4, 4])
    #expect(s.values == [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0])
  }

  @Test("a 1-D convolution is the case of height 1")
  func oneDimensional() throws {
    // x = (1, 2, 3, 4, 5), w = (1, 0, −1): z_i = x_i − x_(i+2).
    let x = try Tensor(shape: [1, 1, 5], values: [1, 2, 3, 4, 5])
    let w = try Tensor(shape: [1, 1, 1, 3], values: [1, 0, -1])
    let z = try Convolution(hasBias: false).forward([x, w])
    #expect(z.shape == [1, 1, 3])
    #expect(z.values == [-2, -2, -2])
    let strided = try Convolution(stride: Extent2D(1, 2), padding: Extent2D(0, 1), hasBias: false).forward([
      x, w,
    ])
    #expect(strided.values == [-2, -2, 4])  // windows (0,1,2), (2,3,4), (4,5,0)
  }

  @Test("flatten orders: row-major (PyTorch) and the VGG post's vec()")
  func flattenOrders() throws {
    // x(c, i, j) = 100c + 10i + j for C = 2, H = 2, W = 3.
    var x = Tensor(zeros: [2, 2, 3])
    for c in 0..<2 { for i in 0..<2 { for j in 0..<3 { x[c, i, j] = Double(100 * c + 10 * i + j) } } }
    #expect(try Flatten().forward([x]).values == [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112])
    #expect(
      try Flatten(order: .vec).forward([x]).values == [0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112])
  }

  @Test("squared error in both forms, and cross-entropy")
  func losses() throws {
    // The textbook's 11.2.2: y = 0, o = −4 → (y − o)² = 16.
    #expect(try SquaredError(.plain).forward([Tensor(scalar: -4), Tensor(scalar: 0)]).values == [16])
    #expect(try SquaredError(.half).forward([Tensor(scalar: -4), Tensor(scalar: 0)]).values == [8])
    let L = try CrossEntropy().forward([Tensor(vector: [0.25, 0.75]), Tensor(vector: [0, 1])])
    #expect(abs(L.values[0] + Foundation.log(0.75)) < 1e-15)
    // The batch mean J = (1/m)·Σ L.
    let batch = try CrossEntropy().forward([
      Tensor(rows: [[0.25, 0.75], [0.5, 0.5]]), Tensor(rows: [[0, 1], [1, 0]]),
    ])
    #expect(abs(batch.values[0] - (-Foundation.log(0.75) - Foundation.log(0.5)) / 2) < 1e-15)
  }

  @Test("activations at the textbook's neuron inputs")
  func activations() throws {
    let x = Tensor(vector: [-2, -1, 0, 1, 2])
    #expect(try Activation(.relu).forward([x]).values == [0, 0, 0, 1, 2])
    #expect(try Activation(.sigmoid).forward([Tensor(scalar: 0)]).values == [0.5])
    // tanh(z) = 2σ(2z) − 1.
    let t = try Activation(.tanh).forward([x])
    let s = try Activation(.sigmoid).forward([x.map { 2 * $0 }]).map { 2 * $0 - 1 }
    expectClose(t, s, relative: 1e-15, "tanh vs sigmoid")
  }

  @Test("max-pool of 6×6×6 with f = 2, s = 2 is 3×3×6")
  func poolShape() throws {
    #expect(try MaxPool(window: 2, stride: 2).outputShape([[6, 6, 6]]) == [6, 3, 3])
    #expect(try MeanPool(window: 2, stride: 2).outputShape([[2, 6, 6, 6]]) == [2, 6, 3, 3])
  }
}
