import ConvTourEngine
import Testing

@testable import ConvTourPresentation

/// Training on a dataset from the network screen (`--data`): the keys on the pure state, and the
/// panel rendered — curves, the batch's images, the test images misclassified first, the filters.
@Suite("Training on a dataset in the tour: keys and panel")
struct DatasetTrainTests {
  /// The network screen on its training panel, as `--data digits` opens it.
  func opened() -> TourState {
    var state = TourState(lessons: [])
    state.mode = .vgg
    state.vgg.dataset = DatasetTrainState(
      dataset: "digits", classNames: (0...9).map(String.init), trainCount: 1437, testCount: 360)
    state.vgg.showsRun = true
    state.vgg.showsTraining = true
    return state
  }

  /// A 16×16 grey thumbnail of value v.
  func example(_ index: Int, label: Int, predicted: Int, v: UInt8 = 200) -> DatasetTrainState.Example {
    .init(
      index: index, label: label, predicted: predicted, side: 16,
      picture: Array(repeating: v, count: 16 * 16 * 3))
  }

  @Test("settings before T (and shown), T trains with them; keys during training change them or pause")
  func keys() throws {
    var state = opened()
    for key in ["+", ")", "[", "[", ">"] { #expect(state.handle(.character(Character(key))) == nil) }
    let settings = DatasetTrainState.Settings(learningRate: 0.03, momentum: 0.95, batchSize: 8, epochs: 20)
    #expect(state.vgg.dataset?.settings == settings)
    #expect(state.handle(.character("T")) == .trainOnDataset(settings))
    #expect(state.vgg.dataset?.running == true)
    state.vgg.dataset?.status = .training
    // A setting key during training: from the next batch, no pause.
    #expect(
      state.handle(.character("-"))
        == .datasetTrainingSettings(.init(learningRate: 0.01, momentum: 0.95, batchSize: 8, epochs: 20)))
    #expect(state.vgg.dataset?.status == .training)
    // Any other key pauses, ? too; then keys wait, q quits.
    #expect(state.handle(.character("?")) == .pauseDatasetTraining)
    #expect(state.vgg.dataset?.status == .pausing)
    #expect(state.mode == .vgg)
    #expect(state.handle(.character("b")) == nil)
    #expect(state.handle(.character("q")) == .quit)
  }

  @Test("paused: ↑↓ choose a test image, b runs it (the maps view), T shows the panel, T again goes on")
  func paused() throws {
    var state = opened()
    state.vgg.dataset?.status = .paused
    state.vgg.dataset?.results = DatasetTrainState.ordered([
      example(0, label: 1, predicted: 1), example(1, label: 2, predicted: 7),
      example(2, label: 3, predicted: 3),
      example(3, label: 4, predicted: 9),
    ])
    #expect(state.vgg.dataset?.results.map(\.index) == [1, 3, 0, 2])  // misclassified first
    state.handle(.down)
    state.handle(.down)
    state.handle(.up)
    #expect(state.vgg.dataset?.selectedExample?.index == 3)
    #expect(state.handle(.character("b")) == .startVGGRun(backward: true))
    #expect(!state.vgg.showsTraining)
    state.vgg.run.status = .done(backward: true)
    #expect(state.handle(.character("T")) == nil)
    #expect(state.vgg.showsTraining)
    #expect(state.handle(.character("T")) == .trainOnDataset(.init()))
    #expect(state.vgg.dataset?.status == .training)
    // The job's progress keeps the keys' settings and choice.
    var progress = state.vgg.dataset!
    progress.settings = .init(learningRate: 1)
    progress.selected = 0
    state.vgg.dataset?.selected = 2
    let merged = DatasetTrainState.merged(progress, keys: state.vgg.dataset!)
    #expect(merged.settings == .init())
    #expect(merged.selected == 2)
  }

