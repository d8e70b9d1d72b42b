import Foundation
import Testing

/// `convtour net …` on networks other than VGG-16: the built-in ones by name, and network files.
@Suite("convtour net")
struct NetCommandTests {
  static let networks = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Lessons/networks")

  @Test(
    "net table: each built-in network's layers and parameter total",
    arguments: [
      ("tiny-vgg", "19,920", "max_pool_2"), ("textbook-convnet", "50,774", "5×5 / 1 / 0"),
      ("lenet5", "61,706", "fc3"),
      ("vgg11", "132,863,336", "conv5_2"), ("vgg19", "143,667,240", "conv5_4"),
    ])
  func table(name: String, parameters: String, row: String) throws {
    let result = try Binary.run(["net", "table", "--network", name])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Parameters: \(parameters) "), "\(result.stdout)")
    #expect(result.stdout.contains(row))
  }

  @Test("net's subcommands say they take any network: no summary speaks of VGG-16 alone")
  func helpWording() throws {
    /// The words of a help text, one space between them, so that wrapping does not matter.
    func words(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    let group = try Binary.run(["net", "--help"])
    #expect(group.status == 0)
    let listed = words(String(group.stdout.split(separator: "SUBCOMMANDS:").last ?? ""))
    // Every VGG-16 the list names is the default of --network.
    #expect(
      listed.components(separatedBy: "VGG-16").count - 1
        == listed.components(separatedBy: "VGG-16 unless --network").count - 1, "\(listed)")
    for command in ["table", "run", "compare", "train", "explain", "init", "bench"] {
      let help = try Binary.run(["net", command, "--help"])
      #expect(help.status == 0)
      let overview = words(String(help.stdout.split(separator: "USAGE:").first ?? ""))
      #expect(!overview.contains("vgg16 table") && !overview.contains("vgg16 run"), "\(command): \(overview)")
      #expect(
        overview.components(separatedBy: "VGG-16").count
          == overview.components(separatedBy: "VGG-16 unless --network").count
          + overview.components(separatedBy: "VGG-16's:").count - 1, "\(command): \(overview)")
    }
  }

  @Test("net run --backward on the textbook's ConvNet: its own loss, the largest outputs, every gradient")
  func runTextbook() throws {
    let result = try Binary.run(["net", "run", "--network", "textbook-convnet", "--backward", "--batch", "2"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("loss J = Σ ‖z − 1‖² = "))
    #expect(result.stdout.contains("the 5 largest outputs z"))
    for layer in ["conv1", "conv2", "fc1", "fc2"] { #expect(result.stdout.contains("  \(layer) ")) }
  }

  @Test("a network file runs, and its conv element is explained with its own 7×7 stride-2 window")
  func networkFile() throws {
    let file = Self.networks.appendingPathComponent("strided.net").path
    let run = try Binary.run(["net", "run", "--network", file, "--backward", "--labels", "2"])
    #expect(run.status == 0, "\(run.stderr)")
    let explain = try Binary.run([
      "net", "explain", "--network", file, "conv1", "2", "3", "4", "--backward", "--labels", "2",
    ])
    #expect(explain.status == 0, "\(explain.stderr)")
    // One convention (issue 22 §1): s is x padded by 3 and counted from 1, so the window of
    // output row i starts at row 2(i−1)+1 of s; row 3 of x is row 6 of s.
    #expect(explain.stdout.contains("s[c, 2(i−1)+l, 2(j−1)+m]·W[k, c, l, m]"), "\(explain.stdout)")
    #expect(explain.stdout.contains("s[c, i+3, j+3] = input[c, i, j]"))
    #expect(explain.stdout.contains("3 input channels × 49 products"))
    #expect(explain.stdout.contains("through pool1"))
  }

  @Test("--class-names names the top-5 of a network; a file of the wrong length is one line, exit 2")
  func classNames() throws {
    let names = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(UUID()).txt")
    let lines = (0..<10).map { "digit \($0)" }.joined(separator: "\n")
    try lines.write(to: names, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: names) }
    let run = try Binary.run(["net", "run", "--network", "lenet5", "--class-names", names.path])
    #expect(run.status == 0, "\(run.stderr)")
    let top = run.stdout.split(separator: "\n").filter { $0.contains("digit ") }
    #expect(top.count == 5, "\(run.stdout)")
    // Each row is `probability  k  name`: the name is the k-th line of the file.
    for row in top {
      let fields = row.split(separator: " ", omittingEmptySubsequences: true)
      #expect(fields.count == 4 && fields[1] == fields[3], "\(row)")
    }
    let short = FileManager.default.temporaryDirectory.appendingPathComponent("short-\(UUID()).txt")
    try "a\nb\n".write(to: short, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: short) }
    let bad = try Binary.run(["net", "run", "--network", "lenet5", "--class-names", short.path])
    #expect(bad.status == 2)
    #expect(
      bad.stderr == "convtour: --class-names \(short.path): 2 class names; the network has 10 classes "
        + "(one name per line, class 0 first)\n", "\(bad.stderr)")
  }

  @Test("an unknown network, a size that does not apply and a broken network file: one line, exit 2")
  func errors() throws {
    let unknown = try Binary.run(["net", "table", "--network", "resnet50"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("unknown network resnet50"))
    let size = try Binary.run(["net", "run", "--network", "lenet5", "--size", "32"])
    #expect(size.status == 2)
    #expect(size.stderr.contains("--size 32 does not apply to lenet5"))
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID()).net")
    try "input 3x8x8\nconv 3 -> 4, 9x9\nflatten\nfc -> 2\n".write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let broken = try Binary.run(["net", "table", "--network", file.path])
    #expect(broken.status == 2)
    #expect(
      broken.stderr.hasPrefix("convtour: \(file.path):2: a 9×9 kernel does not fit"), "\(broken.stderr)")
    #expect(broken.stderr.split(separator: "\n").count == 1)
  }

  @Test("net init writes PyTorch's names for the network; vgg16 X is net X --network vgg16")
  func initAndAlias() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: out) }
    let written = try Binary.run([
      "net", "init", "--network", "tiny-vgg", "--seed", "3", "--output", out.path,
    ])
    #expect(written.status == 0, "\(written.stderr)")
    #expect(written.stdout.contains("10 tensors, 19920 parameters"))
    let run = try Binary.run(["net", "run", "--network", "tiny-vgg", "--weights", out.path, "--labels", "4"])
    #expect(run.status == 0, "\(run.stderr)")
    let net = try Binary.run(["net", "table", "--network", "vgg16", "--size", "64"])
    let vgg = try Binary.run(["vgg16", "table", "--size", "64"])
    #expect(net.stdout == vgg.stdout)
  }

  @Test("--dump names every gradient and activation for the network's own PyTorch names")
  func dump() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("dump-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try Binary.run([
      "net", "run", "--network", "textbook-convnet", "--backward", "--dump", out.path, "--dump-activations",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let header = try #require(try? String(contentsOf: out, encoding: .isoLatin1))
    for name in [
      "act.F.relu(conv1)", "act.pool1", "act.pool2", "act.F.relu(fc1)", "act.fc2", "conv1.weight.grad",
      "fc2.bias.grad",
      "input.grad",
    ] {
      #expect(header.contains("\"\(name)\""), "\(name)")
    }
  }

  @Test("net bench --train times whole training steps and says images per second")
  func benchTrain() throws {
    let result = try Binary.run([
      "net", "bench", "--network", "textbook-convnet", "--batch", "8", "--runs", "2", "--train",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("training step: "), "\(result.stdout)")
    #expect(result.stdout.contains(" images/s (SGD, momentum 0.9)"))
  }

  @Test("bench --layers: forward alone, in a step, ∂J/∂x and ∂J/∂W per layer; sgemm share and page faults")
  func benchLayers() throws {
    let result = try Binary.run([
      "net", "bench", "--network", "lenet5", "--batch", "4", "--runs", "2", "--layers",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines.contains {
        $0.hasPrefix("layer ") && $0.hasSuffix("forward in a step              ∂J/∂x              ∂J/∂W")
      })
    // conv1 is the lowest layer with weights: the step stops at its ∂J/∂W, with no ∂J/∂x.
    let conv1 = lines.first { $0.hasPrefix("conv1 ") }?.split(separator: " ", omittingEmptySubsequences: true)
    #expect(conv1?.contains("—") == true, "\(result.stdout)")
    // conv2 has all four, each a time and a rate.
    let conv2 = lines.first { $0.hasPrefix("conv2 ") } ?? ""
    #expect(conv2.split(separator: "(").count == 5, "\(conv2)")
    #expect(
      lines.contains {
        $0.hasPrefix("forward + backward reach ") && $0.contains("of this machine's sgemm")
          && $0.contains("minor page faults per step: ")
      })
  }
}
