import ConvTourEngine
import ConvTourLessons
import Testing

@testable import ConvTourPresentation

/// Stepping into a finished VGG-16 run (a shrunk one: 32×32, a few channels): the cursor, the
/// explanation, and the pictures and summary drawn into cells.
@Suite("VGG-16 explorer")
struct VGGExplorerTests {
  static func record(backward: Bool = true) throws -> VGGRunRecord {
    let a = try VGG16Architecture(size: 32, widths: [3, 4, 4, 5, 6], hidden: 7, classes: 5)
    var tensors = VGG16Parameters.random(a, seed: 5).tensors
    var random = SeededRandom(seed: 2)
    for (name, t) in tensors {
      let scale: Float = name.hasSuffix("bias") ? 0.1 : name.hasPrefix("classifier") ? 30 : 1
      tensors[name] =
        name.hasSuffix("bias")
        ? Tensor32(Tensor.random(t.shape, using: &random).map { $0 * 0.1 })
        : try Tensor32(shape: t.shape, values: t.values.map { $0 * scale })
    }
    let parameters = try VGG16Parameters(architecture: a, tensors: tensors)
    let x = Tensor32(Tensor.random([1, 3, 32, 32], using: &random))
    let recorder = VGG16Recorder()
    let result = try VGG16Network(parameters: parameters).run(
      x, labels: [2], backward: backward, observer: recorder.record)
    let preview = (0..<(32 * 32 * 3)).map { UInt8($0 % 256) }
    return try VGGRunRecord(
      source: .init(labels: [2], preview: preview), parameters: parameters, x: x, labels: [2],
      recorder: recorder,
      result: result, backward: backward)
  }

  @Test("arrows move the cursor inside the layer; s explains the element; the terms add up to it")
  func cursorAndExplanation() throws {
    let record = try Self.record()
    var explorer = VGGExplorer(layer: 1)  // conv1_2: [1, 3, 32, 32]
    let inactive = explorer.handle(.right, record: record)
    #expect(!inactive)  // inactive: the screen's key
    explorer.active = true
    for key in [Key.right, .right, .down, .up, .up, .left, .left, .left, .character("c")] {
      let handled = explorer.handle(key, record: record)
      #expect(handled)
    }
    #expect(explorer.index(in: [1, 3, 32, 32]) == [0, 1, 0, 0])  // clamped at the top-left corner
    for _ in 0..<40 { _ = explorer.handle(.down, record: record) }
    #expect(explorer.row == 31)
    _ = explorer.handle(.character("s"), record: record)
    let text = try #require(explorer.lines).joined(separator: "\n")
    #expect(text.contains("conv1_2 (a⁽²⁾), example 1, element [2, 32, 1]"))
    #expect(text.contains("Σ_l,m s[3, ·, ·]·W[2, 3, ·, ·]"))
    #expect(text.contains("a = max{z, 0} = "))
    #expect(text.contains("δ = ∂J/∂(conv1_2 output)"))
    #expect(text.contains("through pool1"))
    // The running total's last entry (the bias row) is z.
    let forward = try VGG16Explain.forward(
      record.parameters, layer: 1, input: record.input(of: 1)!, output: record.recorder.outputs[1]!,
      at: [0, 1, 31, 0])
    let totalLine = try #require(explorer.lines!.first { $0.contains("b[2]") })
    #expect(totalLine.hasSuffix(NumberFormat.significant(forward.explanation.value)))
    // o orders by magnitude, x expands a channel into its 9 products, Esc closes.
    _ = explorer.handle(.character("x"), record: record)
    #expect(explorer.lines!.filter { $0.hasPrefix("      s[") }.count == 9)
    // w: the weight from the expanded input channel 1 to filter 2 (the cursor's channel).
    _ = explorer.handle(.character("w"), record: record)
    #expect(explorer.lines!.first!.hasPrefix("∂J/∂W[2, 1, 2, 2] of conv1_2"))
    // As `explain --weight` prints it: the fast path's Float32 value beside the Double sum.
    let fastLine = try #require(explorer.lines!.first { $0.hasPrefix("the fast path's ∂J/∂W ") })
    #expect(fastLine.contains("(Float32): difference "))
    _ = explorer.handle(.escape, record: record)
    #expect(explorer.lines == nil && explorer.active)
    _ = explorer.handle(.escape, record: record)
    #expect(!explorer.active)
  }

