import Testing

/// The real binary, run as a user would from a shell.
@Suite("The convtour command line")
struct CommandLineTests {
  @Test("with no arguments it says what it can do")
  func overview() throws {
    let result = try Binary.run([])
    #expect(result.status == 0)
    #expect(result.stdout.contains("convtour ops"))
    #expect(result.stderr.isEmpty)
  }

  @Test("--help lists only subcommands that work")
  func help() throws {
    let result = try Binary.run(["--help"])
    #expect(result.status == 0)
    let section =
      (result.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? "")
      .components(separatedBy: "See 'convtour help").first ?? ""
    let listed = section.split(separator: "\n").compactMap { line -> String? in
      let words = line.split(separator: " ")
      return line.hasPrefix("  ") && !line.hasPrefix("   ") && !words.isEmpty ? String(words[0]) : nil
    }
    // Each listed subcommand does its job (trace needs a lesson id).
    // (bench and vgg16 run are exercised by the release-build tests: a debug VGG-16 is slow.)
    let invocations = [
      "lessons": ["lessons"], "check": ["check"], "trace": ["trace", "softmax"], "ops": ["ops"],
      "vgg16": ["vgg16", "table"], "bench": ["bench", "vgg16", "--help"], "show": ["show", "softmax"],
      "net": ["net", "table", "--network", "tiny-vgg"],
    ]
    #expect(listed == ["show", "lessons", "check", "trace", "vgg16", "net", "bench", "ops"])
    for subcommand in listed {
      let arguments = invocations[subcommand] ?? [subcommand]
      #expect(try Binary.run(arguments).status == 0, "\(arguments) fails")
    }
  }

  @Test("ops --check checks every backward against finite differences")
  func opsCheck() throws {
    let result = try Binary.run(["ops", "--check"])
    #expect(result.status == 0, "\(result.stderr)")
    for name in ["pad", "conv2d", "relu", "maxpool", "meanpool", "fc", "softmax", "cross_entropy"] {
      #expect(result.stdout.contains("\(name)("), "\(name) missing")
    }
    #expect(result.stdout.contains("Largest relative error against finite differences"))
  }

  @Test("an unknown subcommand or option is a clear error, not a crash")
  func badArguments() throws {
    let result = try Binary.run(["ops", "--no-such-option"])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("convtour: unknown option"))
  }

  @Test("help for a command that does not exist is an error, not the overview with status 0")
  func helpUnknownCommand() throws {
    let unknown = try Binary.run(["help", "nope"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.hasPrefix("convtour: no command 'nope' to help with; see 'convtour --help'"))
    let nested = try Binary.run(["help", "vgg16", "nope"])
    #expect(nested.status == 2)
    #expect(nested.stderr.contains("see 'convtour vgg16 --help'"))
    let known = try Binary.run(["help", "vgg16", "run"])
    #expect(known.status == 0)
    #expect(known.stdout.contains("USAGE: convtour vgg16 run"))
  }
}
