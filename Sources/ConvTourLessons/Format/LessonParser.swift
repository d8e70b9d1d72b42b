import ConvTourEngine
import Foundation

/// Reads a lesson file (the format of Lessons/README.md) into a `Lesson`.
///
/// The file is line-oriented. A line that starts in column 1 opens a block (`id:`, `title:`,
/// `source:`, `tensor`, `step:`, `expect:`, `claim:`, `listing` — `BlockKind`); an indented line
/// is either an attribute of the block (`prose:`, `formula:`, `run:`, `cite:`, `erratum:`,
/// `note:`, `implies:` …) or, when it starts with no such key, the continuation of the line
/// before. Lines whose first character is `#` are
/// comments. Every error names file:line:column and what was expected.
public enum LessonParser {
  /// One attribute (or the block header's own text), with its text pieces.
  struct Field {
    var key: String
    var location: SourceLocation
    var segments: [Segment]

    var text: String {
      segments.map { $0.text.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
    var end: SourceLocation {
      guard let last = segments.last else { return location }
      var l = last.location
      l.column += last.text.count
      return l
    }
  }

  struct Block {
    var kind: BlockKind
    var header: Field
    var attributes: [Field] = []
  }

  public static func parse(_ text: String, file: String) throws -> Lesson {
    let blocks = try self.blocks(text, file: file)
    var id: String?
    var title: String?
    var source: String?
    var documents: [(file: String, title: String)] = []
    var folds: [(steps: ClosedRange<Int>, summary: String)] = []
    var tensors: [TensorDeclaration] = []
    var steps: [Step] = []
    var expectations: [Expectation] = []
    var listings: [Listing] = []
    var defined: [String: SourceLocation] = [:]

    func define(_ name: String, at location: SourceLocation) throws {
      if let first = defined[name] {
        throw LessonError(
          location, "\(name) is already defined at line \(first.line); give the result a new name")
      }
      defined[name] = location
    }
    func requireDefined(_ name: String, at location: SourceLocation) throws {
      guard defined[name] != nil else {
        throw LessonError(
          location, "unknown tensor \"\(name)\": declare it with `tensor` or compute it in an earlier step")
      }
    }

    for block in blocks {
      let header = block.header
      switch block.kind {
      case .id, .title, .source:
        let value = header.text
        guard !value.isEmpty else {
          throw LessonError(header.location, "expected a value after \(header.key):")
        }
        if block.kind == .id {
          guard value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw LessonError(header.segments[0].location, "expected an id of letters, digits, - and _")
          }
          id = value
        } else if block.kind == .title {
          title = value
        } else {
          source = value
        }
      case .document:
        // document: FILE = TITLE
        let parts = header.text.split(separator: "=", maxSplits: 1).map {
          $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
          throw LessonError(header.location, "expected `document: FILE = TITLE`")
        }
        documents.append((parts[0], parts[1]))
      case .fold:
        // fold: FIRST-LAST SUMMARY
        let words = header.text.split(separator: " ", maxSplits: 1).map(String.init)
        let ends = words.first?.split(separator: "-").compactMap { Int($0) } ?? []
        guard words.count == 2, ends.count == 2, ends[0] >= 1, ends[0] < ends[1] else {
          throw LessonError(
            header.location, "expected `fold: FIRST-LAST SUMMARY` with step numbers FIRST < LAST")
        }
        folds.append((ends[0]...ends[1], words[1]))
      case .tensor:
        var declaration = try tensor(block)
        declaration.hidden = try single(block, "hidden") != nil
        if case .external(let request) = declaration.values, request.kind == "listing" {
          declaration.values = .explicit(
            try request.listingValues(listings, shape: declaration.shape, at: declaration.location))
        }
        try define(declaration.name, at: declaration.location)
        tensors.append(declaration)
      case .step:
        let step = try self.step(block)
        for name in step.action.inputs { try requireDefined(name, at: step.location) }
        if case .repeatSteps(let count, _, let loss, _) = step.action {
          try checkRepeat(count, loss: loss, body: steps, at: step.location)
        }
        for name in step.action.outputs { try define(name, at: step.location) }
        steps.append(step)
      case .expect:
        let expectation = try self.expectation(block)
        try requireDefined(expectation.reference.name, at: expectation.location)
        if case .agrees(let other) = expectation.claim { try requireDefined(other, at: expectation.location) }
        if case .belowTensor(let other) = expectation.claim {
          try requireDefined(other, at: expectation.location)
        }
        expectations.append(expectation)
      case .claim:
        let claim = try self.claim(block)
        try checkNames(
          of: claim, tensors: { try requireDefined($0, at: claim.location) },
          listings: Set(listings.map(\.name)))
        expectations.append(claim)
      case .listing:
        let listing = try self.listing(block)
        try define(listing.name, at: listing.location)
        listings.append(listing)
      }
    }
    let start = SourceLocation(file: file, line: 1, column: 1)
    guard let id else { throw LessonError(start, "expected an `id:` line") }
    guard let title else { throw LessonError(start, "expected a `title:` line") }
    guard let source else { throw LessonError(start, "expected a `source:` line (document and section)") }
    if let fold = folds.first(where: { $0.steps.upperBound > steps.count }) {
      throw LessonError(
        start,
        "fold: \(fold.steps.lowerBound)-\(fold.steps.upperBound) goes past the last step, \(steps.count)")
    }
    return Lesson(
      id: id, title: title, source: source, file: file, tensors: tensors, steps: steps,
      expectations: expectations, listings: listings, documents: documents, folds: folds)
  }

