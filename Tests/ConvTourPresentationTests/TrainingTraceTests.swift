import ConvTourLessons
import Foundation
import Testing

@testable import ConvTourPresentation

@Suite("Traces of training: the loss per epoch")
struct TrainingTraceTests {
  /// One weight w fitting y = 2x on one example (x = 3, y = 6) for 12 epochs:
  /// L = (w·x − y)², 20.25 in the first.
  func trained() throws -> LessonRun {
    let text = """
      id: demo
      title: A demo
      source: 001_fccaba08b6e11e45.txt, 11.3
      tensor w [1, 1] = 0.5
      tensor x [1] = 3
      tensor y [1] = 6
      step: Forward
        run: o = fc(x, w)
      step: Loss
        run: L = squared_error(o, y)
      step: Gradient
        run: g = grad(L, wrt: w)
      step: Update
        run: w_new = sgd(w, g, lr: 0.01)
      step: Train
        run: losses = repeat(steps: 4, epochs: 12, loss: L)
      """
    return try LessonRun(LessonParser.parse(text, file: "demo.lesson"))
  }

  @Test("text: a table of the loss per epoch, ten to a line, instead of the history as a vector")
  func text() throws {
    let r = try trained()
    let text = try TextTrace().render(r)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let head = try #require(lines.firstIndex(of: "  loss per epoch (12 epochs)"))
    let losses = r.tensor("losses")!.values
    #expect(lines[head + 1].hasPrefix("     1  20.2500  "))
    #expect(lines[head + 1].split(separator: " ").count == 11)
    #expect(lines[head + 2].hasPrefix("    11  "))
    #expect(lines[head + 2].split(separator: " ").count == 3)
    #expect(!text.contains("    losses  shape"))
    #expect(losses[0] == 20.25)
  }

  @Test("JSON: the repeat step carries \"losses\", one number per epoch")
  func json() throws {
    let r = try trained()
    let data = Data(try JSONTrace().value(r).rendered().utf8)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let steps = try #require(object["steps"] as? [[String: Any]])
    let withLosses = steps.filter { $0["losses"] != nil }
    #expect(withLosses.count == 1)
    #expect(withLosses.first?["action"] as? String == "repeat")
    // Foundation's JSON reader may round the last bit; the writer's shortest form is exact.
    let read = try #require(withLosses.first?["losses"] as? [Double])
    let losses = r.tensor("losses")!.values
    #expect(read.count == losses.count)
    #expect(zip(read, losses).allSatisfy { abs($0 - $1) <= 1e-15 * abs($1) })
  }
}
