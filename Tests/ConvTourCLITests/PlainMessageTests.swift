import Foundation
import Testing

@testable import convtour

/// Messages that blamed the wrong thing or said nothing (issue 22 §5 "Messages").
@Suite("Plain messages for bad input")
struct PlainMessageTests {
  @Test("an empty or 0-d .npy is blamed on the file, not on --batch")
  func emptyArrays() throws {
    try BadInputRun.withFolder { folder in
      let empty = folder + "/empty.npy"
      try BadInputRun.npyHeader([0, 3, 32, 32]).write(to: URL(fileURLWithPath: empty))
      let zeroD = folder + "/zero-d.npy"
      var scalar = BadInputRun.npyHeader([])
      scalar.append(contentsOf: [0, 0, 0, 0])
      try scalar.write(to: URL(fileURLWithPath: zeroD))
      let first = try BadInputRun.run(["vgg16", "run", "--size", "32", "--input", empty])
      #expect(first.status == 2)
      #expect(
        first.stderr == "convtour: \(empty): an empty array (shape [0, 3, 32, 32]): no examples to run\n")
      let second = try BadInputRun.run(["vgg16", "run", "--size", "32", "--input", zeroD, "--batch", "2"])
      #expect(second.status == 2)
      #expect(second.stderr == "convtour: \(zeroD): a 0-d array (shape ()), not images [M, C, H, W]\n")
    }
  }

  @Test("convtour --image BAD off a terminal reads the image and fails with 2, naming it")
  func badImageOffTerminal() throws {
    try BadInputRun.withFolder { folder in
      let path = folder + "/bad.png"
      try Data([0xFF, 0xD8]).write(to: URL(fileURLWithPath: path))
      let result = try BadInputRun.run(["--image", path])
      #expect(result.status == 2)
      #expect(result.stderr.hasPrefix("convtour: \(path): truncated JPEG"), "\(result.stderr)")
      #expect(result.stdout.isEmpty)
    }
  }

  @Test(
    "convtour --data BAD (and --network BAD) off a terminal reads the dataset and fails with 2 in one line",
    arguments: [
      (
        ["--network", "tiny-vgg", "--data", "{folder}/missing"],
        "convtour: {folder}/missing: no such file or folder"
      ),
      (["--network", "tiny-vgg", "--data", "{folder}"], "convtour: {folder}: no class folders"),
      (["--network", "{folder}/missing.net"], "convtour: unknown network {folder}/missing.net"),
    ])
  func badDatasetOffTerminal(arguments: [String], said: String) throws {
    try BadInputRun.withFolder { folder in
      try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/readme.txt"))
      let result = try BadInputRun.run(
        arguments.map { $0.replacingOccurrences(of: "{folder}", with: folder) })
      #expect(result.status == 2)
      let line = said.replacingOccurrences(of: "{folder}", with: folder)
      #expect(result.stderr.hasPrefix(line), "\(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1)
      #expect(result.stdout.isEmpty)
    }
  }

  @Test("TERM=dumb on a terminal is told its terminal cannot draw the tour, not that it is not on one")
  func dumbTerminal() {
    let dumb = TerminalNeed.whyNot(input: true, output: true, term: "dumb")
    #expect(dumb.hasPrefix("Here TERM=dumb: a terminal that cannot move the cursor"))
    #expect(!dumb.contains("not on a terminal"))
    #expect(TerminalNeed.whyNot(input: true, output: true, term: nil).contains("TERM is not set"))
    #expect(TerminalNeed.whyNot(input: false, output: true, term: "xterm") == "Here, not on a terminal")
    #expect(ConvTour.overview(here: dumb).contains(dumb + ". The same as text:"))
  }

  @Test("the memory check counts the address-space limit (ulimit -v), not only the machine's memory")
  func addressSpaceLimit() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    // 2 GB of address space; a batch of 100 at 224 needs about 3.3 GB.
    process.arguments = ["-c", "ulimit -v 2000000 && exec \"$0\" vgg16 run --batch 100", Binary.url.path]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2, "\(text)")
    #expect(text.contains("is available under the address-space limit (ulimit -v)"), "\(text)")
  }

  @Test("--save-maps on a disk without room for the pictures is refused before the run")
  func fullDisk() throws {
    // More pictures than any disk holds at their largest.
    let error = #expect(throws: UsageError.self) {
      try MapWriter.checkSpace(
        FileManager.default.temporaryDirectory.path, files: 3, bytes: Int.max / 2, for: "maps")
    }
    #expect(
      error?.description.contains("KB free; the 3 files may need up to") == true,
      "\(String(describing: error))")
    #expect(throws: Never.self) {
      try MapWriter.checkSpace(FileManager.default.temporaryDirectory.path, files: 1, bytes: 1, for: "maps")
    }
  }
}
