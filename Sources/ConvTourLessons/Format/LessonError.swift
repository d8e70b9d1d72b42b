/// A problem in a lesson file, at a place in it: "file:line:column: message".
public struct LessonError: Error, Equatable, Sendable, CustomStringConvertible {
  public var location: SourceLocation
  public var message: String

  public init(_ location: SourceLocation, _ message: String) {
    self.location = location
    self.message = message
  }

  public var description: String { "\(location): \(message)" }
}
