import Foundation
import Testing

/// Training in the tour end to end in tmux: the XOR lesson's repeat step played with `p`, the
/// epoch seen advancing, then paused by a key and staying paused.
@Suite("Training in the tour, in tmux", .serialized)
struct TrainingTourEndToEndTests {
  let tour = TourEndToEndTests()

  /// The epoch the status line shows ("epoch 37 of 300 · …"), if any.
  func epoch(_ screen: String) -> Int? {
    guard let range = screen.range(of: #"epoch \d+ of 300"#, options: .regularExpression) else { return nil }
    return Int(screen[range].dropFirst(6).prefix { $0.isNumber })
  }

  @Test("xor-learned: p plays the 300 epochs, the epoch advances; a key pauses it and it stays paused")
  func playAndPause() throws {
    guard try tour.startShell(width: 80, height: 24) else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    let lessons = LessonCommandTests.lessons.path
    try tour.keys("'\(Binary.url.path)' show xor-learned --lessons '\(lessons)'", "Enter")
    try tour.waitFor("step 0/20")
    try tour.keys("g", "14", "Enter")
    try tour.waitFor("epoch 300 of 300")
    try tour.keys("p")
    let first = try tour.waitFor("playing — any key pauses")
    Thread.sleep(forTimeInterval: 0.5)
    let second = try tour.screen()
    let (a, b) = (try #require(epoch(first)), try #require(epoch(second)))
    #expect(b > a, "the epoch did not advance: \(a), then \(b)")
    try tour.keys("x")
    let paused = try tour.waitFor("paused — p plays")
    Thread.sleep(forTimeInterval: 0.5)
    let later = try tour.screen()
    #expect(later.contains("paused — p plays"))
    #expect(epoch(later) == epoch(paused))
    #expect(try #require(epoch(paused)) < 300)
    // ] steps one epoch on; the step is unchanged (x did nothing else).
    try tour.keys("]")
    try tour.waitFor("epoch \(try #require(epoch(paused)) + 1) of 300")
    #expect(later.contains("step 14/20"))
    try tour.keys("q")
    try tour.waitFor("ready$")
  }
}
