/// The one word-wrapper of the tour and the traces: breaks text at spaces into lines of at most
/// `width` characters, continuation lines indented by `hanging` spaces. A bracketed index such
/// as "[1, 2, 3]" is not broken unless it is longer than a line, and then at its spaces; a word
/// longer than a line is cut into line-sized pieces, so nothing is lost. Blank lines (paragraph breaks) are kept.
public enum WordWrap {
  public static func lines(_ text: String, width: Int, hanging: Int = 0) -> [String] {
    let width = max(1, width)
    let hanging = min(hanging, width / 2)
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var indent = 0
      func flush() {
        lines.append(line)
        line = String(repeating: " ", count: hanging)
        indent = hanging
      }
      // A bracketed index too long for any line breaks at its own spaces, not mid-word.
      let pieces = words(paragraph).flatMap { word -> [String] in
        word.count > width - hanging && word.contains(" ")
          ? word.split(separator: " ").map(String.init) : [word]
      }
      for var word in pieces {
        if line.count > indent, line.count + 1 + word.count > width { flush() }
        while line.count + (line.count > indent ? 1 : 0) + word.count > width, line.count == indent {
          // A word longer than a line: as much as fits, then the rest on the next line.
          let room = width - line.count
          line += word.prefix(room)
          word = String(word.dropFirst(room))
          flush()
        }
        if word.isEmpty { continue }
        line += line.count > indent ? " " + word : word
      }
      if line.count > indent || lines.isEmpty || paragraph.isEmpty { lines.append(line) }
    }
    return lines
  }

  /// The words of a line: split at spaces, except inside brackets.
  static func words(_ text: Substring) -> [String] {
    var words: [String] = []
    var word = ""
    var depth = 0
    for ch in text {
      if ch == "[" { depth += 1 }
      if ch == "]" { depth = max(0, depth - 1) }
      if ch == " ", depth == 0 {
        if !word.isEmpty { words.append(word) }
        word = ""
      } else {
        word.append(ch)
      }
    }
    if !word.isEmpty { words.append(word) }
    // An operator starts the line it is on, with its operand: "= 0.1106" is never split.
    var glued: [String] = []
    for word in words {
      if let last = glued.last, operators.contains(last) {
        glued[glued.count - 1] = last + " " + word
      } else {
        glued.append(word)
      }
    }
    return glued
  }

  static let operators: Set<String> = ["=", "·", String(Chrome.dot), "+", "−", "-", "→", "⊙", "/", "×", "≈"]
}
