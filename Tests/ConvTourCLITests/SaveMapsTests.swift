import Foundation
import Testing

/// `vgg16 run --save-maps DIR`: PNG pictures of the maps, checked before the work.
@Suite("vgg16 run --save-maps")
struct SaveMapsTests {
  let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("convtour-\(UUID().uuidString)-\(name)")
  }

  @Test("a shrunk network writes every map, the input, the saliency map and the legend")
  func writesMaps() throws {
    let folder = temporary("maps")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try Binary.run([
      "vgg16", "run", "--size", "32", "--backward", "--labels", "3", "--save-maps", folder.path,
      "--map-channels", "2",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    // 13 convolutions and 5 max-pools, their outputs and their gradients, one channel each.
    #expect(files.filter { $0.hasSuffix("-a-c2.png") }.count == 18)
    #expect(files.filter { $0.hasSuffix("-delta-c2.png") }.count == 18)
    for name in ["01-conv1_1-a-c2.png", "18-pool5-delta-c2.png", "input.png", "saliency.png"] {
      #expect(files.contains(name), "\(name) missing")
      let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
      #expect(Array(bytes.prefix(8)) == png, "\(name) is not a PNG")
    }
    let legend = try String(contentsOf: folder.appendingPathComponent("maps.txt"), encoding: .utf8)
    #expect(legend.contains("01-conv1_1-a-c2.png  conv1_1 output, channel 2: 32×32, violet = "))
    #expect(legend.contains("white = 0"))
  }

  @Test("a destination that is a file, or a missing parent: one line, exit 2, before the work")
  func badDestination() throws {
    let file = temporary("file")
    try Data("keep me".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let onFile = try Binary.run(["vgg16", "run", "--size", "32", "--save-maps", file.path])
    #expect(onFile.status == 2)
    #expect(onFile.stderr.contains("not a directory"))
    #expect(try String(contentsOf: file, encoding: .utf8) == "keep me")
    let orphan = try Binary.run(["vgg16", "run", "--size", "32", "--save-maps", "/nonexistent/maps"])
    #expect(orphan.status == 2)
    #expect(orphan.stderr.contains("/nonexistent/maps"))
    let channel = try Binary.run([
      "vgg16", "run", "--size", "32", "--save-maps", temporary("x").path, "--map-channels", "0",
    ])
    #expect(channel.status == 2)
  }

  @Test("a symlink where a picture goes is not replaced")
  func symlink() throws {
    let folder = temporary("maps")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = temporary("target")
    try Data("target".utf8).write(to: target)
    defer { try? FileManager.default.removeItem(at: target) }
    let link = folder.appendingPathComponent("input.png")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    let result = try Binary.run(["vgg16", "run", "--size", "32", "--save-maps", folder.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("input.png: cannot write: it is a symbolic link, which is not replaced"))
    #expect(try String(contentsOf: target, encoding: .utf8) == "target")
    let kind = try FileManager.default.attributesOfItem(atPath: link.path)[.type] as? FileAttributeType
    #expect(kind == .typeSymbolicLink)
  }

  @Test("maps.txt that is a FIFO, a directory or a symlink: refused by name before the run, not replaced")
  func legendNotRegular() throws {
    try BadInputRun.withFolder { folder in
      let fifo = folder + "/fifo"
      try FileManager.default.createDirectory(atPath: fifo, withIntermediateDirectories: false)
      #expect(mkfifo(fifo + "/maps.txt", 0o644) == 0)
      let directory = folder + "/directory"
      try FileManager.default.createDirectory(
        atPath: directory + "/maps.txt", withIntermediateDirectories: true)
      let link = folder + "/link"
      try FileManager.default.createDirectory(atPath: link, withIntermediateDirectories: false)
      try Data("target".utf8).write(to: URL(fileURLWithPath: folder + "/target"))
      try FileManager.default.createSymbolicLink(
        atPath: link + "/maps.txt", withDestinationPath: folder + "/target")
      for (dir, kind) in [(fifo, "a FIFO"), (directory, "a directory"), (link, "a symbolic link")] {
        let result = try BadInputRun.run(["vgg16", "run", "--size", "32", "--save-maps", dir], seconds: 60)
        #expect(result.status == 2, "\(dir): \(result.stderr)")
        #expect(result.stderr.contains("maps.txt: cannot write: it is \(kind)"), "\(result.stderr)")
        // Refused before the run: no picture was written, and nothing of the run was printed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["maps.txt"])
        #expect(result.stdout.isEmpty, "\(result.stdout)")
      }
      #expect(try String(contentsOfFile: folder + "/target", encoding: .utf8) == "target")
    }
  }

  @Test("--map-channels beyond every layer is an error naming the channel count; no folder is made")
  func channelsOutOfRange() throws {
    try BadInputRun.withFolder { folder in
      let maps = folder + "/maps"
      let result = try BadInputRun.run(
        ["vgg16", "run", "--size", "32", "--save-maps", maps, "--map-channels", "1000"], seconds: 60)
      #expect(result.status == 2)
      #expect(result.stderr.contains("--map-channels 1000: "), "\(result.stderr)")
      #expect(result.stderr.contains("512 (conv4_1)"), "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: maps), "an empty folder was left")
    }
  }

  @Test("--map-channels 1 1 1 draws each picture once")
  func repeatedChannels() throws {
    try BadInputRun.withFolder { folder in
      let maps = folder + "/maps"
      let result = try BadInputRun.run(
        ["vgg16", "run", "--size", "32", "--save-maps", maps, "--map-channels", "1", "1", "1"], seconds: 60)
      #expect(result.status == 0, "\(result.stderr)")
      let legend = try String(contentsOfFile: maps + "/maps.txt", encoding: .utf8)
      #expect(legend.components(separatedBy: "01-conv1_1-a-c1.png").count == 2, "\(legend)")
      #expect(legend.split(separator: "\n").count == 19)  // 18 maps and the input
    }
  }

  @Test("a parent that is not writable is named as such, not asked whether it exists")
  func readOnlyParent() throws {
    guard getuid() != 0 else { return }  // root writes anywhere
    try BadInputRun.withFolder { folder in
      #expect(chmod(folder, 0o555) == 0)
      defer { chmod(folder, 0o755) }
      let result = try BadInputRun.run(["vgg16", "run", "--size", "32", "--save-maps", folder + "/maps"])
      #expect(result.status == 2)
      #expect(result.stderr.contains("its parent \(folder) is not writable"), "\(result.stderr)")
    }
  }
}
