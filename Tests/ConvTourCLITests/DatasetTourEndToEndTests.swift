import ConvTourEngine
import ConvTourIO
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
    // Tiny VGG's η (0.003) up one step, the batch down to 4 — before the first T, and shown.
    try tour.waitFor("η = 0.003 (+/−)")
    try tour.keys("+")
    try tour.waitFor("η = 0.01 (+/−) · μ = 0.9 (( )) · batch 32")
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
    try tour.keys("s")  // the cursor on the map
    try tour.waitFor("s explains it")
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

  /// `np.save` of int64 labels: the header (format 1.0, padded to 64 bytes) and the values.
  static func writeLabels(_ labels: [Int], to path: String) throws {
    var dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (\(labels.count),), }"
    while (10 + dict.count + 1) % 64 != 0 { dict += " " }
    dict += "\n"
    var bytes: [UInt8] =
      [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dict.count % 256), UInt8(dict.count / 256)]
    bytes += Array(dict.utf8)
    for label in labels { withUnsafeBytes(of: Int64(label).littleEndian) { bytes += $0 } }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  @Test("a .npy pair: the tour's T takes the steps net train takes — the same loss and test accuracy")
  func npyPairAsNetTrain() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tour-npy-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (x, y) = (folder.appendingPathComponent("x.npy").path, folder.appendingPathComponent("y.npy").path)
    // Ten seeded images [3, 64, 64] for tiny-vgg, classes 0…9: 8 train and 2 test (the seeded split).
    var generator = SeededRandom(seed: 7)
    try Numpy.writeFloat32(Tensor32(Tensor.random([10, 3, 64, 64], using: &generator)), to: x)
    try Self.writeLabels(Array(0..<10), to: y)
    let cli = try Binary.run([
      "net", "train", "--network", "tiny-vgg", "--images", x, "--labels-file", y, "--epochs", "2", "--lr",
      "0.003",
      "--momentum", "0.9",
    ])
    #expect(cli.status == 0, "\(cli.stderr)")
    // "    2  2.29114         12.50 %   50.00 %     0.31": epoch 2's loss (its one batch) and test accuracy.
    let row = try #require(cli.stdout.split(separator: "\n").first { $0.hasPrefix("    2  ") })
    let fields = row.split(separator: " ")
    let (loss, accuracy) = (try #require(Double(fields[1])), try #require(Double(fields[4])))

    guard try tour.startShell(width: 120, height: 40) else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    try tour.keys(
      "'\(vgg.binary)' --network tiny-vgg --images '\(x)' --labels-file '\(y)' --epochs 2", "Enter")
    try vgg.waitLong("Training tiny-vgg on .npy pair: 8 training · 2 test images", seconds: 60)
    try tour.keys("T")
    let done = try vgg.waitLong("done: 2 batches", seconds: 120)
    let status = try #require(done.split(separator: "\n").first { $0.contains("done: 2 batches") })
    // "done: 2 batches · loss 2.2911 · batch accuracy 12.5 % · test accuracy 50.0 % after epoch 2 · …"
    func number(after label: String) -> Double? {
      status.range(of: label).flatMap { Double(status[$0.upperBound...].prefix { $0 != " " }) }
    }
    let tourLoss = try #require(number(after: "· loss "))
    let tourAccuracy = try #require(number(after: "test accuracy "))
    #expect(abs(tourLoss - loss) <= 6e-5, "tour \(tourLoss), net train \(loss)")
    #expect(abs(tourAccuracy - accuracy) <= 0.051, "tour \(tourAccuracy) %, net train \(accuracy) %")
    try tour.keys("q")
    try tour.waitFor("ready$")
  }
}
