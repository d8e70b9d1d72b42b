/// A file of class names, one per line in class order (line 1 is class 0), as
/// `../shared/data/imagenet_classes.txt` is: `--class-names F` names a network's outputs.
/// Blank lines at the end are ignored; a blank line between names is an error (it would shift
/// every name after it by one class).
public enum ClassNamesFile {
  /// Why the file cannot name the classes: one line, naming the file and the place.
  public struct Problem: Error, CustomStringConvertible, Sendable {
    public var description: String
  }

  /// A names file is text of at most 1 MB (ImageNet's 1000 names take 10 KB).
  public static let limit = 1 << 20

  /// The `classes` names in `path`, or a problem naming the file and the line.
  public static func read(path: String, classes: Int) throws(Problem) -> [String] {
    let bytes: [UInt8]
    do { bytes = try RegularFile.read(path, limit: limit, what: "a class-names file") } catch {
      throw Problem(description: "\(path): \(error.message)")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw Problem(description: "\(path): not UTF-8 text (one class name per line expected)")
    }
    // ("\r\n" is one Character in Swift, a newline like "\n".)
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    if let blank = lines.firstIndex(where: { $0.allSatisfy(\.isWhitespace) }) {
      throw Problem(
        description: "\(path):\(blank + 1): a blank line among the names (line k names class k − 1)")
    }
    guard lines.count == classes else {
      throw Problem(
        description: "\(path): \(lines.count) class \(lines.count == 1 ? "name" : "names"); "
          + "the network has \(classes) classes (one name per line, class 0 first)")
    }
    return lines.map { $0.trimmingWhitespace() }
  }
}

extension String {
  fileprivate func trimmingWhitespace() -> String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }
}
