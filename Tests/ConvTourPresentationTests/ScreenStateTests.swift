import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// Each screen's state and keys on their own, with no `TourState` around them: what a key
/// changes, and what it asks of the tour as an effect.
@Suite("Screen states on their own")
struct ScreenStateTests {
  @Test("VGG-16 screen: runs, leaving and quitting are effects; the selection stops at the last layer")
  func vggScreen() throws {
    var vgg = VGGScreenState()
    let layers = try VGG16Architecture().layers.count
    #expect(vgg.layerCount == layers)
    #expect(vgg.handle(.character("j")) == nil)
    #expect(vgg.scroll == 1 && vgg.selected == 0)
    #expect(vgg.handle(.character("b")) == .tour(.startVGGRun(backward: true)))
    #expect(vgg.showsRun)
    for _ in 0..<(layers + 5) { vgg.handle(.character("j")) }
    #expect(vgg.selected == layers - 1)
    #expect(vgg.handle(.character("a")) == nil)
    #expect(vgg.algorithm == .winograd && vgg.message?.hasPrefix("next run: winograd") == true)
    vgg.run.status = .running(backward: false)
    #expect(vgg.handle(.escape) == .tour(.cancelVGGRun))
    vgg.run.status = .cancelled
    #expect(vgg.handle(.escape) == .show(.menu))
    #expect(vgg.handle(.character("q")) == .tour(.quit))
  }

  @Test("lesson screen: steps, elements and focus change it; leaving and the next lesson are effects")
  func lessonScreen() throws {
    let source = try #require(TourViewTests.lessons.first { $0.id == "softmax" })
    var lesson = LessonScreenState()
    lesson.open(try LessonRun(source), at: 0)
    #expect(lesson.step == 0 && lesson.stepCount > 1)
    #expect(lesson.handle(.character("n")) == nil)
    #expect(lesson.step == 1)
    lesson.handle(.character("s"))
    #expect(lesson.detail == .element && lesson.currentElement != nil)
    lesson.handle(.tab)
    #expect(lesson.focus == .terms)
    lesson.handle(.character("j"))
    #expect(lesson.termsScroll == 1)
    #expect(lesson.handle(.character("v")) == .show(.vgg))
    #expect(lesson.handle(.escape) == .show(.menu))
    lesson.go(to: lesson.stepCount)
    #expect(lesson.handle(.character("n")) == .nextLesson)
    #expect(lesson.step == lesson.stepCount)
    #expect(lesson.handle(.character("q")) == .tour(.quit))
  }
}
