import Foundation
import Testing

/// The network screen on a dataset in tmux, as a student uses it: Tiny VGG on the shipped
/// digits, η set, trained briefly (batches of 4, so a debug build keeps up), paused; the curves
/// and a misclassified test image; that image run and a conv element stepped into; quit.
@Suite("Training on a dataset in the tour, in tmux", .serialized)
struct DatasetTourEndToEndTests {
  let vgg = VGGTourEndToEndTests()
  var tour: TourEndToEndTests { vgg.tour }

  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  @Test("tiny-vgg on digits: set η, train, pause, curves and a misclassified image, step into conv_1_1, quit")
  func walk() throws {
    guard try tour.startShell(width: 120, height: 40) else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    try tour.keys("cd '\(Self.root)' && '\(vgg.binary)' --network tiny-vgg --data digits", "Enter")
    try vgg.waitLong("Training tiny-vgg on digits: 1437 training · 360 test images", seconds: 60)
    // η up one step, the batch down to 4 — before the first T, and shown.
    try tour.keys("+")
    try tour.waitFor("η = 0.03 (+/−) · μ = 0.9 (( )) · batch 32")
    for _ in 0..<3 { try tour.keys("[") }
    try tour.waitFor("batch 4 ([ ])")
    try tour.keys("T")
    // (A release build takes hundreds of batches a second: any count will do.)
    let training = try vgg.waitLong("batches on digits (T)")
    #expect(training.contains("this batch: predicted / true"))
    #expect(training.contains("epoch 1 · "))
    // Any key pauses; the screen says so at once (the worker finishes its batch meanwhile).
    let asked = Date()
    try tour.keys("x")
    var screen = try tour.screen()
    while !screen.contains("pausing") && !screen.contains("paused:"), Date().timeIntervalSince(asked) < 5 {
      screen = try tour.screen()
    }
    let answered = Date().timeIntervalSince(asked)
    #expect(answered < 1, "the key was answered after \(answered) s")
    print("dataset walk: the pausing key answered on screen after \(answered) s (tmux round trips included)")
    // Paused: the curves, and the test images misclassified first as they are evaluated.
    let paused = try vgg.waitLong("test image ", seconds: 120)
    #expect(paused.contains("paused: epoch 1"))
    #expect(paused.contains("loss per batch"))
    #expect(paused.contains("accuracy per batch (%)"))
    #expect(paused.contains("┤"))
    #expect(paused.contains("test: misclassified first, predicted / true"))
    #expect(paused.contains("✗"))
    #expect(paused.contains("conv_1_1's 10 filters (3×3×3)"))
    // The first listed is misclassified: its line names both classes, and they differ.
    let line = try #require(paused.split(separator: "\n").first { $0.contains("test image ") })
    let classes = line.split(separator: ":")[1].split(separator: ",").map {
      $0.split(separator: " ").last ?? ""
    }
    #expect(classes.count >= 2 && classes[0] != classes[1], "\(line)")
    // b runs it on the trained weights; s steps into conv_1_1's element under the cursor.
    try tour.keys("b")
    let run = try vgg.waitLong("forward + backward done · loss J = ")
    #expect(run.contains("image digits test image "))
    #expect(run.contains("trained "))
    try tour.keys("s")
    let conv = try tour.waitFor("conv_1_1 (a⁽¹⁾)")
    #expect(conv.contains("3 input channels × 9"))
    try vgg.escape(2)
    try tour.keys("q")
    try tour.waitFor("ready$")
  }

  @Test("a dataset that cannot be read: one line naming it, exit 2, before the screen starts")
  func badDataset() throws {
    guard try tour.startShell(width: 120, height: 30) else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    let missing = "/nonexistent-\(tour.socket)"
    try tour.keys(
      "'\(vgg.binary)' --network tiny-vgg --data '\(missing)'; echo status-$? done-$((40 + 2))", "Enter")
    let screen = try tour.waitFor("done-42")
    #expect(screen.contains("convtour: \(missing): no such file or folder\nstatus-2 done-42"), "\(screen)")
    try tour.keys(
      "clear; '\(vgg.binary)' --network tiny-vgg --data digits --image x.png; echo status-$? done-$((40 + 2))",
      "Enter")
    let both = try tour.waitFor("done-42")
    #expect(both.contains("status-2 done-42"), "\(both)")
  }
}
