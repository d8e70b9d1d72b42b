import Foundation
import Testing

/// Signals that end a run outside the tour (issue 22 §5): the run stops at once — it does not
/// carry on and write its outputs — and no temporary file of a save under way is left behind.
@Suite("Signals outside the tour", .serialized)
struct SignalOutsideTourTests {
  /// Starts `convtour arguments` with standard output and error to files in `folder`.
  static func start(_ arguments: [String], in folder: String) throws -> Process {
    let process = Process()
    process.executableURL = Binary.url
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    FileManager.default.createFile(atPath: folder + "/out.txt", contents: nil)
    FileManager.default.createFile(atPath: folder + "/err.txt", contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: folder + "/out.txt")
    process.standardError = FileHandle(forWritingAtPath: folder + "/err.txt")
    try process.run()
    return process
  }

  /// Waits (up to 60 s) until a `.partial-` temporary file appears in `folder`.
  static func waitForPartial(in folder: String) -> Bool {
    for _ in 0..<3000 {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
      if names.contains(where: { $0.contains(".partial-") }) { return true }
      usleep(20_000)
    }
    return false
  }

  static func names(in folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
  }

  @Test(
    "SIGUSR1, SIGUSR2, SIGALRM and SIGQUIT during a save end it and leave no partial file",
    arguments: [SIGUSR1, SIGUSR2, SIGALRM, SIGQUIT])
  func signalDuringSave(_ signal: Int32) throws {
    try BadInputRun.withFolder { folder in
      let process = try Self.start(
        ["vgg16", "init", "--seed", "1", "--output", folder + "/w.safetensors"], in: folder)
      #expect(Self.waitForPartial(in: folder))
      kill(process.processIdentifier, signal)
      process.waitUntilExit()
      let ended =
        process.terminationReason == .uncaughtSignal
        ? process.terminationStatus == signal : process.terminationStatus == 128 + signal
      #expect(ended, "status \(process.terminationStatus) (\(process.terminationReason))")
      #expect(Self.names(in: folder) == ["err.txt", "out.txt"], "left: \(Self.names(in: folder))")
    }
  }

  @Test("SIGPIPE during a save lets the save finish: the file is written and the status is 0")
  func closedPipeDuringSave() throws {
    try BadInputRun.withFolder { folder in
      let path = folder + "/w.safetensors"
      let process = try Self.start(["vgg16", "init", "--seed", "1", "--output", path], in: folder)
      #expect(Self.waitForPartial(in: folder))
      kill(process.processIdentifier, SIGPIPE)
      process.waitUntilExit()
      #expect(process.terminationReason == .exit && process.terminationStatus == 0)
      #expect(Self.names(in: folder) == ["err.txt", "out.txt", "w.safetensors"])
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      #expect(size == 553_433_072, "the weights file is \(size) bytes")
    }
  }

  @Test("SIGQUIT during vgg16 train ends it with 131: no crash report, the saved weights left as they were")
  func quitDuringTraining() throws {
    try BadInputRun.withFolder { folder in
      let path = folder + "/w.safetensors"
      try Data("old".utf8).write(to: URL(fileURLWithPath: path))
      let process = try Self.start(
        [
          "vgg16", "train", "--size", "32", "--steps", "2", "--lr", "0.001", "--labels", "1",
          "--save-weights", path,
        ], in: folder)
      // Under way (two steps take seconds; before the fix the run carried on and saved).
      usleep(1_500_000)
      kill(process.processIdentifier, SIGQUIT)
      process.waitUntilExit()
      #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGQUIT)
      let err = (try? String(contentsOfFile: folder + "/err.txt", encoding: .utf8)) ?? ""
      #expect(!err.contains("crashed") && !err.contains("Backtrac"), "\(err)")
      #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "old")
    }
  }

  @Test("SIGQUIT during vgg16 run --backward ends it with 131 before its table is printed")
  func quitDuringRun() throws {
    try BadInputRun.withFolder { folder in
      let process = try Self.start(
        ["vgg16", "run", "--backward", "--size", "64", "--batch", "4", "--labels", "1", "2", "3", "4"],
        in: folder)
      usleep(800_000)
      kill(process.processIdentifier, SIGQUIT)
      process.waitUntilExit()
      #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGQUIT)
      let out = (try? String(contentsOfFile: folder + "/out.txt", encoding: .utf8)) ?? ""
      #expect(!out.contains("fc8"), "the run carried on:\n\(out)")
    }
  }
}