  @Test("training: the settings, the loss and accuracy curves per batch, the batch's images with predictions")
  func trainingPanel() throws {
    var state = opened()
    var data = state.vgg.dataset!
    data.status = .training
    data.epoch = 1
    data.examplesDone = 96
    data.losses = [2.3046, 2.2011, 1.9873]
    data.accuracies = [0.125, 0.25, 0.5]
    data.batch = [example(5, label: 8, predicted: 5), example(6, label: 5, predicted: 5)]
    state.vgg.dataset = data
    for (w, h) in [(120, 40), (80, 24)] {
      let screen = TourView.render(state, width: w, height: h, capabilities: Capabilities())
      let text = screen.text
      #expect(text.contains("Training vgg16 on digits: 1437 training · 360 test images"), "\(text)")
      #expect(text.contains("η = 0.01 (+/−) · μ = 0.9 (( )) · batch 32 ([ ]) · 10 epochs (< >)"))
      #expect(text.contains("epoch 1 · 96 of 1437 images · loss 1.9873 · batch accuracy 50.0 %"))
      #expect(text.contains("loss per batch"))
      #expect(text.contains("2.3046 ┤"))
      #expect(text.contains("1.9873 ┤"))
      #expect(text.contains("accuracy per batch (%)"))
      #expect(text.contains("50.0000 ┤"))
      #expect(text.contains("this batch: predicted / true"))
      #expect(text.contains("✗5/8"))
      #expect(text.contains(" 5/5"))
      #expect(text.contains("trained 3 batches on digits (T)"))
      // The thumbnails: half blocks in colour above their captions.
      let rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let caption = try #require(rows.firstIndex { $0.contains("✗5/8") })
      #expect(rows[caption - 1].contains("▀▀▀▀"))
    }
  }

  @Test(
    "paused: the test images misclassified first with predicted and true class, the first layer's filters")
  func pausedPanel() throws {
    var state = opened()
    var data = state.vgg.dataset!
    data.status = .paused
    data.epoch = 2
    data.examplesDone = 64
    data.losses = [2.3, 1.2]
    data.accuracies = [0.1, 0.6]
    data.results = DatasetTrainState.ordered([
      example(0, label: 1, predicted: 1), example(1, label: 3, predicted: 8),
      example(2, label: 3, predicted: 3),
    ])
    data.evaluated = 3
    data.filterLayer = "conv_1_1"
    data.filters = try Tensor32(shape: [2, 3, 3, 3], values: (0..<54).map { Float($0 % 7) - 3 })
    state.vgg.dataset = data
    let screen = TourView.render(state, width: 120, height: 40, capabilities: Capabilities())
    let text = screen.text
    #expect(text.contains("paused: epoch 2 · 64 of 1437 images · 1 of 3 test images wrong · T goes on"))
    #expect(text.contains("test: misclassified first, predicted / true (3 of 360)"))
    let rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let captions = try #require(rows.first { $0.contains("✗8/3") })
    // Misclassified first: test image 2 (8 for 3) before the two right ones.
    let wrong = try #require(captions.range(of: "✗8/3")).lowerBound
    let right = try #require(captions.range(of: " 1/1")).lowerBound
    #expect(wrong < right)
    #expect(text.contains("test image 2: predicted 8, true 3 · ↑↓ choose"))
    let heading = try #require(rows.firstIndex { $0.contains("conv_1_1's 2 filters (3×3×3)") })
    let column = try #require(rows[heading].range(of: "conv_1_1")).lowerBound.utf16Offset(in: rows[heading])
    // Each filter a picture in colour: two of them side by side under the heading.
    let cell = screen[heading + 1, column]
    #expect(cell.character == "▀")
    #expect(cell.style.foreground != .none)
    // Grey filters (one input channel) on the diverging scale, in ASCII too.
    data.filters = try Tensor32(shape: [4, 1, 3, 3], values: (0..<36).map { Float($0 % 5) - 2 })
    state.vgg.dataset = data
    let ascii = TourView.render(state, width: 80, height: 24, capabilities: Capabilities(unicode: false)).text
    #expect(ascii.contains("conv_1_1's 4 filters (1x3x3)"), "\(ascii)")
    #expect(ascii.contains("paused: epoch 2"))
    // At 80 columns every heading line is whole: long ones wrap at words, the test images' heading is
    // the short one.
    #expect(ascii.contains("SGD with momentum"), "\(ascii)")
    #expect(ascii.contains("T goes on"), "\(ascii)")
    #expect(ascii.contains("wrong first; predicted/true (3 of 360)"), "\(ascii)")
  }

  @Test("VGG-16's T: η and steps set before the first T (and said); during T they change it without stopping")
  func vggSettingsBeforeAndDuring() {
    var state = TourState(lessons: [])
    state.mode = .vgg
    #expect(state.handle(.character("+")) == nil)
    #expect(state.handle(.character(">")) == nil)
    #expect(state.vgg.message.map(Chrome.shown) == "next training: η = 0.03 · 20 steps (T trains)")
    #expect(state.handle(.character("T")) == .startVGGTraining(steps: 20, learningRate: 0.03))
    state.vgg.training.status = .training
    #expect(state.handle(.character("-")) == .vggTrainingSettings(steps: 20, learningRate: 0.01))
    #expect(state.handle(.character("<")) == .vggTrainingSettings(steps: 10, learningRate: 0.01))
    #expect(state.vgg.training.status == .training)
    #expect(state.handle(.character("x")) == .stopVGGTraining)
  }
}
