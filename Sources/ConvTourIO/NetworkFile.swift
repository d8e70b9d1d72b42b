import ConvTourEngine

/// A network written as text: one layer per line, in the lessons' spirit. Read by `--network FILE`.
///
///     # A small CNN for 28×28 grey digits
///     network small-cnn            (optional: the file's name otherwise)
///     input 1x28x28                (C×H×W of one example; required, before the layers)
///     loss cross-entropy           (or `squared-distance T`, default T = 1; cross-entropy if absent)
///     conv1: conv 1 -> 8, 3x3, pad 1     (`NAME:` optional; C optional; `, stride S`, `, pad P`)
///     relu                         (after a conv or fc only)
///     maxpool 2                    (`maxpool F` or `maxpool F, stride S`; `avgpool` likewise)
///     flatten
///     fc -> 10                     (`fc N -> M`, N optional)
///
/// `#` starts a comment. Every number is a positive integer of at most 1,000,000 (padding may be
/// 0). Shapes are inferred as the file is read; a layer that does not fit is an error naming the
/// line and the shapes. Parameter names are the layers' names (`conv1.weight`).
public enum NetworkFile {
  /// A network file is at most 64 KiB of text and 256 layers.
  public static let maximumBytes = 65_536
  public static let maximumLayers = 256

  /// Reads and checks the network file at `path`.
  public static func read(path: String) throws -> NetworkArchitecture {
    let bytes: [UInt8]
    do {
      bytes = try RegularFile.read(path, limit: maximumBytes, what: "a network file")
    } catch {
      throw NetworkFileError(file: path, line: nil, problem: error.message)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw NetworkFileError(file: path, line: nil, problem: "not UTF-8 text")
    }
    let stem = path.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) } ?? path
    return try parse(text, file: path, name: stem)
  }

  /// Parses network text; `file` names it in errors, `name` is the network's name unless the
  /// text gives one.
  public static func parse(_ text: String, file: String, name: String) throws -> NetworkArchitecture {
    var header = NetworkFileHeader(name: name)
    var specs: [(spec: LayerSpec, inputs: Int?)] = []
    for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = offset + 1
      let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let words = content.trimmingWhitespace
      guard !words.isEmpty else { continue }
      do {
        if try header.take(words, hasLayers: !specs.isEmpty) { continue }
        guard header.input != nil else {
          throw NetworkFileError.Problem("the input shape comes first: `input CxHxW`, e.g. input 3x32x32")
        }
        guard specs.count < maximumLayers else {
          throw NetworkFileError.Problem("more than \(maximumLayers) layers")
        }
        var layer = try NetworkFileLayer.parse(words)
        layer.spec.line = line
        specs.append(layer)
      } catch let problem as NetworkFileError.Problem {
        throw NetworkFileError(file: file, line: line, problem: problem.text)
      }
    }
    guard let input = header.input else {
      throw NetworkFileError(file: file, line: nil, problem: "no `input CxHxW` line")
    }
    guard !specs.isEmpty else { throw NetworkFileError(file: file, line: nil, problem: "no layers") }
    let network: NetworkArchitecture
    do {
      network = try NetworkArchitecture(
        name: header.name, input: input, specs: specs.map(\.spec), loss: header.loss)
    } catch let error as NetworkDescriptionError {
      throw NetworkFileError(file: file, line: error.line, problem: error.problem)
    }
    try NetworkFileLayer.checkInputs(specs, network, file: file)
    try checkMemory(network, file: file)
    return network
  }

  /// The most memory one example forward and backward may need, estimated before anything is
  /// allocated: the lessons' budget (2 GB).
  public static let memoryBudget = 2 << 30

  /// Refuses a network whose one example would need more than `memoryBudget`, naming the layer
  /// whose output and weights are the largest.
  static func checkMemory(_ network: NetworkArchitecture, file: String) throws {
    let needed = VGG16Memory.estimate(network, batch: 1, backward: true)
    guard needed > memoryBudget else { return }
    let largest = network.layers.max { a, b in
      Shape.count(a.output) + a.weightCount < Shape.count(b.output) + b.weightCount
    }
    throw NetworkFileError(
      file: file, line: largest?.line,
      problem:
        "one example forward and backward needs about \(needed >> 20) MB, more than the \(memoryBudget >> 20) MB "
        + "budget; the largest layer is \(largest?.name ?? "?") (output \(largest?.output ?? []))")
  }
}

/// A network file that does not make a network: `FILE:LINE: problem`.
public struct NetworkFileError: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var problem: String

  public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(problem)" }

  /// What is wrong with one line, before the file and line are known.
  struct Problem: Error {
    var text: String
    init(_ text: String) { self.text = text }
  }
}

extension Substring {
  var trimmingWhitespace: Substring {
    var s = self
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return s
  }
}
