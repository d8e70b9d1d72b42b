/// A problem with a NumPy `.npy` file, as one line: `FILE: PROBLEM`.
public struct NumpyError: Error, CustomStringConvertible, Equatable, Sendable {
  public var file: String
  public var problem: String

  public init(file: String, problem: String) {
    self.file = file
    self.problem = problem
  }

  public var description: String { escapingControlCharacters("\(file): \(problem)") }
}
