/// Why a file could not be read as an image, or why an image could not be preprocessed.
/// `description` is one line, `FILE: PROBLEM`; for an image in memory `file` is "(image in memory)".
public struct ImageError: Error, CustomStringConvertible, Equatable {
  public var file: String
  public var problem: String

  public init(file: String, problem: String) {
    self.file = file
    self.problem = problem
  }

  public var description: String {
    let line = "\(file): \(problem)"
    return String(line.map { $0.isNewline ? " " : $0 })
  }
}
