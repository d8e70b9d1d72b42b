import ConvTourEngine
import Testing

/// The direct algorithm's ties: identical input windows give bitwise-identical outputs wherever
/// they are (BLAS edge kernels, tiles, workers, batch position), so max-pool ties go to the first
/// element in row-major order, as in PyTorch and on the reference path.
@Suite("Exact ties on the direct path")
struct ExactTiesTests {
  /// An image of flat regions: per channel, a background value, a square of another value and a
  /// stripe of a third; every example the same picture shifted, so equal windows sit at many
  /// places, near tile and block edges and in different examples.
  static func flatImage(_ shape: [Int], seed: UInt64) -> Tensor32 {
    var random = SeededRandom(seed: seed)
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    var values = [Float](repeating: 0, count: n * c * h * w)
    for channel in 0..<c {
      let levels = (0..<3).map { _ in Float(Double(random.next() % 2001) / 1000 - 1) }
      for e in 0..<n {
        for i in 0..<h {
          for j in 0..<w {
            let square = (h / 4..<h / 2).contains(i) && (w / 4 + e..<w / 2 + e).contains(j)
            let stripe = (j + e) % 11 == 3
            values[((e * c + channel) * h + i) * w + j] = square ? levels[1] : stripe ? levels[2] : levels[0]
          }
        }
      }
    }
    return try! Tensor32(shape: shape, values: values)
  }

  /// Every output whose window (all channels, zero padding) equals an earlier pixel's, in any
  /// example, has bitwise that pixel's output, filter by filter.
  static func expectTiesExact(
    x: Tensor32, z: Tensor32, filterSize f: Int, padding: Int, _ what: String
  ) {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let k = z.shape[1]
    var seen: [[UInt32]: (example: Int, pixel: Int)] = [:]
    var repeats = 0
    var broken = 0
    for e in 0..<n {
      for i in 0..<h {
        for j in 0..<w {
          var window: [UInt32] = []
          for channel in 0..<c {
            for l in 0..<f {
              for m in 0..<f {
                let (r, q) = (i + l - padding, j + m - padding)
                let inside = r >= 0 && r < h && q >= 0 && q < w
                window.append(inside ? x.values[((e * c + channel) * h + r) * w + q].bitPattern : 0)
              }
            }
          }
          guard let earlier = seen[window] else {
            seen[window] = (e, i * w + j)
            continue
          }
          repeats += 1
          for filter in 0..<k {
            let a = z.values[(e * k + filter) * h * w + i * w + j]
            let b = z.values[(earlier.example * k + filter) * h * w + earlier.pixel]
            if a.bitPattern != b.bitPattern { broken += 1 }
          }
        }
      }
    }
    #expect(repeats > n * h * w / 2, "\(what): the image should repeat most windows, repeats \(repeats)")
    #expect(broken == 0, "\(what): \(broken) outputs differ from an identical window's")
  }

  @Test(
    "identical windows, identical outputs: tiles, workers, batch positions, BLAS kernels",
    arguments: [1, 2, 3])
  func identicalWindows(workers: Int) throws {
    var random = Random(41)
    let x = Self.flatImage([3, 32, 40, 44], seed: 7)
    let W = Tensor32(random.tensor([48, 32, 3, 3]))
    let b = Tensor32(random.tensor([48]))
    // Large tiles (one per image), small tiles (many, with a short last one), and small images
    // (one col, workers splitting the filters).
    for scratch in [1 << 20, 288 * 100, 288 * 16] {
      var conv = FastConvolution(stride: 1, padding: 1)
      conv.scratchFloats = scratch
      let z = try FastPath.withWorkers(workers) { try conv.forward(x: x, W: W, b: b, relu: false) }
      Self.expectTiesExact(x: x, z: z, filterSize: 3, padding: 1, "\(workers) workers, scratch \(scratch)")
    }
  }

