import ConvTourEngine
import ConvTourIO
import Foundation
import Testing

/// The network file format: the example files, and every error with its line.
@Suite("Network files")
struct NetworkFileTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Lessons/networks")

  @Test("the example files read, and the textbook's file is the built-in textbook-convnet")
  func examples() throws {
    let file = try NetworkFile.read(path: Self.examples.appendingPathComponent("textbook-convnet.net").path)
    let builtIn = try BuiltInNetworks.textbookConvNet()
    #expect(
      file.layers.map { layer in
        var l = layer; l.line = nil; return l
      } == builtIn.layers)
    #expect(file.loss == builtIn.loss)
    #expect(file.parameterShapes.map(\.name) == builtIn.parameterShapes.map(\.name))
    let digits = try NetworkFile.read(path: Self.examples.appendingPathComponent("digits-cnn.net").path)
    #expect(digits.name == "digits-cnn")
    #expect(digits.input == [1, 8, 8])
    #expect(digits.classes == 10)
    #expect(digits.parameterShapes.first! == ("conv1.weight", [8, 1, 3, 3]))
    let strided = try NetworkFile.read(path: Self.examples.appendingPathComponent("strided.net").path)
    #expect(
      strided.layers.map(\.output) == [[8, 16, 16], [8, 7, 7], [4, 7, 7], [4, 1, 1], [4], [5], [5]])
    #expect(strided.layers[1].kernelStridePadding == "3×3 / 2 / 0")
  }

  func problem(_ text: String) -> NetworkFileError? {
    do {
      _ = try NetworkFile.parse(text, file: "n.net", name: "n")
      return nil
    } catch let error as NetworkFileError {
      return error
    } catch {
      return nil
    }
  }

  @Test(
    "every error names the file and line",
    arguments: [
      ("conv 3 -> 4, 3x3", 1, "input shape comes first"),
      ("input 3x8\nflatten\nfc -> 2", 1, "input CxHxW"),
      ("input 3x8x8\nconv 3 -> 4, 3x3\nloss cross-entropy", 3, "before the layers"),
      ("input 3x8x8\nloss mean-squared", 2, "loss cross-entropy"),
      ("input 3x8x8\ndense 4", 2, "unknown layer `dense`"),
      ("input 3x8x8\nconv 3 -> 4, 3x5", 2, "square"),
      ("input 3x8x8\nconv 3 -> 4, 3x3, dilation 2", 2, "stride S"),
      ("input 3x8x8\nconv 3 -> 0, 3x3", 2, "from 1 to 1,000,000"),
      ("input 3x8x8\nconv 3 -> 4, 3x3, pad -1", 2, "from 0"),
      ("input 3x8x8\nconv 2 -> 4, 3x3\nflatten\nfc -> 2", 2, "says 2 inputs"),
      ("input 3x8x8\nconv 3 -> 4, 9x9\nflatten\nfc -> 2", 2, "does not fit"),
      ("input 3x8x8\nflatten\nfc 100 -> 2", 3, "says 100 inputs"),
      ("input 3x8x8\nrelu\nflatten\nfc -> 2", 2, "ReLU must follow"),
      ("input 3x8x8\nmaxpool 2\nfc -> 2", 3, "flatten"),
      ("input 3x8x8\nflatten", 2, "fully connected"),
      ("input 3x8x8\nflatten\nfc -> 1", 3, "2 or more"),
      ("input 3x8x8\nbad name!: flatten\nfc -> 2", 2, "name"),
      ("input 3x8x8\nrelu 2", 2, "takes nothing"),
      ("input 1000000x1000000x1000000\nflatten\nfc -> 2", 1, "too large"),
      ("input 1000x1000x1000\nflatten\nfc -> 1000000", 3, "too large"),
      (
        "input 3x1000x1000\nconv 3 -> 64, 3x3, pad 1\nrelu\nconv -> 64, 3x3, pad 1\nmaxpool 100\nflatten\nfc -> 10",
        4, "budget"
      ),
    ])
  func errors(text: String, line: Int, words: String) throws {
    let error = try #require(problem(text), "\(text)")
    #expect(error.line == line, "\(error)")
    #expect(error.description.hasPrefix("n.net:\(line): "), "\(error)")
    #expect(error.problem.contains(words), "\(error)")
  }

  @Test("a file that is missing, too large or not text is one line naming it")
  func files() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netfile-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let big = folder.appendingPathComponent("big.net")
    try Data(repeating: 0x23, count: NetworkFile.maximumBytes + 1).write(to: big)
    let binary = folder.appendingPathComponent("bin.net")
    try Data([0xFF, 0xFE, 0x00]).write(to: binary)
    for (path, words) in [
      (folder.appendingPathComponent("none.net").path, "no such file"), (big.path, "at most"),
      (binary.path, "UTF-8"), (folder.path, "directory"),
    ] {
      #expect(throws: NetworkFileError.self) { try NetworkFile.read(path: path) }
      do { _ = try NetworkFile.read(path: path) } catch let error as NetworkFileError {
        #expect(error.description.hasPrefix(path), "\(error)")
        #expect(error.description.contains(words), "\(error)")
        #expect(!error.description.contains("\n"))
      }
    }
  }
}
