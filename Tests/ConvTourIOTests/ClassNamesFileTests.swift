import ConvTourIO
import Foundation
import Testing

/// `--class-names F`: one name per line, class 0 first; every way a file can fail to fit.
@Suite("Class-names files")
struct ClassNamesFileTests {
  func file(_ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("names-\(UUID()).txt")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test("names in class order; blanks around a name, CRLF and trailing blank lines are dropped")
  func reads() throws {
    let path = try file("zero\r\n one \ntwo\n\n\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try ClassNamesFile.read(path: path, classes: 3) == ["zero", "one", "two"])
  }

  @Test(
    "a wrong count, a blank line between names, a missing file, a directory, bytes that are not text",
    arguments: [
      ("a\nb\n", 3, "2 class names; the network has 3 classes"),
      ("a\n\nb\nc\n", 3, ":2: a blank line among the names"),
      ("\u{FF}", 1, "not UTF-8 text"),
    ])
  func refuses(text: String, classes: Int, expected: String) throws {
    let path: String
    if text == "\u{FF}" {
      path = FileManager.default.temporaryDirectory.appendingPathComponent("names-\(UUID()).txt").path
      FileManager.default.createFile(atPath: path, contents: Data([0xFF, 0xFE, 0x0A]))
    } else {
      path = try file(text)
    }
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect {
      try ClassNamesFile.read(path: path, classes: classes)
    } throws: { error in
      "\(error)".hasPrefix(path) && "\(error)".contains(expected)
    }
  }

  @Test("a path that is missing or a folder is named with why")
  func unreadable() {
    #expect {
      try ClassNamesFile.read(path: "/nonexistent/names.txt", classes: 2)
    } throws: { "\($0)" == "/nonexistent/names.txt: cannot read: no such file" }
    #expect {
      try ClassNamesFile.read(path: "/tmp", classes: 2)
    } throws: { "\($0)".contains("not a regular file") }
  }
}