  /// A shrunk VGG-16 wide enough for the BLAS's main kernels, every bias non-zero.
  static func network(_ algorithm: ConvolutionAlgorithm) throws -> VGG16Network {
    let a = try VGG16Architecture(size: 32, widths: [16, 32, 32, 48, 48], hidden: 24, classes: 5)
    let parameters = VGG16Parameters.random(a, seed: 3)
    var tensors = parameters.tensors
    var random = Random(17)
    // In name order: the same biases for every network made here.
    for (name, t) in tensors.sorted(by: { $0.key < $1.key }) where name.hasSuffix("bias") {
      tensors[name] = Tensor32(random.tensor(t.shape, -0.1...0.1))
    }
    for (name, t) in tensors where name.hasPrefix("classifier") && name.hasSuffix("weight") {
      tensors[name] = try Tensor32(shape: t.shape, values: t.values.map { $0 * 30 })
    }
    return VGG16Network(
      parameters: try VGG16Parameters(architecture: a, tensors: tensors), algorithm: algorithm)
  }

  /// A white image with a black square (and a second example with it shifted).
  static func whiteWithBlackSquare() -> Tensor32 {
    var values = [Float](repeating: 1, count: 2 * 3 * 32 * 32)
    for e in 0..<2 {
      for c in 0..<3 {
        for i in 8..<20 {
          for j in (9 + e)..<(21 + e) { values[((e * 3 + c) * 32 + i) * 32 + j] = -1 }
        }
      }
    }
    return try! Tensor32(shape: [2, 3, 32, 32], values: values)
  }

  @Test("a flat image's input gradient: direct fast path = reference path, at 1, 2 and 3 workers")
  func flatImageGradient() throws {
    let network = try Self.network(.direct)
    let x = Self.whiteWithBlackSquare()
    let labels = [1, 3]
    let reference = try ReferenceVGG16(network.parameters).gradients(Tensor(x), labels: labels)
    for workers in [1, 2, 3] {
      let fast = try FastPath.withWorkers(workers) { try network.run(x, labels: labels, backward: true) }
      expectClose(Tensor(fast.inputGradient!), reference.input, relative: 1e-4, "∂J/∂x, \(workers) workers")
      for name in ["features.0.weight", "features.10.weight", "classifier.0.weight"] {
        expectClose(
          Tensor(fast.gradients[name]!), reference.parameters[name]!, relative: 1e-4, "∂J/∂\(name)")
      }
    }
  }

  @Test("the algorithm is chosen in one place: direct is im2col everywhere, Winograd where it pays")
  func algorithmChoice() {
    let large = [1, 64, 56, 56]
    #expect(ConvolutionAlgorithm.direct.kernel(input: large, outputChannels: 64) is FastConvolution)
    #expect(ConvolutionAlgorithm.winograd.kernel(input: large, outputChannels: 64) is FastWinograd)
    #expect(
      ConvolutionAlgorithm.winograd.kernel(input: [1, 3, 56, 56], outputChannels: 64) is FastConvolution)
    #expect(ConvolutionAlgorithm(rawValue: "direct") == .direct)
    #expect(ConvolutionAlgorithm(rawValue: "fft") == nil)
  }

  @Test("comparing the algorithms: nothing differs against itself; Winograd differs where it runs")
  func comparison() throws {
    let x = Self.whiteWithBlackSquare()
    let runs = try [ConvolutionAlgorithm.direct, .direct, .winograd].map {
      try Self.network($0).run(x, labels: [1, 3], backward: true, keepActivations: true)
    }
    let architecture = try Self.network(.direct).architecture
    let same = try VGG16Comparison(runs[0], runs[1], architecture: architecture)
    #expect(same.rows.count == 21)
    #expect(same.rows.allSatisfy { $0.activation == 0 && ($0.weightGradient ?? 0) == 0 })
    #expect(same.rows.allSatisfy { ($0.reluFlips ?? 0) == 0 && ($0.poolFlips ?? 0) == 0 })
    #expect(same.divergence == nil)
    let winograd = try VGG16Comparison(runs[0], runs[2], architecture: architecture)
    // conv1_1 (3 channels in) stays im2col; conv1_2 on is Winograd's.
    #expect(winograd.rows[0].activation == 0)
    #expect(winograd.rows[1].activation > 1e-8)
    #expect(winograd.rows.map(\.module).prefix(3) == ["features.1", "features.3", "features.4"])
  }
}
