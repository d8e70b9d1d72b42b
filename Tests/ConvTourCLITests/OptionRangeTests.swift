import Foundation
import Testing

/// Options accepted by the parser but out of their range (issue 22 §4, §5): refused up front in
/// one plain line with exit status 2 — never a trap, never silently ignored.
@Suite("Option ranges")
struct OptionRangeTests {
  static let explain = ["vgg16", "explain", "--size", "32"]

  @Test(
    "--top and --expand out of range are refused with their range",
    arguments: [
      (["fc6", "1", "--top=-1"], "--top -1 is outside 0 to 100,000"),
      (["fc6", "1", "--top", "9223372036854775807"], "--top 9223372036854775807 is outside 0 to 100,000"),
      (
        ["conv1_2", "1", "1", "1", "--expand=-9223372036854775808"],
        "is outside 1 to 64, the input channels of conv1_2"
      ),
      (["conv1_2", "1", "1", "1", "--expand", "0"], "--expand 0 is outside 1 to 64"),
      (["conv1_2", "1", "1", "1", "--expand", "65"], "--expand 65 is outside 1 to 64"),
      (["fc6", "1", "--expand", "2"], "fc6 is not a convolution"),
    ])
  func explainListing(_ arguments: [String], _ expected: String) throws {
    let result = try BadInputRun.run(Self.explain + arguments, seconds: 60)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(expected), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
  }

  @Test("bench tour refuses a width or height no terminal has")
  func benchTourSize() throws {
    let result = try BadInputRun.run(["bench", "tour", "--width", "9223372036854775807"])
    #expect(
      result.status == 2 && result.stderr.contains("the width must be from 20 to 1000"), "\(result.stderr)")
  }

  @Test("errors in plain words: label ranges, counts, and no suggestion that then fails")
  func plainWords() throws {
    let label = try BadInputRun.run(["vgg16", "run", "--size", "32", "--labels", "1000"])
    #expect(label.stderr == "convtour: label 1000 is not a class: the classes are 0 to 999\n")
    let count = try BadInputRun.run(["vgg16", "run", "--size", "32", "--batch", "2", "--labels", "1"])
    #expect(count.stderr.contains("--labels gives 1 class for 2 examples"), "\(count.stderr)")
    let negative = try BadInputRun.run(["vgg16", "train", "--steps", "1", "--lr", "-1", "--labels", "1"])
    #expect(negative.status == 2)
    #expect(negative.stderr.contains("--lr -1: a negative number is not allowed"), "\(negative.stderr)")
    #expect(!negative.stderr.contains("--lr=-1"), "suggests what then fails: \(negative.stderr)")
  }

  @Test(
    "table sizes whose tensors outgrow 2³¹ elements: one line naming the layer, never a trap",
    arguments: [
      (["--size", "8192"], "conv1_1's output [64, 8192, 8192] is too large"),
      (["--size", "6912"], "conv1_1's output [64, 6912, 6912] is too large"),
      (["--size", "4096", "--batch", "1000000"], "fc6's weights [4096, 8388608] are too large"),
      (["--size", "1024", "--batch", "1000000", "--wide"], ""),
    ])
  func tableSizes(_ arguments: [String], _ expected: String) throws {
    let result = try BadInputRun.run(["vgg16", "table"] + arguments)
    #expect(result.status == (expected.isEmpty ? 0 : 2), "\(result.stderr)")
    #expect(expected.isEmpty ? result.stderr.isEmpty : result.stderr.contains(expected), "\(result.stderr)")
    #expect(!result.stderr.contains("crashed"))
  }
}
