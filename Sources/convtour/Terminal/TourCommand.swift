import ArgumentParser
import ConvTourLessons
import ConvTourPresentation
import Foundation

/// Runs the full-screen tour, or says why it cannot and what to do instead.
@MainActor
enum Tour {
  /// The tour on this terminal, starting in `mode` (a lesson when `lesson` is given).
  /// Returns false when this is not an interactive terminal.
  static func run(
    lessonsFolder: String?, budget: LessonBudget = .withElements, lesson: String? = nil,
    mode: TourState.Mode = .menu, inputs options: TourInputOptions? = nil
  ) throws -> Bool {
    guard TerminalSession.interactive() else { return false }
    let inputs: TourInputs
    // (A ParsableArguments made with init() has no values: the empty one is parsed.)
    do { inputs = try (options ?? TourInputOptions.parse([])).load() } catch let said as ExitCode {
      throw said  // its line is printed already
    } catch {
      printError("convtour: \(error)")
      throw ExitCode(2)
    }
    let library: LessonLibrary
    do { library = try LessonLibrary.load(explicit: lessonsFolder, budget: budget) } catch {
      printError("\(error)")
      throw ExitCode(2)
    }
    var state = TourState(
      lessons: library.lessons, problems: library.errors.map(\.description) + library.allWarnings)
    state.lessonWarnings = library.warnings
    state.mode = mode
    state.vgg.network = inputs.network
    state.vgg.classNames = inputs.classNames
    state.vgg.source = inputs.source
    // Given an image or weights, the tour opens where they are used; given a dataset, on the
    // training panel.
    if mode == .menu, !inputs.source.images.isEmpty || inputs.source.weights != nil || inputs.dataset != nil {
      state.mode = .vgg
      state.vgg.showsRun = true
    }
    if let dataset = inputs.dataset {
      state.vgg.dataset = dataset.initialState
      // The dataset's class names (CIFAR-10's, a folder's), unless --class-names gave others.
      if options?.classNamesOption.classNames == nil, dataset.classNames.count == inputs.network.classes {
        state.vgg.classNames = dataset.classNames
      }
      state.vgg.showsTraining = true
    }
    if let lesson, !state.open(id: lesson) {
      // Why it is not there: the files that did not load (over --max-memory, malformed…), then
      // the lessons that did, as `check` and `trace` say it.
      library.reportErrors()
      do { _ = try library.select([lesson]) } catch { printError("\(error)") }
      throw ExitCode(2)
    }
    guard let session = TerminalSession() else { return false }
    defer { session.close() }
    var job: VGGJob?
    var trainJob: VGGTrainJob?
    var datasetJob: DatasetTrainJob?
    // Every worker stopped and waited for before the tour leaves: exit() tearing the libraries
    // down (OpenBLAS's buffers) under a worker still inside them crashed (exit 139).
    func stopWorkers() {
      job?.cancel()
      trainJob?.cancel()
      datasetJob?.cancel()
      job?.join()
      trainJob?.join()
      datasetJob?.join()
    }
    var quit = false
    // The clock of a lesson's played epochs: one frame every `frame` nanoseconds.
    let frame = UInt64(1_000_000_000 / LessonScreenState.playFramesPerSecond)
    var lastFrame: UInt64 = 0
    while !quit, session.terminatingSignal == nil {
      if state.playing {
        let now = DispatchTime.now().uptimeNanoseconds
        if now - lastFrame >= frame {
          state.tick()
          lastFrame = now
        }
      }
      // A VGG-16 run under way: copy its progress into the state.
      if let running = job {
        let (snapshot, finished) = running.snapshot()
        state.vgg.run = snapshot
        if finished { job = nil }
      }
      if let training = trainJob {
        let (snapshot, finished) = training.snapshot()
        state.vgg.training = snapshot
        if finished { trainJob = nil }
      }
      if let training = datasetJob, let shown = state.vgg.dataset {
        let (snapshot, finished) = training.snapshot()
        state.vgg.dataset = DatasetTrainState.merged(snapshot, keys: shown)
        if finished { datasetJob = nil }
      }
      let (width, height) = session.size
      session.show(TourView.render(state, width: width, height: height, capabilities: session.capabilities))
      // A terminal that has gone away answers at once with no key, forever: leave then.
      if session.disconnected { break }
      let idle = job == nil && trainJob == nil && datasetJob == nil
      let timeout: Int32 = state.playing ? Int32(frame / 1_000_000) : idle ? 250 : 40
      guard let key = session.key(timeout: timeout) else { continue }
      if width < TourView.minimumWidth || height < TourView.minimumHeight {
        quit = key == .character("q") || key == .escape
        continue
      }
      // What the key asks beyond changing the state.
      switch state.handle(key) {
      case .quit: quit = true
      case .startVGGRun(let backward):
        guard job == nil else { break }
        var run = inputs
        // On a dataset, the runs are of the chosen test image (the first before any evaluation).
        if let data = inputs.dataset, data.test.count > 0 {
          run = data.testInputs(
            state.vgg.dataset?.selectedExample?.index ?? 0, weights: inputs.source.weights,
            network: inputs.network)
          state.vgg.source = run.source
        }
        job = VGGJob(backward: backward, inputs: run, algorithm: state.vgg.algorithm)
      case .cancelVGGRun: job?.cancel()
      case .startVGGTraining(let steps, let learningRate):
        if job == nil, trainJob == nil {
          trainJob = VGGTrainJob(
            steps: steps, learningRate: learningRate, state: state.vgg.training, inputs: inputs,
            algorithm: state.vgg.algorithm)
        }
      case .stopVGGTraining: trainJob?.stop()
      case .vggTrainingSettings(let steps, let learningRate):
        trainJob?.update(steps: steps, learningRate: learningRate)
      case .trainOnDataset(let settings):
        if let running = datasetJob {
          running.resume(settings)
        } else if job == nil, let data = inputs.dataset, let shown = state.vgg.dataset {
          datasetJob = DatasetTrainJob(
            data: data, inputs: inputs, state: shown, algorithm: state.vgg.algorithm)
        }
      case .pauseDatasetTraining: datasetJob?.pause()
      case .datasetTrainingSettings(let settings): datasetJob?.update(settings)
      case nil: break
      }
    }
    stopWorkers()
    if let signal = session.terminatingSignal {
      session.close()
      exit(128 + signal)
    }
    return true
  }

  static let hint = """
    ConvTour's tour needs an interactive terminal (standard input and output a terminal, TERM set).
    Here, use the text commands:
      convtour lessons          the lessons
      convtour trace ID         a lesson step by step (--detail element for every multiply-add)
      convtour check            every number of the documents, checked
      convtour vgg16 table      VGG-16's layer shapes
      convtour --help           everything
    """
}

/// `convtour show ID`: one lesson in the tour; its text trace when there is no terminal.
struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Open a lesson in the terminal tour (its text trace when not on a terminal).")

  @OptionGroup var options: LessonOptions

  @Argument(help: "The lesson's id.")
  var id: String

  mutating func run() throws {
    let folder = options.lessons
    let id = self.id
    let budget = options.budget
    let shown = try MainActor.assumeIsolated {
      try Tour.run(lessonsFolder: folder, budget: budget, lesson: id, mode: .lesson)
    }
    if shown { return }
    // The trace under the same limits as the tour would have been.
    let limits = [
      "--max-memory", "\(options.maxMemory.bytes)B", "--max-operations", "\(options.maxOperations.count)",
    ]
    var trace = try TraceCommand.parse([id] + (folder.map { ["--lessons", $0] } ?? []) + limits)
    try trace.run()
  }
}
