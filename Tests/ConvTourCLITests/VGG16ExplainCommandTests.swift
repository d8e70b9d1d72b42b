import Foundation
import Testing

/// `convtour vgg16 explain`: one element of a real run (at 32×32, so a debug build is quick).
@Suite("vgg16 explain")
struct VGG16ExplainCommandTests {
  func json(_ arguments: [String]) throws -> [String: Any] {
    let result = try Binary.run(["vgg16", "explain"] + arguments + ["--size", "32", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
  }

  @Test("a convolution element: the partial sums and the bias give z, the fast path agrees; δ too")
  func convolution() throws {
    let e = try json(["conv2_1", "3", "4", "5", "--backward", "--labels", "7", "--seed", "4"])
    let sums = (e["partial_sums"] as! [[String: Any]]).map { $0["sum"] as! Double }
    #expect(sums.count == 64)
    let z = e["z"] as! Double
    #expect(abs(sums.reduce(e["bias"] as! Double, +) - z) <= 1e-12)
    #expect(e["value"] as! Double == max(z, 0))
    #expect((e["terms"] as! [Any]).count == 64 * 9 + 1)
    #expect(abs(e["difference"] as! Double) <= 1e-5 * max(1e-3, abs(z)))
    let delta = e["delta"] as! [String: Any]
    #expect(delta["through"] as! String == "conv2_2")
    let d = delta["value"] as! Double
    #expect(abs(delta["difference"] as! Double) <= 1e-4 * abs(d) + 1e-12)
    #expect((delta["terms"] as! [Any]).count == 128 * 9)
  }

  @Test("text: the element in both notations, the running total reaching z, and the ReLU")
  func text() throws {
    let result = try Binary.run([
      "vgg16", "explain", "conv1_1", "2", "1", "1", "--size", "32", "--expand", "1",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let out = result.stdout
    #expect(
      out.contains("element [2, 1, 1] (storage: channel, row, column; 1-based) = (1, 1, 2) in the post's"))
    #expect(out.contains("Σ_l,m s[1, ·, ·]·W[2, 1, ·, ·]"))
    // s is x padded by 1, counted from 1 (issue 22 §1): its corner s[1, 1, 1] is the zero border,
    // and the formula with i = j = 1, l = m = 1 gives s[c, 1, 1].
    #expect(out.contains("s[1, 1, 1] (padding)·W[2, 1, 1, 1] = 0·"))
    #expect(out.contains("s[1, 2, 2]·W[2, 1, 2, 2] = "))
    #expect(out.contains("z[k, i, j] = Σ_c Σ_l,m s[c, i+l−1, j+m−1]·W[k, c, l, m] + b[k] (l, m = 1…3)"))
    #expect(out.contains("s[c, i+1, j+1] = input[c, i, j]"))
    #expect(out.contains("a = max{z, 0} = "))
    #expect(out.contains("the fast path stored "))
  }

  @Test("a max-pool element names its winner; fc and softmax list their largest terms")
  func poolAndVectors() throws {
    let pool = try json(["pool1", "1", "2", "3"])
    #expect(pool["combination"] as! String == "maximum")
    let winner = pool["winner"] as! Int
    let terms = (pool["terms"] as! [[String: Any]]).map { $0["value"] as! Double }
    #expect(terms[winner - 1] == terms.max() && pool["value"] as! Double == terms.max())
    let soft = try Binary.run(["vgg16", "explain", "softmax", "3", "--size", "32"])
    #expect(soft.status == 0)
    #expect(soft.stdout.contains("Σ_j e^z[j] = "))
    #expect(soft.stdout.contains("element [3] = class 2 ("))  // tensor index 3 is class 2, named
    #expect(soft.stdout.contains("the other 988 terms"))
  }

  @Test("one weight's gradient: the sum over positions of s·δz is the fast path's ∂J/∂W")
  func weight() throws {
    let e = try json(["conv2_1", "--weight", "3", "4", "2", "2", "--labels", "5"])
    #expect((e["terms"] as! [Any]).count == 16 * 16)
    let value = e["value"] as! Double
    #expect(abs(e["difference"] as! Double) <= 1e-4 * abs(value) + 1e-12)
    let fc = try Binary.run([
      "vgg16", "explain", "fc7", "--weight", "2", "3", "--labels", "1", "--size", "32",
    ])
    #expect(fc.status == 0)
    #expect(fc.stdout.contains("∂J/∂W[2, 3] of fc7 (storage: output i, input j; 1-based)"))
  }

  @Test("bad elements: one line, exit 2")
  func errors() throws {
    for (arguments, message) in [
      (["conv9_1", "1", "1", "1"], "no layer conv9_1"),
      (["conv1_1", "65", "1", "1"], "outside 1 to 64"),
      (["fc6", "1", "1", "1"], "give J"),
      (["conv1_1", "1", "1", "1", "--backward"], "--backward needs --labels"),
      (["conv1_1", "1", "1", "1", "--example", "2"], "--example 2"),
      (["pool1", "--weight", "1", "1"], "has no weights"),
      (["fc6", "--weight", "1", "1", "1"], "give 2 indices"),
    ] {
      let result = try Binary.run(["vgg16", "explain"] + arguments + ["--size", "32"])
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1)
    }
  }
}
