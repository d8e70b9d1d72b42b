/// Reads `claim:` blocks — a statement of a document and the predicate that decides it — and the
/// `listing` blocks that claims about code read.
extension LessonParser {
  /// ```
  /// claim: "we will only update the weights that relate to the third activation"
  ///   cite: 000_ce8e000b1bb3a7a9.txt, "Backprop for the Softmax Layer"
  ///   implies: nonzero_rows(dW16) = 1
  ///   erratum: …
  /// ```
  static func claim(_ block: Block) throws -> Expectation {
    let quote = block.header.text
    guard !quote.isEmpty else {
      throw LessonError(block.header.location, "expected the document's words after claim:")
    }
    guard let cite = try single(block, "cite"), !cite.text.isEmpty else {
      throw LessonError(
        block.header.location, "expected a `cite:` line (document and section) under this claim:")
    }
    let implies = try single(block, "implies")
    let denies = try single(block, "denies")
    if let implies, let denies {
      let second = implies.location.line < denies.location.line ? denies : implies
      throw LessonError(second.location, "a claim has one `implies:` or one `denies:`, not both")
    }
    guard let decider = implies ?? denies else {
      throw LessonError(
        block.header.location,
        "expected an `implies: PREDICATE` or `denies: PREDICATE` line under this claim: (e.g. implies: nonzero_rows(dW) = 1)"
      )
    }
    var s = try stream(decider)
    let predicate = try self.predicate(&s)
    try s.expectEnd()
    let reference = ElementReference(name: predicate.left.tensor ?? predicate.left.listing ?? "")
    return Expectation(
      reference: reference, claim: .statement(predicate, implied: implies != nil),
      tolerance: predicate.tolerance,
      citation: cite.text, erratum: try single(block, "erratum")?.text, text: quote,
      location: block.header.segments[0].location)
  }

  /// `MEASURE RELATION MEASURE-or-NUMBER [± TOL]`, the relation one of = ≠ < ≤ > ≥.
  static func predicate(_ s: inout TokenStream) throws -> Predicate {
    let left = try measure(&s)
    let relations = Relation.allCases.map(\.rawValue).joined(separator: " ")
    guard case .symbol(let symbol) = s.peek?.kind, let relation = Relation(rawValue: String(symbol)) else {
      throw s.error("one of \(relations) after \(left)")
    }
    _ = s.next()
    let right: Operand
    if case .identifier = s.peek?.kind {
      right = .measure(try measure(&s))
    } else {
      right = .number(try s.number("a number or a measure after \(relation.rawValue)"))
    }
    return Predicate(left: left, relation: relation, right: right, tolerance: try tolerance(&s))
  }

  /// `count(T)`, `rows(T)`, `nonzero(T)`, `nonzero_rows(T)`, `lines(LISTING, WORD)`,
  /// `first_line(LISTING, WORD)` (WORD a name or "quoted text"), or a tensor `T` / element
  /// `T[i, …]` (its value).
  static func measure(_ s: inout TokenStream) throws -> Measure {
    let at = s.location
    guard case .identifier(let word) = s.peek?.kind,
      s.position + 1 < s.tokens.count, s.tokens[s.position + 1].kind == .symbol("(")
    else {
      return .value(try reference(&s))
    }
    guard Measure.functions.contains(word) else {
      throw LessonError(
        at,
        "unknown measure \"\(word)\"; expected one of \(Measure.functions.joined(separator: ", ")) or a tensor"
      )
    }
    s.position += 2
    let readsListing = word == "lines" || word == "first_line"
    let name = try s.identifier("a \(readsListing ? "listing" : "tensor") name in \(word)(…)")
    let measure: Measure
    switch word {
    case "count": measure = .count(name)
    case "rows": measure = .rows(name)
    case "nonzero": measure = .nonzero(name)
    case "nonzero_rows": measure = .nonzeroRows(name)
    default:
      try s.expect(",", "\",\" and the word to look for in \(word)(\(name), WORD)")
      let what = "the word or \"text\" to look for, e.g. nn.ReLU"
      let text: String
      switch s.peek?.kind {
      case .quoted(let quoted) where !quoted.isEmpty: text = quoted
      case .identifier(let identifier): text = identifier
      default: throw s.error(what)
      }
      _ = s.next()
      measure =
        word == "lines"
        ? .lines(listing: name, containing: text) : .firstLine(listing: name, containing: text)
    }
    try s.expect(")", "\")\" after \(word)(\(name)…")
    return measure
  }

  /// ```
  /// listing convnet_init
  ///   cite: 001_fccaba08b6e11e45.txt, 12.4 CNN in Programming
  ///   line: self.conv1 = nn.Conv2d(3, 3, 5)
  /// ```
  static func listing(_ block: Block) throws -> Listing {
    var s = try stream(block.header)
    let at = s.location
    let name = try s.identifier("a listing name after `listing`")
    try s.expectEnd()
    guard let cite = try single(block, "cite"), !cite.text.isEmpty else {
      throw LessonError(at, "expected a `cite:` line (document and section) under listing \(name)")
    }
    let lines = block.attributes.filter { $0.key == "line" }.map(\.text)
    guard !lines.isEmpty else {
      throw LessonError(at, "expected the listing's lines, each as an indented `line: …`")
    }
    return Listing(name: name, lines: lines, citation: cite.text, location: at)
  }

  /// Throws unless every tensor the claim's predicate reads is defined above it and every listing
  /// is a listing.
  static func checkNames(
    of claim: Expectation, tensors: (String) throws -> Void, listings: Set<String>
  ) throws {
    guard case .statement(let predicate, _) = claim.claim else { return }
    for measure in predicate.measures {
      if let tensor = measure.tensor {
        guard !listings.contains(tensor) else {
          throw LessonError(claim.location, "\(tensor) is a listing: read it with lines(\(tensor), WORD)")
        }
        try tensors(tensor)
      }
      if let listing = measure.listing, !listings.contains(listing) {
        throw LessonError(
          claim.location, "unknown listing \"\(listing)\": quote it above with `listing \(listing)`")
      }
    }
  }
}