  /// A repeat needs `count` steps above it that write the loss and update a parameter with
  /// `sgd`, and no perturbation or repeat of their own.
  static func checkRepeat(_ count: Int, loss: String, body steps: [Step], at location: SourceLocation) throws
  {
    guard count <= steps.count else {
      throw LessonError(
        location, "repeat(steps: \(count)) needs \(count) steps above it, found \(steps.count)")
    }
    let body = steps.suffix(count)
    for step in body {
      switch step.action {
      case .perturb, .repeatSteps, .tangent:
        throw LessonError(
          location, "repeat cannot rerun the \(step.action.name) step at line \(step.location.line)")
      default: break
      }
    }
    guard body.contains(where: { $0.action.outputs.contains(loss) }) else {
      throw LessonError(location, "expected loss: a tensor written by one of the \(count) repeated steps")
    }
    guard
      body.contains(where: { if case .forward(let op, _, _) = $0.action { op is SGDUpdate } else { false } })
    else {
      throw LessonError(
        location, "the \(count) repeated steps update nothing: expected an sgd(W, g, lr: η) step")
    }
  }

  /// Groups the file's lines into blocks.
  static func blocks(_ text: String, file: String) throws -> [Block] {
    var blocks: [Block] = []
    // Lines end in \n or \r\n (Swift reads "\r\n" as one Character, a newline).
    for (n, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let indent = line.count - trimmed.count
      let at = SourceLocation(file: file, line: n + 1, column: indent + 1)
      let (key, rest, restColumn) = splitKey(trimmed)
      if indent == 0 {
        guard let key, let kind = BlockKind(rawValue: key) else {
          let word = trimmed.prefix(while: { !$0.isWhitespace && $0 != ":" })
          throw LessonError(
            at, "expected one of \(BlockKind.listed) at the start of a line, found \"\(word)\"")
        }
        let segment = Segment(
          text: rest, location: SourceLocation(file: file, line: n + 1, column: restColumn + indent))
        blocks.append(Block(kind: kind, header: Field(key: key, location: at, segments: [segment])))
        continue
      }
      guard !blocks.isEmpty else { throw LessonError(at, "expected an unindented `id:` line first") }
      let owner = blocks[blocks.count - 1].kind
      if let key, owner.attributes.contains(key) {
        let segment = Segment(
          text: rest, location: SourceLocation(file: file, line: n + 1, column: restColumn + indent))
        blocks[blocks.count - 1].attributes.append(Field(key: key, location: at, segments: [segment]))
      } else {
        // A continuation of the attribute (or header) above.
        let segment = Segment(text: trimmed, location: at)
        if blocks[blocks.count - 1].attributes.isEmpty {
          blocks[blocks.count - 1].header.segments.append(segment)
        } else {
          blocks[blocks.count - 1].attributes[blocks[blocks.count - 1].attributes.count - 1].segments.append(
            segment)
        }
      }
    }
    return blocks
  }

  /// "key: rest" → (key, rest, 1-based column of rest); "tensor x …" → ("tensor", "x …", …).
  static func splitKey(_ line: Substring) -> (String?, Substring, Int) {
    let word = line.prefix(while: { $0.isLetter || $0 == "_" })
    if let kind = BlockKind(rawValue: String(word)), kind.namesItsSubject,
      line.dropFirst(word.count).first == " "
    {
      return (kind.rawValue, line.dropFirst(word.count + 1), word.count + 2)
    }
    guard !word.isEmpty, line.dropFirst(word.count).first == ":" else { return (nil, line, 1) }
    var rest = line.dropFirst(word.count + 1)
    var column = word.count + 2
    while rest.first == " " {
      rest = rest.dropFirst()
      column += 1
    }
    return (String(word), rest, column)
  }

  static func stream(_ field: Field) throws -> TokenStream {
    TokenStream(try Tokenizer.tokens(field.segments), end: field.end)
  }

  static func single(_ block: Block, _ key: String) throws -> Field? {
    let fields = block.attributes.filter { $0.key == key }
    if fields.count > 1 {
      throw LessonError(fields[1].location, "\(key): appears twice in this \(block.header.key)")
    }
    return fields.first
  }

  // MARK: step: title / prose / formula / run

  static func step(_ block: Block) throws -> Step {
    let title = block.header.text
    guard !title.isEmpty else { throw LessonError(block.header.location, "expected a title after step:") }
    guard let run = try single(block, "run") else {
      throw LessonError(block.header.location, "expected a `run:` line in step \"\(title)\"")
    }
    let prose = block.attributes.filter { $0.key == "prose" }.map(\.text).joined(separator: "\n")
    let formula = try single(block, "formula")?.text ?? ""
    var s = try stream(run)
    let action = try ActionParser.action(&s)
    try s.expectEnd()
    return Step(
      title: title, prose: prose, formula: formula, action: action, location: run.segments[0].location)
  }

  /// `name` or `name[i, j, …]` (1-based in the file, 0-based in the result).
  static func reference(_ s: inout TokenStream) throws -> ElementReference {
    let name = try s.identifier("a tensor name")
    guard s.isSymbol("[") else { return ElementReference(name: name) }
    let at = s.location
    let index = try s.integerList("the index of \(name)")
    guard index.allSatisfy({ $0 >= 1 }) else { throw LessonError(at, "expected indices counted from 1") }
    return ElementReference(name: name, index: index.map { $0 - 1 })
  }
}
