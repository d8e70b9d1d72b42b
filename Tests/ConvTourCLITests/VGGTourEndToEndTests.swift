import Foundation
import Testing

/// The tour's VGG-16 screen end to end in tmux: opened on a photo, run forward and backward, a
/// conv3 element and a pool4 element stepped into, the top-5 and saliency shown, then quit.
/// `make test` points $CONVTOUR_RELEASE_BIN at the release build (a full-size run in a debug build
/// takes about 40 s); without it the debug binary is used and the waits are longer.
@Suite("The VGG-16 screen in tmux", .serialized)
struct VGGTourEndToEndTests {
  let tour = TourEndToEndTests()

  var binary: String {
    ProcessInfo.processInfo.environment["CONVTOUR_RELEASE_BIN"].map { URL(fileURLWithPath: $0).path }
      ?? Binary.url.path
  }

  /// `convtour vgg16` in a shell at 120×40, on its VGG-16 screen; false where tmux is missing.
  /// (The caller kills the tmux server; here only when the screen never came.)
  func openVGG16Screen() throws -> Bool {
    guard try tour.startShell(width: 120, height: 40) else { return false }
    do {
      try tour.keys("'\(binary)' vgg16", "Enter")
      try tour.waitFor("conv5_3")
    } catch {
      _ = try? tour.tmux(["kill-server"])
      throw error
    }
    return true
  }

  /// Waits up to `seconds` for `text` on the screen; returns the screen.
  @discardableResult
  func waitLong(_ text: String, seconds: Double = 90) throws -> String {
    var screen = ""
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      screen = try tour.screen()
      if screen.contains(text) { return screen }
      Thread.sleep(forTimeInterval: 0.2)
    }
    Issue.record("the screen never showed \"\(text)\"; it shows:\n\(screen)")
    return screen
  }

  /// Esc, alone: sent with the next keys it would read as Alt and a key.
  func escape(_ times: Int) throws {
    for _ in 0..<times {
      try tour.keys("Escape")
      Thread.sleep(forTimeInterval: 0.3)
    }
  }

  @Test("a photo: run forward and backward, step into conv3_2 and pool4, top-5 and saliency, quit")
  func photo() throws {
    guard try tour.startShell(width: 140, height: 42) else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    let photo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("ConvTourIOTests/Fixtures/Images/photo-40x30.jpg").path
    let lessons = LessonCommandTests.lessons.path
    try tour.keys("'\(binary)' --lessons '\(lessons)' --image '\(photo)' --labels 3", "Enter")
    try tour.waitFor("image photo-40x30.jpg · seeded weights · label 3")
    try tour.keys("b")
    try waitLong("forward + backward done · loss J = ")
    // conv3_2 is the 8th layer: step into its element under the cursor.
    for _ in 0..<7 { try tour.keys("Down") }
    try tour.keys("s")  // the cursor on the map, then its element explained
    try tour.waitFor("s explains it")
    try tour.keys("s")
    let conv = try tour.waitFor("conv3_2 (a⁽")
    #expect(conv.contains("Σ_l,m s[1, ·, ·]·W[1, 1, ·, ·]"))
    #expect(conv.contains("it reads conv3_1"))
    try tour.keys("G")  // to the end
    let end = try tour.waitFor("the fast path's δ")
    #expect(end.contains("Σ_l,m δz["))  // the transposed convolution's terms, by filter of conv3_3
    try escape(2)
    // pool4 is six rows further down.
    for _ in 0..<6 { try tour.keys("Down") }
    try tour.keys("s")
    try tour.waitFor("s explains it")
    try tour.keys("s")
    let pool = try tour.waitFor("pool4 (m⁽")
    #expect(pool.contains("← the winner"))
    #expect(pool.contains("through conv5_1"))
    #expect(pool.contains("δz[k, i+2−l, j+2−m]·W[k, c, l, m]"))  // issue 22 §1: what it lists
    try escape(2)
    for _ in 0..<9 { try tour.keys("Down") }
    let summary = try tour.waitFor("saliency max_c |∂J/∂x|")
    #expect(summary.contains("loss J = −log ŷ(label) = "))
    #expect(summary.contains("1. "))
    try tour.keys("q")
    try tour.waitFor("ready$")
  }

  @Test("convtour vgg16 on a terminal opens the VGG-16 screen, which says how to give a photo")
  func vgg16Command() throws {
    guard try openVGG16Screen() else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    try tour.keys("t")
    try tour.waitFor("Give your own: convtour --image PHOTO.jpg")
    try tour.keys("q")
    try tour.waitFor("ready$")
  }

  @Test("T trains: SGD steps in the background, each step's loss in the table and the chart; a key stops it")
  func training() throws {
    guard try openVGG16Screen() else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    try tour.keys("T")
    try tour.waitFor("Training: SGD on 1 example, W ← W − η·∂J/∂W")
    // The first step's row in the table and the chart, then the title counts it.
    let first = try waitLong("trained 1 SGD step")
    #expect(first.contains("loss per step"))
    #expect(first.contains("   1  6."))  // seeded weights: J ≈ ln 1000 = 6.9 before any step
    try tour.keys("x")  // any key: stop after the step under way
    let stopped = try waitLong("stopped after ")
    #expect(stopped.contains("r or b runs the"))
    // The step the key interrupted finishes; the training does not go on to step 10.
    #expect(!stopped.contains("trained 10 SGD steps"))
    try tour.keys("q")
    try tour.waitFor("ready$")
  }
}
