/// A problem with a weights file of any format: which file, which tensor (when one is to blame)
/// and what is wrong, as one line — `FILE: tensor NAME: PROBLEM`, or `FILE: PROBLEM`.
public struct WeightsError: Error, CustomStringConvertible, Equatable, Sendable {
  public var file: String
  public var tensor: String?
  public var problem: String

  public init(file: String, tensor: String? = nil, problem: String) {
    self.file = file
    self.tensor = tensor
    self.problem = problem
  }

  public var description: String {
    escapingControlCharacters(tensor.map { "\(file): tensor \($0): \(problem)" } ?? "\(file): \(problem)")
  }
}
