import ConvTourEngine
import Foundation
import Testing

@testable import ConvTourIO

/// Only regular files are read, and only absent or regular files are written: FIFOs, devices,
/// links and directories are refused at once, by every reader and writer.
@Suite("Files that are not regular files")
struct FileKindTests {
  @Test("every reader refuses a FIFO without blocking, and a device")
  func readers() throws {
    try TestFiles.withDirectory { directory in
      let fifo = directory + "/fifo"
      #expect(mkfifo(fifo, 0o644) == 0)
      for path in [fifo, "/dev/zero"] {
        let kind = path == fifo ? "a FIFO (named pipe)" : "a character device"
        let expected = "\(path): cannot read: is \(kind), not a regular file"
        #expect(TestFiles.errorText { _ = try Numpy.readFloat32(path: path) } == expected)
        #expect(TestFiles.errorText { _ = try Numpy.shape(path: path) } == expected)
        #expect(TestFiles.errorText { _ = try Safetensors.read(path: path) } == expected)
        #expect(TestFiles.errorText { _ = try Safetensors.header(path: path) } == expected)
        #expect(TestFiles.errorText { _ = try ImageInput.decode(path: path) } == expected)
      }
      let refusal = #expect(throws: RegularFile.Refusal.self) {
        _ = try RegularFile.read(fifo, limit: 10, what: "a lesson file")
      }
      #expect(refusal?.message == "cannot read: is a FIFO (named pipe), not a regular file")
    }
  }

  @Test("a file over the read limit is refused by its size, naming the limit")
  func readLimit() throws {
    try TestFiles.withDirectory { directory in
      let path = try TestFiles.write(Array(repeating: 65, count: 3 << 20), named: "big.lesson", in: directory)
      let refusal = #expect(throws: RegularFile.Refusal.self) {
        _ = try RegularFile.read(path, limit: 1 << 20, what: "a lesson file")
      }
      #expect(refusal?.message == "a lesson file is at most 1 MB; this one is 3 MB")
      #expect(try RegularFile.read(path, limit: 4 << 20, what: "a lesson file").count == 3 << 20)
    }
  }

  @Test("a .npy's shape is seen before its data is read")
  func shapeFirst() throws {
    try TestFiles.withDirectory { directory in
      let path = directory + "/a.npy"
      try Numpy.writeFloat32(Tensor32(zeros: [2, 3]), to: path)
      #expect(try Numpy.shape(path: path) == [2, 3])
      struct Refused: Error {}
      #expect(throws: Refused.self) { _ = try Numpy.readFloat32(path: path) { _ in throw Refused() } }
    }
  }

  @Test("writers refuse a symlink, a device, a FIFO and a directory, and leave them as they were")
  func writers() throws {
    try TestFiles.withDirectory { directory in
      let target = try TestFiles.write([1, 2, 3], named: "target", in: directory)
      let link = directory + "/link"
      try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
      let fifo = directory + "/fifo"
      #expect(mkfifo(fifo, 0o644) == 0)
      let cases = [
        (link, "a symbolic link"), ("/dev/full", "a character device"), (fifo, "a FIFO (named pipe)"),
        (directory, "a directory"),
      ]
      for (path, kind) in cases {
        let expected =
          "\(path): cannot write: it is \(kind), which is not replaced; give the path of a regular file"
        #expect(TestFiles.errorText { try Numpy.writeFloat32(Tensor32(zeros: [1]), to: path) } == expected)
        #expect(
          TestFiles.errorText { try Safetensors.write([("a", Tensor32(zeros: [1]))], to: path) } == expected)
      }
      #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
      #expect(try TestFiles.read(target) == [1, 2, 3])
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["fifo", "link", "target"])
    }
  }
}
