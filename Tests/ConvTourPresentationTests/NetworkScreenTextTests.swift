import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// The network screen's words: the network it names, its messages at 80×24, its footers.
@Suite("The network screen's text")
struct NetworkScreenTextTests {
  static func render(_ state: TourState, unicode: Bool = true) -> Screen {
    TourView.render(
      state, width: 80, height: 24, capabilities: Capabilities(color: unicode, unicode: unicode))
  }

  /// The words of `text`, for comparing wrapped text with what was wrapped.
  static func words(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

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

  @Test("a's message fits 80×24 whole, wrapped above the hints, on the table and the run view, in ASCII too")
  func algorithmMessageFits() throws {
    for network in [nil, try BuiltInNetworks.named("tiny-vgg")] {
      for unicode in [true, false] {
        for run in [false, true] {
          var state = TourState(lessons: [])
          if let network { state.vgg.network = network }
          state.handle(.character("v"))
          state.vgg.showsRun = run
          for _ in 0..<2 {
            state.handle(.character("a"))
            let message = try #require(state.message)
            let screen = Self.render(state, unicode: unicode)
            let spelled = unicode ? message : AsciiSpelling.text(message)
            let rows = (19...22).map { screen.text(row: $0) }
            let start = try #require(rows.firstIndex { $0.hasPrefix(" next run:") }, "\(screen.text)")
            #expect(
              Self.words(rows[start...].joined(separator: " ")) == Self.words(spelled), "\(screen.text)")
            #expect(screen.text(row: 23).contains("? help"))
          }
        }
      }
    }
    // Direct's multiply-adds are the network's own.
    var tiny = TourState(lessons: [])
    tiny.vgg.network = try #require(try BuiltInNetworks.named("tiny-vgg"))
    tiny.handle(.character("v"))
    tiny.handle(.character("a"))
    tiny.handle(.character("a"))
    let macs = ShapeTable.grouped(tiny.vgg.network.multiplyAdds)
    #expect(
      tiny.message?.contains("all \(macs) multiply-adds of a 64×64 image") == true, "\(tiny.message ?? "")")
  }

  @Test(
    "w's footer names what x/X choose as the report indexes it: conv's input channel c, fc's input unit j")
  func weightFooter() throws {
    let record = try VGGExplorerTests.record()
    let layers = record.parameters.architecture.layers
    let conv = try #require(layers.firstIndex { $0.kind == .convolution })
    let fc = try #require(layers.firstIndex { if case .fullyConnected = $0.kind { true } else { false } })
    for (layer, words, index) in [
      (conv, "x/X input channel c", "channel c"), (fc, "x/X input unit j", "input j"),
    ] {
      var explorer = VGGExplorer(layer: layer)
      explorer.active = true
      _ = explorer.handle(.character("w"), record: record)
      let report = try #require(explorer.lines).joined(separator: "\n")
      #expect(report.contains(index), "\(report)")  // the report's own name of the index x/X moves
      var screen = Screen(width: 80, height: 24)
      VGGExplorerView.explanation(explorer, on: &screen, top: 0, left: 0, rows: 24, columns: 78)
      #expect(screen.text(row: 23).contains(words), "\(screen.text(row: 23))")
      #expect(!screen.text(row: 23).contains("channel") || layer == conv)
    }
  }
}
