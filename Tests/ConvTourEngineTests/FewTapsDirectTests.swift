import Testing

@testable import ConvTourEngine

/// Convolutions of few taps (C·f_h·f_w ≤ `FastConvolution.fewTaps`, up to 64 filters, images of
/// any size: VGG-16's conv1_1) computed straight from x (`computesForwardDirectly`): against the
/// reference, the same bits whatever the worker count (batch 1 split into filter groups), with
/// 8 and 16 lanes, with ReLU's close calls decided; and their ∂L/∂W in blocks of rows
/// (`blockedWeightGradient`), the same way.
@Suite("The forward of few taps straight from x", .serialized)
struct FewTapsDirectTests {
  // (x, W, padding): 64 and 40 filters of 3 channels on an image larger than one tile of
  // scratch (∂L/∂W in 14 blocks of rows, the last short), 22 filters of 5×5 on one channel (25 taps), an odd filter count at batch 3 on rows of 9 outputs.
  static let cases: [(x: [Int], W: [Int], padding: Int)] = [
    ([1, 3, 133, 90], [64, 3, 3, 3], 1), ([3, 3, 11, 17], [40, 3, 3, 3], 1),
    ([2, 1, 9, 40], [22, 1, 5, 5], 2),
    ([3, 2, 12, 11], [37, 2, 3, 3], 0),
  ]

  static func differing(_ a: Tensor32, _ b: Tensor32) -> Int {
    zip(a.values, b.values).filter { $0.bitPattern != $1.bitPattern }.count
  }

  /// body(run) on 1, 2 and 3 workers with 8 lanes, and with 16 where the processor has them:
  /// every run's tensors bit for bit as the first run's.
  static func everyRun(_ what: String, _ body: (String) throws -> [Tensor32]) throws {
    var first: [Tensor32]?
    for wide in [false, true] where !wide || WideKernelsTests.processorHasAVX512 {
      for workers in [1, 2, 3] {
        let run = "\(what), \(workers) workers, \(wide ? 16 : 8) lanes"
        let tensors = try FastPath.withWideVectors(wide) {
          try FastPath.withWorkers(workers) { try body(run) }
        }
        if let first {
          #expect(zip(tensors, first).allSatisfy { differing($0, $1) == 0 }, "bits of \(run)")
        } else {
          first = tensors
        }
      }
    }
  }

  @Test("z against the reference, the same bits on 1, 2 and 3 workers and with 8 or 16 lanes")
  func sameBits() throws {
    var random = Random(71)
    for (xShape, wShape, padding) in Self.cases {
      let what = "x \(xShape) W \(wShape) padding \(padding)"
      let (x, W, b) = (random.tensor(xShape), random.tensor(wShape), random.tensor([wShape[0]]))
      let reference = try Convolution(stride: 1, padding: padding).forward([x, W, b])
      var conv = FastConvolution(stride: 1, padding: padding)
      (conv.decidesCloseCalls, conv.scratchFloats) = (true, 2048)
      let g = try conv.geometry(xShape, wShape, [wShape[0]])
      #expect(conv.computesForwardDirectly(g), "\(what) goes straight from x")
      #expect(!conv.computesDirectly(g) || wShape[0] <= 16, "\(what): ∂W keeps im2col")
      try Self.everyRun(what) { run in
        let z = try conv.forward(x: Tensor32(x), W: Tensor32(W), b: Tensor32(b))
        let relu = try conv.forward(x: Tensor32(x), W: Tensor32(W), b: Tensor32(b), relu: true)
        expectClose(Tensor(z), reference, relative: FastPathTests.tolerance, "z of \(run)")
        expectClose(
          Tensor(relu), try Activation(.relu).forward([reference]), relative: FastPathTests.tolerance,
          "relu(z) of \(run)")
        return [z, relu]
      }
    }
  }

  @Test("∂L/∂W in blocks of rows against the reference, the same bits on 1, 2 and 3 workers, 8 or 16 lanes")
  func weightGradient() throws {
    var random = Random(73)
    for (xShape, wShape, padding) in Self.cases {
      let what = "x \(xShape) W \(wShape) padding \(padding)"
      let (x, W, b) = (random.tensor(xShape), random.tensor(wShape), random.tensor([wShape[0]]))
      let reference = Convolution(stride: 1, padding: padding)
      let z = try reference.forward([x, W, b])
      let delta = random.tensor(z.shape)
      let expected = try reference.backward([x, W, b], output: z, delta: delta)
      var conv = FastConvolution(stride: 1, padding: padding)
      conv.scratchFloats = 2048
      let g = try conv.geometry(xShape, wShape, [wShape[0]])
      try Self.everyRun(what) { run in
        let (dW, db) = conv.weightGradient(x: Tensor32(x), W: Tensor32(W), delta: Tensor32(delta), g)
        expectClose(Tensor(dW), expected[1]!, relative: FastPathTests.tolerance, "∂L/∂W of \(run)")
        expectClose(Tensor(db), expected[2]!, relative: FastPathTests.tolerance, "∂L/∂b of \(run)")
        return [dW]
      }
    }
  }

  @Test("many taps or many filters keep im2col")
  func selection() throws {
    let conv = FastConvolution(stride: 1, padding: 1)
    #expect(try conv.computesForwardDirectly(conv.geometry([1, 3, 224, 224], [64, 3, 3, 3], nil)))
    #expect(try !conv.computesForwardDirectly(conv.geometry([1, 64, 224, 224], [64, 64, 3, 3], nil)))
    #expect(try !conv.computesForwardDirectly(conv.geometry([1, 3, 224, 224], [96, 3, 3, 3], nil)))
    #expect(try !conv.computesForwardDirectly(conv.geometry([1, 4, 224, 224], [64, 4, 3, 3], nil)))
    #expect(
      try !FastConvolution(stride: 2, padding: 1).computesForwardDirectly(
        conv.geometry([1, 3, 64, 64], [8, 3, 3, 3], nil)))
  }
}
