/// Reads `expect:` blocks: a shape, values, a + bΔ, agreement of two tensors, or a bound, with
/// its citation and erratum.
extension LessonParser {
  static func expectation(_ block: Block) throws -> Expectation {
    var s = try stream(block.header)
    let at = block.header.segments[0].location
    let reference = try self.reference(&s)
    var tolerance: Double? = nil
    let claim: Expectation.Claim
    if case .identifier("shape") = s.peek?.kind {
      _ = s.next()
      claim = .shape(try s.integerList("the shape"))
    } else if s.skip("≈") {
      claim = .agrees(with: try s.identifier("the name of the tensor to compare with"))
      tolerance = try self.tolerance(&s)
    } else if s.skip("<") {
      if case .identifier(let other) = s.peek?.kind {
        _ = s.next()
        claim = .belowTensor(other)
      } else {
        claim = .below(try s.number("a bound or a tensor name after <"))
      }
    } else {
      try s.expect("=", "\"=\", \"≈\", \"<\" or `shape` after \(reference)")
      var numbers: [Double] = []
      var tangent: Double? = nil
      while !s.atEnd, !s.isSymbol("±") {
        // a + bΔ (or a − bΔ, a + Δ): after the first number, a sign followed by a coefficient and Δ.
        if numbers.count == 1, tangent == nil, s.isSymbol("+") || s.isSymbol("−"), isTangent(s) {
          let negative = s.next()!.kind == .symbol("−")
          var b = 1.0
          if case .number = s.peek?.kind { b = try s.number() }
          _ = s.next()  // Δ
          tangent = negative ? -b : b
          continue
        }
        if tangent != nil { throw s.error("\"±\" or the end of the line after a + bΔ") }
        numbers.append(try s.number("a number"))
        _ = s.skip(",")
      }
      guard !numbers.isEmpty else { throw s.error("the value the document prints") }
      tolerance = try self.tolerance(&s)
      if let tangent {
        claim = .dual(value: numbers[0], tangent: tangent)
      } else {
        claim = .values(numbers)
      }
    }
    try s.expectEnd()
    let citation = try single(block, "cite")?.text
    if let cite = try single(block, "cite"), cite.text.isEmpty {
      throw LessonError(cite.location, "expected the document and section after cite:")
    }
    let erratum = try single(block, "erratum")?.text
    switch claim {
    case .agrees, .below, .belowTensor: break  // checks of the computation: a citation is optional
    default:
      if citation == nil {
        throw LessonError(
          block.header.location, "expected a `cite:` line (document and section) under this expect:")
      }
    }
    return Expectation(
      reference: reference, claim: claim, tolerance: tolerance, citation: citation, erratum: erratum,
      text: block.header.text, location: at)
  }

  /// Whether the stream, at a sign, continues with "bΔ" or "Δ" (the tangent of a + bΔ) rather
  /// than the next number of a list.
  static func isTangent(_ s: TokenStream) -> Bool {
    let rest = s.tokens.dropFirst(s.position + 1)
    guard let next = rest.first else { return false }
    if case .identifier("Δ") = next.kind { return true }
    if case .number = next.kind, let after = rest.dropFirst().first, case .identifier("Δ") = after.kind {
      return true
    }
    return false
  }

  static func tolerance(_ s: inout TokenStream) throws -> Double? {
    guard s.skip("±") else { return nil }
    let at = s.location
    let x = try s.number("a tolerance after ±")
    guard x >= 0 else { throw LessonError(at, "expected a tolerance ≥ 0") }
    return x
  }
}
