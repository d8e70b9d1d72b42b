import ArgumentParser
import ConvTourPresentation
import Foundation

/// `convtour bench tour`: from keypress to rendered screen, for every step of every lesson.
struct BenchTourCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tour",
    abstract:
      "Time every keypress of the tour (next step, step into element level, next element) and report the slowest."
  )

  @OptionGroup var options: LessonOptions

  @Option(help: "Terminal width and height to render at.")
  var width = 120
  @Option(help: "Terminal height.")
  var height = 40

  @Flag(
    help: "Also time explaining elements of a full-size VGG-16 run (conv1_2, fc6), as the tour's `s` does.")
  var vgg16 = false

  mutating func run() throws {
    guard (20...1000).contains(width), (10...1000).contains(height) else {
      throw UsageError(
        "--width \(width) --height \(height): the width must be from 20 to 1000 and the height from 10 to 1000"
      )
    }
    let library = try options.library()
    var slowest: (seconds: Double, what: String) = (0, "")
    var slowestOpen: (seconds: Double, what: String) = (0, "")
    var count = 0
    var total = 0.0
    // Opening a lesson runs it (and checks it); stepping through it is what must feel instant.
    func timed(_ what: String, _ body: () -> Void) {
      let start = DispatchTime.now()
      body()
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      if what.hasSuffix(": open") {
        if seconds > slowestOpen.seconds { slowestOpen = (seconds, what) }
        return
      }
      count += 1
      total += seconds
      if seconds > slowest.seconds { slowest = (seconds, what) }
    }
    let capabilities = Capabilities()
    for lesson in library.lessons {
      var state = TourState(lessons: library.lessons)
      timed("\(lesson.id): open") {
        _ = state.open(id: lesson.id)
        _ = TourView.render(state, width: width, height: height, capabilities: capabilities)
      }
      for step in 0...state.lesson.stepCount {
        if step > 0 {
          timed("\(lesson.id) step \(step): next") {
            state.handle(.character("n"))
            _ = TourView.render(state, width: width, height: height, capabilities: capabilities)
          }
        }
        guard state.lesson.record?.hasElements(jacobians: true) == true else { continue }
        timed("\(lesson.id) step \(step): s (element level)") {
          state.handle(.character("s"))
          _ = TourView.render(state, width: width, height: height, capabilities: capabilities)
        }
        // A few elements forward, then back out.
        for _ in 0..<min(3, max(0, state.lesson.elements.count - 1)) {
          timed("\(lesson.id) step \(step): next element") {
            state.handle(.character("n"))
            _ = TourView.render(state, width: width, height: height, capabilities: capabilities)
          }
        }
        state.handle(.character("o"))
        state.lesson.go(to: step)
      }
    }
    print("\(count) keypresses over \(library.lessons.count) lessons at \(width)×\(height)")
    print(
      String(
        format: "keypress to screen: mean %.2f ms, slowest %.2f ms (%@)",
        total / Double(max(1, count)) * 1000,
        slowest.seconds * 1000, slowest.what))
    print(
      String(
        format: "opening a lesson (runs and checks it): slowest %.1f ms (%@)", slowestOpen.seconds * 1000,
        slowestOpen.what))
    if vgg16 { try BenchTourVGG.run(repeats: 7) }
  }
}
