import ConvTourEngine
import Foundation
import Testing

@testable import convtour

/// `vgg16 compare`'s line under the table agrees with the table (issue 22 §4, §5): every flip it
/// counts is named, and NaN is reported as NaN, not as rounding.
@Suite("vgg16 compare: why the gradients differ")
struct VGG16CompareWhyTests {
  /// Direct against direct on a shrunk VGG: no difference, no flip.
  static func comparison() throws -> VGG16Comparison {
    let architecture = try VGG16Architecture(size: 32, widths: [8, 8, 8, 8, 8], hidden: 8, classes: 4)
    var random = SeededRandom(seed: 5)
    let x = Tensor32(Tensor.random([1, 3, 32, 32], using: &random))
    let network = VGG16Network(parameters: VGG16Parameters.random(architecture, seed: 1))
    let runs = try (0..<2).map { _ in try network.run(x, labels: [1], backward: true, keepActivations: true) }
    return try VGG16Comparison(runs[0], runs[1], architecture: architecture)
  }

  @Test("six flips over three layers: the line counts six and names each layer with its count")
  func everyFlipNamed() throws {
    var comparison = try Self.comparison()
    let indices = ["conv4_3", "pool4", "conv5_2"].map { name in
      comparison.rows.firstIndex { $0.layer == name }!
    }
    comparison.rows[indices[0]].reluFlips = 1
    comparison.rows[indices[1]].poolFlips = 2
    comparison.rows[indices[2]].reluFlips = 3
    let line = VGG16CompareCommand.why(comparison)
    #expect(line.hasPrefix("Why: 6 decisions flipped (conv4_3 1, pool4 2, conv5_2 3); "), "\(line)")
    #expect(line.contains("at and below conv5_2, the highest,"), "\(line)")
  }

  @Test("NaN differences are reported as not measured, not as rounding alone")
  func notANumber() throws {
    var comparison = try Self.comparison()
    #expect(VGG16CompareCommand.why(comparison).hasPrefix("No ReLU or max-pool decision flipped"))
    comparison.rows[2].activation = .nan
    let line = VGG16CompareCommand.why(comparison)
    #expect(
      line.hasPrefix("Not measured from \(comparison.rows[2].layer) on: the values there are NaN"), "\(line)")
    #expect(!line.contains("rounding alone"))
  }

  @Test("on an all-NaN input the command says NaN, with status 0")
  func nanInput() throws {
    try BadInputRun.withFolder { folder in
      let path = folder + "/nan.npy"
      var data = BadInputRun.npyHeader([1, 3, 32, 32])
      for _ in 0..<(3 * 32 * 32) { data.append(contentsOf: [0x00, 0x00, 0xC0, 0x7F]) }
      try data.write(to: URL(fileURLWithPath: path))
      let result = try BadInputRun.run(["vgg16", "compare", "--size", "32", "--input", path], seconds: 120)
      #expect(result.status == 0, "\(result.stderr)")
      let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
      #expect(last.hasPrefix("Not measured from conv1_1 on"), "\(last)")
    }
  }
}
