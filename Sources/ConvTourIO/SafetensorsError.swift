/// A problem with a safetensors file: which file, which tensor (when one is to blame) and what is
/// wrong, as one line — `FILE: tensor NAME: PROBLEM`, or `FILE: PROBLEM` for the file as a whole.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
  public var file: String
  public var tensor: String?
  public var problem: String

  public init(file: String, tensor: String? = nil, problem: String) {
    self.file = file
    self.tensor = tensor
    self.problem = problem
  }

  public var description: String {
    if let tensor {
      return "\(file): tensor \(tensor): \(problem)"
    }
    return "\(file): \(problem)"
  }
}
