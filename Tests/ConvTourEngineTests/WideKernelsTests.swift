import Foundation
import Testing

@testable import ConvTourEngine

/// The sixteen-lane kernels (AVX-512) against the eight-lane ones: the same bits, on every shape
/// the small-filter path takes — rows of 8 to 15 pixels (two rows a vector), of 16 and more,
/// odd numbers of rows and of filters, padding.
@Suite("Sixteen-lane kernels")
struct WideKernelsTests {
  /// Whether this processor can run them (else the test has nothing to compare).
  static let processorHasAVX512: Bool = {
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return false }
    let flags = Set(line.split(separator: " ").map(String.init))
    return ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
  }()

  // (channels, filters, kernel, padding, height, width): outputs 8…15 wide (8, 9 and 10 with
  // odd and even row counts), 16, 28 and 62 wide.
  static let shapes: [(Int, Int, Int, Int, Int, Int)] = [
    (3, 3, 5, 0, 32, 32), (3, 16, 5, 0, 14, 14), (6, 16, 5, 0, 14, 14), (1, 6, 5, 2, 28, 28),
    (16, 3, 5, 4, 10, 10), (10, 10, 3, 0, 64, 64), (10, 10, 3, 0, 13, 13), (4, 5, 3, 1, 9, 11),
    (2, 7, 3, 1, 17, 16), (3, 5, 3, 0, 11, 10), (2, 6, 3, 1, 7, 9), (2, 9, 3, 1, 5, 8), (1, 3, 3, 0, 6, 12),
    (2, 6, 3, 0, 8, 12), (2, 5, 3, 1, 8, 8),
  ]

  @Test("z and ∂J/∂W bit for bit, 16 lanes against 8", .enabled(if: processorHasAVX512))
  func sameBits() throws {
    for (c, k, f, p, h, w) in Self.shapes {
      var generator = SeededRandom(seed: UInt64(c * 1000 + k * 10 + h))
      let x = Tensor32(Tensor.random([3, c, h, w], using: &generator))
      let W = Tensor32(Tensor.random([k, c, f, f], using: &generator))
      let conv = FastConvolution(stride: 1, padding: p)
      let g = try conv.geometry(x.shape, W.shape, nil)
      #expect(conv.computesDirectly(g), "\(c)→\(k) \(f)×\(f) on \(h)×\(w) goes the direct way")
      let delta = Tensor32(Tensor.random(g.z.dims, using: &generator))
      let (narrowZ, narrowW) = try FastPath.withWideVectors(false) {
        (try conv.forward(x: x, W: W, b: nil), conv.directWeightGradient(x: x, delta: delta, g))
      }
      let (wideZ, wideW) = try FastPath.withWideVectors(true) {
        (try conv.forward(x: x, W: W, b: nil), conv.directWeightGradient(x: x, delta: delta, g))
      }
      let shape = "\(c)→\(k), \(f)×\(f), pad \(p), \(h)×\(w)"
      func differing(_ a: Tensor32, _ b: Tensor32) -> Int {
        zip(a.values, b.values).filter { $0.bitPattern != $1.bitPattern }.count
      }
      #expect(wideZ.shape == narrowZ.shape && differing(wideZ, narrowZ) == 0, "z, \(shape)")
      #expect(wideW.shape == narrowW.shape && differing(wideW, narrowW) == 0, "∂J/∂W, \(shape)")
    }
  }
}
