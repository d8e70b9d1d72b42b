import Foundation
import Testing

/// The documents' programs in the tour, in tmux: the §12.4 program's loss step and the digits
/// lesson's accuracy after training, each shown as a lesson step with its tensors.
@Suite("The documents' programs in the tour, in tmux", .serialized)
struct ProgramsTourEndToEndTests {
  let tour = TourEndToEndTests()

  @Test("textbook-convnet-program shows the listing's loss; cnn-learns-digits its accuracy after training")
  func programs() throws {
    guard try tour.startShell(width: 100, height: 30) else { return }
    defer { _ = try? tour.tmux(["kill-server"]) }
    let lessons = LessonCommandTests.lessons.path
    try tour.keys("'\(Binary.url.path)' show textbook-convnet-program --lessons '\(lessons)'", "Enter")
    try tour.waitFor("step 0/48")
    try tour.keys("g", "16", "Enter")
    let loss = try tour.waitFor("step 16/48")
    #expect(loss.contains("torch.norm"))
    #expect(loss.contains("loss"))
    try tour.keys("q")
    try tour.waitFor("ready$")
    try tour.keys("'\(Binary.url.path)' show cnn-learns-digits --lessons '\(lessons)'", "Enter")
    try tour.waitFor("step 0/17")
    try tour.keys("g", "16", "Enter")
    let after = try tour.waitFor("step 16/17")
    #expect(after.contains("Accuracy after training"))
    #expect(after.contains("scores_after"))
    try tour.keys("q")
    try tour.waitFor("ready$")
  }
}
