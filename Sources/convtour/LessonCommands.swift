import ArgumentParser
import ConvTourIO
import ConvTourLessons
import ConvTourPresentation
import Foundation

/// Options every lesson command shares.
struct LessonOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The folder of lesson files.",
      discussion:
        "Without it: $CONVTOUR_LESSONS, then the repository's Lessons/, then the installed share folder."),
    completion: .directory)
  var lessons: String?

  @Option(help: "The most memory a lesson may need, estimated before it runs (e.g. 512MB, 4GB).")
  var maxMemory = ByteCount(LessonBudget.defaultMemory)

  @Option(help: "The most operations a lesson may take, estimated before it runs (e.g. 5e9).")
  var maxOperations = OperationCount(LessonBudget.defaultOperations)

  /// The tour's budget: every lesson it opens is estimated against --max-memory and
  /// --max-operations, element traces included (the tour steps into elements).
  var budget: LessonBudget {
    LessonBudget(memory: maxMemory.bytes, operations: maxOperations.count, elements: true)
  }

  /// The library, with load errors printed; exits 2 when there are none to work with.
  /// `elements`: the budget counts every element traced (`trace --detail element`).
  /// `outputBytesPerValue`: what printing each value holds (JSON and `--full` traces).
  func library(elements: Bool = false, outputBytesPerValue: Double = 0) throws -> LessonLibrary {
    do {
      let budget = LessonBudget(
        memory: maxMemory.bytes, operations: maxOperations.count, elements: elements,
        outputBytesPerValue: outputBytesPerValue)
      let library = try LessonLibrary.load(explicit: lessons, budget: budget)
      library.reportErrors()
      return library
    } catch let error as LessonLibrary.NotFound {
      printError(error.description)
      throw ExitCode(2)
    }
  }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// `convtour lessons`: id, title, source, number of steps.
struct LessonsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lessons", abstract: "List the lessons: id, title, source and number of steps.")

  @OptionGroup var options: LessonOptions

  mutating func run() throws {
    let library = try options.library()
    let idWidth = library.lessons.map(\.id.count).max() ?? 2
    for lesson in library.lessons {
      let id = lesson.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
      let steps = "\(lesson.steps.count) step\(lesson.steps.count == 1 ? "" : "s")"
      print("\(id)  \(lesson.title)  (\(steps))")
      print("\(String(repeating: " ", count: idWidth))  \(lesson.source)")
    }
    if !library.errors.isEmpty { throw ExitCode(2) }
  }
}

/// Runs lessons, turning a step's engine error into a printed lesson error.
func runLessons(_ lessons: [Lesson]) -> (runs: [LessonRun], errors: [LessonError]) {
  var runs: [LessonRun] = []
  var errors: [LessonError] = []
  for lesson in lessons {
    do {
      runs.append(try LessonRun(lesson))
    } catch let error as LessonError {
      errors.append(error)
    } catch {
      errors.append(LessonError(SourceLocation(file: lesson.file, line: 1, column: 1), "\(error)"))
    }
  }
  return (runs, errors)
}

/// `convtour check`: every expectation as pass, fail or erratum.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check the lessons' numbers against the documents.",
    discussion: """
      Exit status: 0 when every expectation holds or is a recorded erratum, 1 when one fails, \
      2 when a lesson file is malformed or does not run.
      """)

  @OptionGroup var options: LessonOptions

  @Argument(help: "Lesson ids (all lessons when none are given).")
  var ids: [String] = []

  @Option(help: "text or json.")
  var format: OutputFormat = .text

  mutating func run() throws {
    let library = try options.library()
    let selected: [Lesson]
    do { selected = try library.select(ids) } catch let error as UsageError {
      printError(error.description)
      throw ExitCode(2)
    }
    library.reportWarnings(for: selected)
    let (runs, runErrors) = runLessons(selected)
    for error in runErrors { printError(error.description) }
    let results = runs.flatMap(Checker.check)
    switch format {
    case .text: print(CheckReport.text(results, lessons: runs.map(\.lesson)), terminator: "")
    case .json: print(CheckReport.json(results).rendered(), terminator: "")
    }
    // A malformed file counts when all lessons are checked; with ids, only the named ones do.
    let malformed = results.contains { $0.status == .invalid }
    for result in results where result.status == .invalid {
      printError("\(result.expectation.location): \(result.message)")
    }
    if (ids.isEmpty && !library.errors.isEmpty) || !runErrors.isEmpty || malformed { throw ExitCode(2) }
    if results.contains(where: { $0.status == .fail }) { throw ExitCode(1) }
  }
}

/// `convtour trace`: the steps of a lesson with every tensor, as text or JSON.
struct TraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace", abstract: "Print the step trace of a lesson (or all) as text or JSON.")

  @OptionGroup var options: LessonOptions

  @Argument(help: "A lesson id, or all.")
  var id: String

  @Option(help: "op: one step per operation; element: also every output element with its terms.")
  var detail: TextTrace.Detail = .op

  @Option(help: "text or json.")
  var format: OutputFormat = .text

  @Flag(
    help:
      "Print every value of every tensor (tensors of over 10,000 values are otherwise summarised), and at --detail element every element of every step (otherwise the first 1,000)."
  )
  var full = false

  @Option(
    name: .shortAndLong, help: "Write the trace to this file instead of standard output.", completion: .file()
  )
  var output: String?

  mutating func run() throws {
    try Limits.output(output, option: "--output")
    // A JSON value and its text hold about 80 bytes a number; a full text trace about 16.
    let perValue: Double = format == .json ? 80 : full ? 16 : 0
    let library = try options.library(elements: detail == .element, outputBytesPerValue: perValue)
    let selected: [Lesson]
    do { selected = try library.select([id]) } catch let error as UsageError {
      printError(error.description)
      throw ExitCode(2)
    }
    library.reportWarnings(for: selected)
    let (runs, runErrors) = runLessons(selected)
    for error in runErrors { printError(error.description) }
    var text = ""
    do {
      switch format {
      case .text:
        let trace = TextTrace(detail: detail, full: full)
        text = try runs.map { try trace.render($0) }.joined(separator: "\n")
      case .json:
        let trace = JSONTrace(detail: detail, full: full)
        let traces = try runs.map { try trace.value($0) }
        text = (id == "all" ? JSONValue.object([("lessons", .array(traces))]) : traces.first ?? .null)
          .rendered()
      }
    } catch {
      printError("convtour: \(error)")
      throw ExitCode(2)
    }
    if let output {
      do {
        try OutputFile.write(Array(text.utf8), to: output)
      } catch {
        printError("convtour: --output \(output): \(error)")
        throw ExitCode(2)
      }
    } else {
      print(text, terminator: "")
    }
    if (id == "all" && !library.errors.isEmpty) || !runErrors.isEmpty { throw ExitCode(2) }
  }
}

extension TextTrace.Detail: ExpressibleByArgument {}
