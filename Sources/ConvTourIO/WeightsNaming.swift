/// Matching a file's tensor names with the ones a network expects. torchvision's names are taken
/// as they are; timm's VGG names are mapped to torchvision's — `pre_logits.fc1` (fc6 as a 7×7
/// convolution, [4096, 512, 7, 7]) to `classifier.0` ([4096, 25088]: the same elements in the
/// same order), `pre_logits.fc2` ([4096, 4096, 1, 1]) to `classifier.3`, `head.fc` to
/// `classifier.6`. Every name and shape is checked before any data is read.
enum WeightsNaming {
  /// A naming other than the expected one: its name, and each prefix's replacement.
  struct Renaming {
    var name: String
    var prefixes: [(from: String, to: String)]
  }

  static let renamings = [
    Renaming(
      name: "timm's VGG names",
      prefixes: [
        ("pre_logits.fc1.", "classifier.0."), ("pre_logits.fc2.", "classifier.3."),
        ("head.fc.", "classifier.6."),
      ])
  ]

  /// Which of the file's tensors to read, under which name and shape, and what was done.
  struct Plan {
    var items: [(index: Int, name: String, shape: [Int])]
    var notes: [String] = []

    init(items: [(index: Int, name: String, shape: [Int])], notes: [String] = []) {
      self.items = items
      self.notes = notes
    }

    /// Every tensor under its own name.
    init(identity entries: [WeightsEntry]) {
      items = entries.enumerated().map { ($0.offset, $0.element.name, $0.element.shape) }
    }
  }

  static func plan(_ entries: [WeightsEntry], expected: [(name: String, shape: [Int])], file: String) throws
    -> Plan
  {
    let expectedNames = Set(expected.map(\.name))
    var names = entries.map(\.name)
    var used: Renaming?
    if !expectedNames.isSubset(of: names) {
      for renaming in renamings {
        let renamed = names.map { rename($0, renaming) }
        if expectedNames.isSubset(of: renamed), renamed != names {
          names = renamed
          used = renaming
          break
        }
      }
    }
    let index = Dictionary(
      names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    let missing = expected.filter { index[$0.name] == nil }
    let extra = names.filter { !expectedNames.contains($0) }
    if let first = missing.first {
      guard !extra.isEmpty else {
        throw WeightsError(
          file: file, tensor: first.name,
          problem: "missing (expected shape \(first.shape))\(more(missing.count))")
      }
      throw WeightsError(
        file: file,
        problem:
          "the tensors are named otherwise: expected \(list(expected.map(\.name))); found \(list(names)) (torchvision's and timm's VGG names are read)"
      )
    }
    if let first = extra.first {
      let entry = entries[names.firstIndex(of: first)!]
      throw WeightsError(
        file: file, tensor: entry.name,
        problem:
          "unexpected tensor (\(entry.dtype) of shape \(entry.shape)): the network has no such parameter")
    }
    var items: [(index: Int, name: String, shape: [Int])] = []
    for (name, shape) in expected {
      let position = index[name]!
      let entry = entries[position]
      let reshaped = used != nil && entry.name != name && count(entry.shape) == count(shape)
      guard entry.shape == shape || reshaped else {
        throw WeightsError(file: file, tensor: entry.name, problem: "shape \(entry.shape), expected \(shape)")
      }
      items.append((position, name, shape))
    }
    var notes: [String] = []
    if let used {
      let mapped = used.prefixes.map { "\($0.from.dropLast()) → \($0.to.dropLast())" }.joined(separator: ", ")
      notes.append("\(file): \(used.name) mapped to torchvision's: \(mapped)")
    }
    return Plan(items: items, notes: notes)
  }

  static func rename(_ name: String, _ renaming: Renaming) -> String {
    for (from, to) in renaming.prefixes where name.hasPrefix(from) {
      return to + name.dropFirst(from.count)
    }
    return name
  }

  /// The first few names and how many there are: "a, b, c, … (32 names)".
  static func list(_ names: [String]) -> String {
    guard !names.isEmpty else { return "no tensors" }
    let shown = names.prefix(4).joined(separator: ", ")
    return names.count > 4 ? "\(shown), … (\(names.count) names)" : shown
  }

  static func more(_ count: Int) -> String { count > 1 ? ", and \(count - 1) more" : "" }

  static func count(_ shape: [Int]) -> Int {
    shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
  }
}
