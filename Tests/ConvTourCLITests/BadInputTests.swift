import Foundation
import Testing

/// The inputs of an adversarial tester, re-created: huge declared sizes, files that are not files,
/// outputs that cannot be written, hostile arguments. Each ends with one line and status 2 (or
/// quietly, for a closed pipe), never a crash, a hang or a huge allocation.
@Suite("Bad input ends cleanly")
struct BadInputTests {
  static let lessons = LessonCommandTests.lessons.path

  // MARK: Budgets before work

  @Test("a sparse .npy declaring (1, 3, 100000, 100000) is refused by its header, not read")
  func sparseHugeArray() throws {
    try BadInputRun.withFolder { folder in
      let path = folder + "/huge.npy"
      let header = BadInputRun.npyHeader([1, 3, 100_000, 100_000])
      try header.write(to: URL(fileURLWithPath: path))
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      try handle.truncate(atOffset: UInt64(header.count) + 4 * 3 * 100_000 * 100_000)  // 120 GB, sparse
      try handle.close()
      let result = try BadInputRun.run(["vgg16", "run", "--size", "32", "--input", path])
      #expect(result.status == 2)
      #expect(
        result.stderr
          == "convtour: \(path): shape [1, 3, 100000, 100000] is not [M, 3, 32, 32] (use --size to change N)\n"
      )
    }
  }

  @Test("--threads and --batch far too large are refused with their limits")
  func threadsAndBatch() throws {
    let threads = try BadInputRun.run(["vgg16", "run", "--size", "32", "--threads", "1000000"])
    #expect(threads.status == 2)
    #expect(threads.stderr.hasPrefix("convtour: --threads 1000000 is outside 1 to "), "\(threads.stderr)")
    let batch = try BadInputRun.run(["vgg16", "run", "--size", "32", "--batch", "1000000"])
    #expect(batch.status == 2)
    #expect(batch.stderr.contains("a batch of 1000000 needs about"), "\(batch.stderr)")
    let beyond = try BadInputRun.run(["vgg16", "run", "--size", "32", "--batch", "1000000000000"])
    #expect(beyond.status == 2)
    #expect(beyond.stderr.contains("--batch must be from 1 to 1,000,000"), "\(beyond.stderr)")
  }

  @Test("a lesson too large for the budget is refused at its step before it runs")
  func lessonBudget() throws {
    try BadInputRun.withFolder { folder in
      let conv = BadInputRun.lesson(
        id: "huge-conv",
        tensors: "tensor x [1, 4000, 4000] = shape\ntensor W [1, 1, 2000, 2000] = random(seed: 1)",
        run: "z = conv2d(x, W)")
      // Shape-only x: nothing runs, nothing is refused.
      try conv.write(toFile: folder + "/a.lesson", atomically: true, encoding: .utf8)
      #expect(try BadInputRun.run(["check", "--lessons", folder]).status == 0)
      try conv.replacingOccurrences(of: "= shape", with: "= random(seed: 2)")
        .write(toFile: folder + "/a.lesson", atomically: true, encoding: .utf8)
      let ops = try BadInputRun.run(["check", "--lessons", folder])
      #expect(ops.status == 2)
      #expect(
        ops.stderr.hasPrefix(
          "\(folder)/a.lesson:9:8: this lesson takes about 16 trillion operations; the limit is 2 billion (--max-operations)"
        ), "\(ops.stderr)")
      let traced = BadInputRun.lesson(
        id: "traced",
        tensors: "tensor x [1, 1000, 1000] = random(seed: 1)\ntensor W [1, 1, 10, 10] = random(seed: 2)",
        run: "z = conv2d(x, W)")
      try traced.write(toFile: folder + "/a.lesson", atomically: true, encoding: .utf8)
      let element = try BadInputRun.run(["trace", "traced", "--lessons", folder, "--detail", "element"])
      #expect(element.status == 2)
      #expect(
        element.stderr.contains(
          "a.lesson:9:8: this lesson needs about 18 GB; the limit is 2 GB (--max-memory)"),
        "\(element.stderr)")
      // The output counts: a JSON trace holds every value (1M values: about 244 MB, measured 245).
      let million = BadInputRun.lesson(
        id: "million", tensors: "tensor x [1000000] = random(seed: 1)", run: "a = relu(x)")
      try million.write(toFile: folder + "/a.lesson", atomically: true, encoding: .utf8)
      let json = try BadInputRun.run([
        "trace", "million", "--lessons", folder, "--format", "json", "--max-memory", "100MB",
      ])
      #expect(json.status == 2)
      #expect(
        json.stderr.contains(
          "a.lesson:5:8: this lesson needs about 244 MB; the limit is 100 MB (--max-memory)"))
      let small = try BadInputRun.run(["check", "--lessons", Self.lessons, "--max-memory", "1KB"])
      #expect(small.status == 2)
      #expect(small.stderr.contains("the limit is 1 KB (--max-memory)"))
    }
  }

  @Test("a tensor of more than 10,000 values is summarised in text unless --full")
  func summarised() throws {
    try BadInputRun.withFolder { folder in
      let lesson = BadInputRun.lesson(
        id: "wide", tensors: "tensor x [200, 100] = random(seed: 1)", run: "a = relu(x)")
      try lesson.write(toFile: folder + "/a.lesson", atomically: true, encoding: .utf8)
      let short = try BadInputRun.run(["trace", "wide", "--lessons", folder])
      #expect(short.status == 0)
      #expect(short.stdout.contains("20,000 values, summarised (--full prints every one): "))
      #expect(short.stdout.split(separator: "\n").count < 40)
      let full = try BadInputRun.run(["trace", "wide", "--lessons", folder, "--full"])
      #expect(full.stdout.split(separator: "\n").count > 400)
    }
  }

  // MARK: Inputs that are not files

  @Test("a FIFO without a writer, a directory or a device where a file is expected: one line, no hang")
  func notFiles() throws {
    try BadInputRun.withFolder { folder in
      let fifo = folder + "/fifo"
      #expect(mkfifo(fifo, 0o644) == 0)
      for option in ["--image", "--input", "--weights"] {
        let result = try BadInputRun.run(["vgg16", "run", "--size", "32", option, fifo])
        #expect(!result.hung, "\(option) FIFO hangs")
        #expect(result.status == 2)
        #expect(
          result.stderr == "convtour: \(fifo): cannot read: is a FIFO (named pipe), not a regular file\n")
      }
      let zero = try BadInputRun.run(["vgg16", "run", "--size", "32", "--image", "/dev/zero"])
      #expect(zero.stderr == "convtour: /dev/zero: cannot read: is a character device, not a regular file\n")
      let directory = try BadInputRun.run(["vgg16", "run", "--size", "32", "--input", folder])
      #expect(directory.stderr.hasSuffix("cannot read: is a directory, not a regular file\n"))
      // A lesson "file" that is a FIFO: reported, the other lessons still load.
      try FileManager.default.copyItem(
        atPath: Self.lessons + "/01-neuron.lesson", toPath: folder + "/01.lesson")
      #expect(mkfifo(folder + "/02.lesson", 0o644) == 0)
      let check = try BadInputRun.run(["check", "--lessons", folder])
      #expect(!check.hung)
      #expect(check.status == 2)
      #expect(check.stderr.contains("02.lesson:1:1: cannot read: is a FIFO (named pipe), not a regular file"))
      #expect(check.stdout.contains("passed"))
    }
  }

  // MARK: Outputs that are safe

  @Test("a full disk on standard output is an error with status 2, not a silent success")
  func fullStandardOutput() throws {
    let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
    let result = try BadInputRun.run(["check", "--lessons", Self.lessons], stdout: full)
    #expect(result.status == 2)
    #expect(
      result.stderr.hasSuffix("convtour: cannot write standard output: No space left on device\n")
        || result.stderr.hasSuffix("convtour: cannot write standard output: a write failed\n"),
      "\(result.stderr)")
  }

  @Test("a closed pipe ends the output quietly with status 0")
  func closedPipe() throws {
    let command =
      "'\(Binary.url.path)' trace all --detail element --lessons '\(Self.lessons)' 2>err | head -c 100 >/dev/null; echo \"${PIPESTATUS[0]}\"; cat err"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    let folder = FileManager.default.temporaryDirectory.path
    process.arguments = ["-c", "cd '\(folder)' && " + command]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(text == "0\n", "status and standard error: \(text)")
  }

  @Test(
    "--dump and --output refuse a symlink, a device node, a directory and a missing folder before any work")
  func safeDestinations() throws {
    try BadInputRun.withFolder { folder in
      let target = folder + "/target"
      try "keep me".write(toFile: target, atomically: true, encoding: .utf8)
      let link = folder + "/link"
      try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
      var refused = [(link, "a symbolic link"), (folder, "a directory"), ("/dev/full", "a character device")]
      let node = folder + "/full"
      // /dev/full is device 1, 7 (major 1 in bits 8…, minor 7 in the low byte).
      if mknod(node, S_IFCHR | 0o666, dev_t((1 << 8) | 7)) == 0 {
        refused.append((node, "a character device"))
      }
      for (path, kind) in refused {
        let dump = try BadInputRun.run(["vgg16", "run", "--size", "32", "--dump", path])
        #expect(dump.status == 2)
        #expect(
          dump.stderr
            == "convtour: --dump \(path): cannot write: it is \(kind), which is not replaced; give the path of a regular file\n"
        )
        let initial = try BadInputRun.run(["vgg16", "init", "--output", path])
        #expect(initial.status == 2)
        #expect(initial.stderr.hasPrefix("convtour: --output \(path): cannot write: it is \(kind)"))
        let trace = try BadInputRun.run(["trace", "softmax", "--lessons", Self.lessons, "-o", path])
        #expect(trace.status == 2)
        #expect(!trace.stderr.contains("NSCocoaErrorDomain"))
      }
      #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
      #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
      var status = stat()
      if stat(node, &status) == 0 { #expect(status.st_mode & S_IFMT == S_IFCHR) }
      let missing = try BadInputRun.run(["vgg16", "init", "--output", "/nonexistent/x"])
      #expect(missing.status == 2)
      #expect(
        missing.stderr
          == "convtour: --output /nonexistent/x: cannot write: the folder /nonexistent does not exist\n")
      // A trace written to a file: all of it, and no temporary file left beside it.
      let written = try BadInputRun.run([
        "trace", "softmax", "--lessons", Self.lessons, "-o", folder + "/t.txt",
      ])
      #expect(written.status == 0)
      let names = try FileManager.default.contentsOfDirectory(atPath: folder)
      #expect(Set(names).isSuperset(of: ["t.txt"]) && !names.contains { $0.contains(".partial-") })
    }
  }

  // MARK: Exit codes and messages

  @Test("usage errors exit 2 with convtour: and where to look; long tokens are shortened")
  func usageErrors() throws {
    let unknown = try BadInputRun.run(["ops", "--no-such-option"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr == "convtour: unknown option '--no-such-option'; see 'convtour ops --help'\n")
    let negative = try BadInputRun.run(["vgg16", "run", "--batch", "-1"])
    #expect(negative.status == 2)
    #expect(negative.stderr.hasPrefix("convtour: --batch -1: a negative number is not allowed here"))
    let missing = try BadInputRun.run(["vgg16", "init"])
    #expect(missing.status == 2)
    #expect(
      missing.stderr.hasPrefix(
        "convtour: missing expected argument '--output <output>'; see 'convtour vgg16 init --help'"))
    let long = try BadInputRun.run(["vgg16", "table", "--size", String(repeating: "9", count: 100_000)])
    #expect(long.status == 2)
    #expect(long.stderr.hasPrefix("convtour: "))
    #expect(long.stderr.count < 400, "\(long.stderr.count) characters")
    let table = try BadInputRun.run(["vgg16"])
    #expect(table.status == 0)
    #expect(table.stdout.contains("conv1_1"))
  }

  @Test("a malformed expect: line is reported on standard error too")
  func expectOnStandardError() throws {
    try BadInputRun.withFolder { folder in
      var lesson = BadInputRun.lesson(id: "bad-expect", tensors: "tensor x [2] = 1 2", run: "a = relu(x)")
      lesson += "expect: a[3] = 1\n  cite: test\n"
      try lesson.write(toFile: folder + "/a.lesson", atomically: true, encoding: .utf8)
      let result = try BadInputRun.run(["check", "--lessons", folder])
      #expect(result.status == 2)
      #expect(result.stderr.contains("a.lesson:9:9: a[3] is outside a"), "\(result.stderr)")
    }
  }
}
