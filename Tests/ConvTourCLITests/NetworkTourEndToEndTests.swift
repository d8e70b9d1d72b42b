import Foundation
import Testing

/// The tour's network screen on networks other than VGG-16, in tmux as a student uses it: the
/// textbook's ConvNet (5×5 convolutions, an average pool), a network file, and Tiny VGG.
@Suite("The network screen in tmux, any network", .serialized)
struct NetworkTourEndToEndTests {
  let vgg = VGGTourEndToEndTests()
  var tour: TourEndToEndTests { vgg.tour }

  /// The tour opened on `--network`, at its table.
  func open(_ network: String, title: String) throws -> Bool {
    guard try tour.startShell(width: 120, height: 40) else { return false }
    try tour.keys("'\(vgg.binary)' --network '\(network)'", "Enter")
    try tour.keys("v")
    try tour.waitFor(title)
    return true
  }

  /// b (forward and backward), then s on the first layer: conv1's explanation.
  func runAndStepIntoConv1() throws -> String {
    try tour.keys("b")
    try vgg.waitLong("forward + backward done · loss J = ")
    try tour.keys("s")  // the cursor on the map
    try tour.waitFor("s explains it")
    try tour.keys("s")
    return try tour.waitFor("conv1 (a⁽¹⁾)")
  }

  @Test("textbook-convnet: run, a conv1 element's 3 × 25 products, its δ, an average-pool element, quit")
  func textbook() throws {
    guard try open("textbook-convnet", title: "textbook-convnet at 32×32×3: the layer-shape table") else {
      return
    }
    defer { _ = try? tour.tmux(["kill-server"]) }
    let conv = try runAndStepIntoConv1()
    #expect(conv.contains("3 input channels × 25 products"))
    #expect(conv.contains("(l, m = 1…5)"))
    #expect(conv.contains("rows 1–5"))
    #expect(conv.contains("through pool1"))
    try vgg.escape(2)
    for _ in 0..<3 { try tour.keys("Down") }
    try tour.keys("s")
    try tour.waitFor("s explains it")
    try tour.keys("s")
    // (Waiting for the window's mean, the explanation's last lines: a capture taken as the title
    // appears can hold the frame half drawn.)
    let pool = try tour.waitFor("m = the mean of the window = ")
    #expect(pool.contains("pool2 (m⁽²⁾)"))
    #expect(pool.contains("through fc1"))
    try vgg.escape(2)
    try tour.keys("q")
    try tour.waitFor("$")
  }

  @Test("a network file and tiny-vgg: each runs forward and backward on its own screen")
  func fileAndTinyVGG() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Lessons/networks/strided.net").path
    guard try open(file, title: "strided at 32×32×3: the layer-shape table") else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    let conv = try runAndStepIntoConv1()
    #expect(conv.contains("s[c, 2(i−1)+l, 2(j−1)+m]"))  // s = x padded by 3, from 1
    #expect(conv.contains("3 input channels × 49 products"))
    try vgg.escape(2)
    try tour.keys("q")
    try tour.waitFor("$")
    try tour.keys("'\(vgg.binary)' --network tiny-vgg", "Enter")
    try tour.keys("v")
    try tour.waitFor("tiny-vgg at 64×64×3: the layer-shape table")
    try tour.keys("b")
    try vgg.waitLong("forward + backward done · loss J = ")
    #expect(try tour.screen().contains("max_pool_2"))
    try tour.keys("q")
  }
}
