import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// Without Unicode (LC_ALL=C) the chrome's separator and a formula's product dot are spelled
/// apart: "|" between the items of a title, menu line, hint or status line, "*" in a product.
@Suite("ASCII chrome separators")
struct AsciiChromeTests {
  static let ascii = Capabilities(color: false, unicode: false)

  @Test("the menu's lines, a lesson's title bar and its hints separate with |, its formula multiplies with *")
  func separatorsAndProducts() throws {
    var state = TourState(lessons: TourViewTests.lessons)
    let menu = TourView.render(state, width: 80, height: 24, capabilities: Self.ascii).text
    #expect(menu.contains("neuron | the textbook"), "\(menu)")
    #expect(!menu.contains("neuron * the"))
    #expect(menu.contains("Enter open | / filter"))

    let opened = state.open(id: "neuron")
    #expect(opened)
    for _ in 0..<4 { state.handle(.character("n")) }  // z_1 = w·x_1
    let lesson = TourView.render(state, width: 80, height: 24, capabilities: Self.ascii)
    #expect(lesson.text(row: 0).hasSuffix("step 4/19 | op level"), "\(lesson.text(row: 0))")
    #expect(lesson.text.contains("w*x_1"), "\(lesson.text)")
    #expect(lesson.text(row: 23).contains("-> next | <- back"), "\(lesson.text(row: 23))")
    #expect(!lesson.text(row: 23).contains(" * "))

    // Unicode shows one middle dot for both.
    let unicode = TourView.render(state, width: 80, height: 24, capabilities: Capabilities()).text
    #expect(unicode.contains("step 4/19 · op level"))
    #expect(unicode.contains("w·x"))
    #expect(!unicode.contains(Chrome.dot))
  }

  @Test("the network screen's progress bars: a layer to come is '.' in ASCII, not a product's '*'")
  func progressSlots() {
    var state = TourState(lessons: [])
    state.handle(.character("v"))
    state.handle(.character("r"))
    var run = VGGRunState()
    run.status = .running(backward: false)
    run.layer = 1
    run.forwardSeconds = [0: 0.012]
    state.vgg.run = run
    let ascii = TourView.render(state, width: 80, height: 24, capabilities: Self.ascii)
    let rows = ascii.text.split(separator: "\n").map(String.init)
    let conv12 = rows.first { $0.hasPrefix(" conv1_2") } ?? ""
    #expect(conv12.contains("++++++++"), "\(ascii.text)")  // under way
    let pool1 = rows.first { $0.hasPrefix(" pool1") } ?? ""
    #expect(pool1.contains("........") && !pool1.contains("*"), "\(pool1)")
    let conv11 = rows.first { $0.hasPrefix(" conv1_1") } ?? ""
    #expect(conv11.contains("####...."), "\(conv11)")  // forward done, backward not asked
  }

  @Test("a separator spells in as many columns as it takes in Unicode")
  func sameWidth() {
    #expect(AsciiSpelling.text(Chrome.separator) == " | ")
    #expect(AsciiSpelling.text("w·x") == "w*x")
    #expect(Chrome.shown("a\(Chrome.separator)b") == "a · b")
  }
}
