import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// The tour names the network it shows: the menu's v, the network screen's layer numbers.
@Suite("The network named as the tour shows it")
struct NetworkNamingTests {
  @Test("the menu's footer names the network v opens: VGG-16 by default, tiny-vgg with --network tiny-vgg")
  func menuFooter() throws {
    var state = TourState(lessons: TourViewTests.lessons)
    let footer = { (state: TourState) in
      TourView.render(state, width: 80, height: 24, capabilities: Capabilities()).text(row: 23)
    }
    #expect(footer(state).contains("v VGG-16"), "\(footer(state))")
    state.vgg.network = try #require(try BuiltInNetworks.named("tiny-vgg"))
    #expect(footer(state).contains("v tiny-vgg"), "\(footer(state))")
    #expect(!footer(state).contains("VGG-16"))
  }
}
