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
      return escapingControlCharacters("\(file): tensor \(tensor): \(problem)")
    }
    return escapingControlCharacters("\(file): \(problem)")
  }
}

/// `text` with its control characters (newlines, tabs…) written as `\u{A}`, so that an error
/// about a file stays on one line whatever names the file holds. Shared with `NumpyError`.
func escapingControlCharacters(_ text: String) -> String {
  guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
    return text
  }
  var result = ""
  for scalar in text.unicodeScalars {
    if scalar.properties.generalCategory == .control {
      result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
    } else {
      result.unicodeScalars.append(scalar)
    }
  }
  return result
}
