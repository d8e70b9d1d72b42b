import ArgumentParser
import Foundation

extension ConvTour {
  /// The entry point (instead of ArgumentParser's own): parses, runs, and ends with the README's
  /// exit codes — 0, 1 for a failed check, 2 for every bad input including a mistake on the
  /// command line (ArgumentParser would say 64) — with every error one line starting
  /// `convtour: ` that says where to look; standard output is checked before the status is given.
  /// (ArgumentParser's `main(_:)`, replaced; `main()` in ConvTour.swift calls it with the
  /// arguments left once the tour's own are taken out.)
  static func main(_ arguments: [String]?) {
    SafeOutput.start()
    let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
    var status: Int32 = 0
    do {
      try CommandLineErrors.checkHelpTopic(arguments)
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch {
      status = CommandLineErrors.report(error, arguments: arguments)
    }
    SafeOutput.finish(status: status)
  }
}

/// What to print and which status to give for an error that reached the entry point.
enum CommandLineErrors {
  static func report(_ error: Error, arguments: [String]) -> Int32 {
    if let exit = error as? ExitCode { return exit.rawValue }
    let code = ConvTour.exitCode(for: error)
    if code == .success {  // --help, help SUBCOMMAND: the help text, on standard output
      print(ConvTour.fullMessage(for: error))
      return 0
    }
    let message = ConvTour.message(for: error)
    if code == .validationFailure || error is ValidationError {
      var full = ConvTour.fullMessage(for: error)
      // An error thrown by a subcommand's run (not its parsing) comes with the root's usage.
      if helpCommand(full) == "convtour --help" { full = "See '\(commandPath(arguments)) --help'" }
      printError(usageLine(message, full: full, arguments: arguments))
    } else {
      // An error thrown by a command (a file it could not read or write): it names the file.
      let text = "\(error)"
      printError(text.hasPrefix("convtour: ") ? text : "convtour: \(text)")
    }
    return 2
  }

  /// "convtour: missing value for '--batch <batch>'; see 'convtour vgg16 run --help'".
  static func usageLine(_ message: String, full: String, arguments: [String]) -> String {
    var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
    text = text.split(separator: "\n").first.map(String.init) ?? text
    if let option = missingValueOption(text), let value = negativeValue(after: option, in: arguments) {
      // No option takes a negative number (sizes, counts, seeds, η, μ, λ): say so, and suggest
      // nothing that would then fail (`--lr=-1` is refused too).
      text = "\(option) \(value): a negative number is not allowed here"
    }
    if let first = text.first, first.isUppercase, text.dropFirst().first?.isLowercase == true {
      text = first.lowercased() + text.dropFirst()
    }
    if text.hasSuffix(".") { text.removeLast() }
    return "convtour: \(text); see '\(helpCommand(full))'"
  }

  /// The option named by "Missing value for '--batch <batch>'".
  static func missingValueOption(_ text: String) -> String? {
    guard text.hasPrefix("Missing value for '"), let start = text.firstIndex(of: "'") else { return nil }
    let rest = text[text.index(after: start)...]
    return rest.split(whereSeparator: { $0 == " " || $0 == "'" }).first.map(String.init)
  }

  /// The argument after `option` when it is a negative number (ArgumentParser takes "-1" for an
  /// option name and reports the value as missing).
  static func negativeValue(after option: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: option), index + 1 < arguments.count else { return nil }
    let next = arguments[index + 1]
    return next.hasPrefix("-") && Double(next) != nil ? next : nil
  }

  /// `convtour help nope`: ArgumentParser would print the root's help and exit 0.
  static func checkHelpTopic(_ arguments: [String]) throws {
    guard arguments.first == "help" else { return }
    let topic = arguments.dropFirst().prefix { !$0.hasPrefix("-") }
    let path = commandPath(Array(topic))
    let known = path.split(separator: " ").count - 1
    if known < topic.count {
      let name = topic[topic.startIndex + known]
      throw UsageError("no command '\(name.prefix(80))' to help with; see '\(path) --help' for the commands")
    }
  }

  /// "convtour vgg16 table": the subcommands named at the start of the arguments.
  static func commandPath(_ arguments: [String]) -> String {
    var path = ["convtour"]
    var commands: [any ParsableCommand.Type] = ConvTour.configuration.subcommands
    for argument in arguments {
      guard let next = commands.first(where: { $0._commandName == argument }) else { break }
      path.append(argument)
      commands = next.configuration.subcommands
    }
    return path.joined(separator: " ")
  }

  /// The help command ArgumentParser suggests ("convtour vgg16 run --help"), or the root's.
  static func helpCommand(_ full: String) -> String {
    guard let range = full.range(of: "See '"), let end = full[range.upperBound...].firstIndex(of: "'")
    else { return "convtour --help" }
    let suggested = String(full[range.upperBound..<end])
    return suggested.hasPrefix("convtour help ")
      ? "convtour " + suggested.dropFirst("convtour help ".count) + " --help" : suggested
  }
}
