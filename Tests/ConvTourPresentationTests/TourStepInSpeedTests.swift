import ConvTourEngine
import ConvTourLessons
import Foundation
import Testing

@testable import ConvTourPresentation

/// Stepping into an element of a large sum answers at once: `s` and the frame after it.
@Suite("Stepping into a large sum")
struct TourStepInSpeedTests {
  /// N of the terms pane's "↓ N more lines".
  func moreLines(_ text: String) -> Int? {
    guard let range = text.range(of: #"↓ \d+ more lines"#, options: .regularExpression) else { return nil }
    return Int(text[range].dropFirst(2).prefix { $0.isNumber })
  }

  @Test("s on vgg-jacobians-small step 5 (a sum of 24,300 terms): the key and its frame")
  func stepInSum() throws {
    var state = TourState(lessons: TourViewTests.lessons)
    let opened = state.open(id: "vgg-jacobians-small")
    #expect(opened)
    state.lesson.go(to: 5)
    let clock = ContinuousClock()
    let key = clock.measure { state.handle(.character("s")) }
    #expect(state.lesson.currentElement?.terms.count == 24300)
    let frame = clock.measure {
      _ = TourView.render(state, width: 120, height: 40, capabilities: Capabilities())
    }
    // The frame formats the terms it shows and counts the rest (it formatted all 24,300, twice).
    let screen = TourView.render(state, width: 120, height: 40, capabilities: Capabilities())
    // (It said "↓ 24272 more lines"; now the lines below a screenful and one counting the terms.)
    #expect(moreLines(screen.text) ?? .max < 100, "\(screen.text)")
    let e = try #require(state.lesson.currentElement)
    #expect(TermsPane(element: e, number: state.lesson.numberStyle).lines(width: 60, needed: 40).count < 100)
    // Scrolling on formats more: the pane still reaches every term.
    state.handle(.tab)
    #expect(state.lesson.focus == .terms)
    let top = screen.text
    for _ in 0..<10 { state.handle(.pageDown) }
    let scrolled = TourView.render(state, width: 120, height: 40, capabilities: Capabilities()).text
    #expect(scrolled != top && scrolled.contains("Σ = "), "\(scrolled)")
    #expect(moreLines(scrolled) ?? .max < 100, "\(scrolled)")
    print("s: \(key), frame: \(frame)")
  }

  @Test("s on a Jacobian of 24,300 entries computes one window of them; n and p cross windows")
  func elementWindows() throws {
    var state = TourState(lessons: TourViewTests.lessons)
    let opened = state.open(id: "vgg-jacobians-small")
    #expect(opened)
    state.lesson.go(to: 2)
    state.handle(.character("s"))
    let record = try #require(state.lesson.record)
    let all = try #require(state.lesson.run).elements(record)
    #expect(state.lesson.elementCount == all.count && all.count > 1000)
    #expect(state.lesson.elements.count == LessonScreenState.elementWindowSize)
    // Past the window's last element: the next window, and the same element as the whole list's.
    let size = LessonScreenState.elementWindowSize
    state.lesson.show(element: size - 1)
    state.lesson.next().map { _ in Issue.record("n left the step") }
    #expect(state.lesson.element == size)
    #expect(state.lesson.elementWindow == size..<(2 * size))
    #expect(state.lesson.currentElement?.index == all[size].index)
    #expect(state.lesson.currentElement?.value == all[size].value)
    state.lesson.previous()
    #expect(state.lesson.currentElement?.index == all[size - 1].index)
    // p from the next step's op level lands on this step's last element.
    state.lesson.show(element: all.count - 1)
    #expect(state.lesson.currentElement?.index == all.last?.index)
    let screen = TourView.render(state, width: 120, height: 40, capabilities: Capabilities()).text
    #expect(screen.contains("element \(all.count)/\(all.count)"), "\(screen)")
  }
}