  @Test("the map shows the cursor and a legend; the explanation wraps and says how to scroll")
  func drawn() throws {
    let record = try Self.record()
    var explorer = VGGExplorer(layer: 1)
    explorer.active = true
    (explorer.row, explorer.column) = (31, 31)
    var screen = Screen(width: 80, height: 24)
    let used = VGGExplorerView.map(
      explorer, record, gradient: false, on: &screen, top: 0, left: 0, rows: 18, columns: 40)
    #expect(used > 2)
    #expect(screen.text(row: 0) == "conv1_2 output, channel 1 of 3")
    #expect(screen.text(row: 1).hasPrefix("[1, 32, 32] = (32, 32, 1) = "))
    #expect(screen.text.contains("◆"))
    // A cursor left at row 32 of conv1_2 stays inside pool5's 1×1 map.
    var pool5 = explorer
    pool5.layer = 17
    VGGExplorerView.map(pool5, record, gradient: true, on: &screen, top: 0, left: 0, rows: 18, columns: 40)
    #expect(screen.text(row: 1).hasPrefix("[1, 1, 1] = (1, 1, 1) = "))
    _ = explorer.handle(.character("s"), record: record)
    var narrow = Screen(width: 50, height: 20)
    VGGExplorerView.explanation(explorer, on: &narrow, top: 0, left: 0, rows: 20, columns: 50)
    #expect(narrow.text(row: 19) == "lines 1–19 of 47 · Esc back")  // the keys that fit in 50 columns
    #expect(narrow.text(row: 1).hasPrefix("    "))  // the first line, too long, continues indented
  }

  @Test("the summary: top-5 with names and probabilities, the loss, input and saliency")
  func summary() throws {
    let record = try Self.record()
    var screen = Screen(width: 80, height: 24)
    VGGExplorerView.summary(
      record, classNames: ["tench", "goldfish", "shark", "ray", "hen"], on: &screen, top: 0, left: 0,
      rows: 24, columns: 80)
    #expect(screen.text(row: 0).hasPrefix("seeded input · seeded weights · label 2"))
    #expect(screen.text.contains("%  2  shark") || screen.text.contains("  2  shark"))
    #expect(screen.text.contains("loss J = −log ŷ(label) = "))
    #expect(screen.text.contains("saliency max_c |∂J/∂x|"))
    #expect(record.keptBytes > 0)
  }
}

@Suite("VGG-16 run view after a run")
struct VGGRunViewTests {
  @Test("g shows a grid of channels with the selected one marked; s then steps into an element")
  func gridAndStepIn() throws {
    var state = TourState(lessons: [])
    state.mode = .vgg
    state.vgg.showsRun = true
    var run = VGGRunState()
    run.record = try VGGExplorerTests.record()
    run.status = .done(backward: true)
    state.vgg.run = run
    state.vgg.selected = 1
    state.handle(.character("c"))
    state.handle(.character("g"))
    var screen = TourView.render(state, width: 120, height: 40, capabilities: Capabilities())
    #expect(screen.text.contains("channels 1–3 of 3 · c/C move · g enlarge"))
    let label = try #require(screen.cells.firstIndex { $0.character == "c" && $0.style == .output })
    #expect(screen.text(row: label / 120).contains("c2"))
    state.handle(.character("g"))
    state.handle(.character("s"))  // the cursor on the map
    state.handle(.character("s"))  // its element explained
    screen = TourView.render(state, width: 120, height: 40, capabilities: Capabilities())
    #expect(screen.text.contains("conv1_2 (a⁽²⁾), example 1, element [2, 1, 1]"))
    #expect(screen.text.contains("it reads conv1_1"))
  }
}

@Suite("VGG-16 run view at 80×24")
struct VGGRunViewNarrowTests {
  @Test("the table leaves out the times; headings wrap; hints and legends are whole")
  func narrow() throws {
    var state = TourState(lessons: [])
    state.mode = .vgg
    state.vgg.showsRun = true
    var run = VGGRunState()
    run.record = try VGGExplorerTests.record()
    run.status = .done(backward: true)
    run.gradientNorms = run.record!.gradientNorms
    state.vgg.run = run
    state.vgg.selected = 1
    let screen = TourView.render(state, width: 80, height: 24, capabilities: Capabilities())
    #expect(screen.text(row: 2).hasPrefix(" layer     output      progress  ‖∂J/∂W‖₂"))
    #expect(!screen.text.contains("fwd ms"))
    #expect(screen.text(row: 23).hasSuffix("? help · q quit"))  // whole: the key table's hints, cut to fit
    // Each legend ends with its number, whole: the diverging one has its 0 in the middle.
    let legends = (0..<24).map { screen.text(row: $0) }.filter { $0.contains("█ 0 █") }
    #expect(legends.count == 1)
    #expect(legends.allSatisfy { $0.last?.isNumber == true })
  }
}
