import Foundation
import Testing

/// Quitting the tour while a worker runs (issue 22 §5): `exit()` used to tear the libraries down
/// under a worker still inside OpenBLAS, and about 1 quit in 4 crashed with exit 139. Every
/// quit here, by q, by SIGTERM and during T, must end with the tour's own status and the
/// terminal as it was.
@Suite("Quitting the tour during a run", .serialized)
struct TourQuitDuringRunTests {
  let vgg = VGGTourEndToEndTests()
  var tour: TourEndToEndTests { vgg.tour }

  /// Starts `convtour vgg16` with its process id in `pidFile`, on its screen.
  func start(pidFile: String) throws -> Int32 {
    try? FileManager.default.removeItem(atPath: pidFile)
    try tour.keys("clear", "Enter")
    try tour.keys("bash -c \"echo \\$\\$ > '\(pidFile)'; exec '\(vgg.binary)' vgg16\"", "Enter")
    try tour.waitFor("conv5_3")
    let text = try String(contentsOfFile: pidFile, encoding: .utf8)
    return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
  }

  @Test("b or T, then q or SIGTERM while the layers run: exit 0 (143), the terminal restored, no crash")
  func quitMidRun() throws {
    guard try tour.startShell(width: 120, height: 40) else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    try tour.keys("MODES=$(stty -g)", "Enter")
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(tour.socket)-pid").path
    defer { try? FileManager.default.removeItem(atPath: pidFile) }
    // (the key that starts the worker, seconds after it, SIGTERM or q): the crash came about
    // 4.5 s after b, inside the first layers (2 of 8 tries before the fix, release build;
    // the T cases failed too: a stop asked while the weights were drawn was lost, and q did not quit).
    let cases: [(String, Double, Bool)] = [
      ("b", 3.5, false), ("b", 4.0, false), ("b", 4.5, false), ("b", 5.0, false), ("b", 5.5, false),
      ("b", 4.5, true), ("b", 4.0, true), ("T", 6.0, false), ("T", 6.0, true), ("b", 4.5, false),
      ("b", 4.2, false), ("b", 4.8, false),
    ]
    for (k, (key, delay, signal)) in cases.enumerated() {
      let pid = try start(pidFile: pidFile)
      try tour.keys(key)
      Thread.sleep(forTimeInterval: delay)
      if signal {
        kill(pid, SIGTERM)
      } else if key == "T" {
        // During T a first key stops it after the step under way; q then quits at once.
        try tour.keys("x", "q")
      } else {
        try tour.keys("q")
      }
      try tour.checkRestored("quit\(k)", status: signal ? 128 + SIGTERM : 0)
    }
  }
}
