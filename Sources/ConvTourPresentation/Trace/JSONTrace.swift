import ConvTourEngine
import ConvTourLessons

/// A lesson's trace as JSON for tools (schema in the README): every step with every tensor it
/// read or wrote, by lesson name, with `shape` and row-major `values`; indices are 1-based.
public struct JSONTrace {
  public var detail: TextTrace.Detail

  /// Every element of every step, not only the first `StepRecord.traceLimit` (`--full`).
  public var full = false

  public init(detail: TextTrace.Detail = .op, full: Bool = false) {
    (self.detail, self.full) = (detail, full)
  }

  public func value(_ run: LessonRun) throws -> JSONValue {
    let lesson = run.lesson
    let claims = ClaimText.byStep(run)
    var declare: [(String, JSONValue)] = [
      ("number", .integer(0)), ("title", .string("the tensors the lesson gives")),
      ("action", .string("declare")),
      ("reads", .array([])), ("writes", .array(run.declared.map(tensor))),
    ]
    if let decided = claims[0] { declare.append(("claims", .array(decided.map(ClaimText.json)))) }
    var steps: [JSONValue] = [.object(declare)]
    for record in run.records {
      var members: [(String, JSONValue)] = [
        ("number", .integer(record.number)), ("title", .string(record.step.title)),
        ("action", .string(record.step.action.name)), ("formula", .string(record.step.formula)),
        ("prose", .string(record.step.prose)), ("reads", .array(record.reads.map(tensor))),
        ("writes", .array(record.writes.map(tensor))),
      ]
      // The steps the tour explains element by element: Jacobians (entry by entry) and grad and
      // numgrad (their paths) as well as forward and backward steps; the first
      // `StepRecord.traceLimit` unless `full`.
      if detail == .element, run.hasElements(record) {
        let elements = try run.elements(record, limit: full ? .max : StepRecord.traceLimit)
        members.append(("elements", .array(elements.map(element))))
        let total = run.elementCount(record)
        if elements.count < total { members.append(("elementCount", .integer(total))) }
      }
      if let losses = record.losses { members.append(("losses", .array(losses.map { .number($0) }))) }
      if let decided = claims[record.number] {
        members.append(("claims", .array(decided.map(ClaimText.json))))
      }
      steps.append(.object(members))
    }
    var top: [(String, JSONValue)] = [
      ("id", .string(lesson.id)), ("title", .string(lesson.title)), ("source", .string(lesson.source)),
      ("detail", .string(detail.rawValue)), ("steps", .array(steps)),
    ]
    if !lesson.listings.isEmpty {
      top.append(
        (
          "listings",
          .array(
            lesson.listings.map {
              .object([
                ("name", .string($0.name)), ("citation", .string($0.citation)),
                ("lines", .array($0.lines.map { .string($0) })),
              ])
            })
        ))
    }
    return .object(top)
  }

  func tensor(_ t: NamedTensor) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("name", .string(t.name)), ("shape", .array(t.shape.map { .integer($0) })),
      ("values", t.value.map { .array($0.values.map { .number($0) }) } ?? .null),
    ]
    if let tangent = t.tangent { members.append(("tangent", .array(tangent.values.map { .number($0) }))) }
    return .object(members)
  }

  func element(_ e: ElementTrace) -> JSONValue {
    let combination: JSONValue
    switch e.combination {
    case .sum: combination = .object([("kind", .string("sum"))])
    case .mean: combination = .object([("kind", .string("mean"))])
    case .maximum(let winner):
      combination = .object([("kind", .string("max")), ("winner", .integer(winner + 1))])
    case .normalized(let n):
      combination = .object([("kind", .string("normalized")), ("numerator", .integer(n + 1))])
    case .function(let f): combination = .object([("kind", .string("function")), ("function", .string(f))])
    }
    let terms: [JSONValue] = e.terms.map { term in
      let form: JSONValue
      switch term.form {
      case .product: form = .string("product")
      case .infix(let symbol): form = .string("infix \(symbol)")
      case .expression(let text): form = .string(text)
      }
      return .object([
        ("factors", .array(term.factors.map(factor))), ("form", form), ("value", .number(term.value)),
      ])
    }
    return .object([
      ("tensor", .string(e.tensor)), ("index", .array(e.index.map { .integer($0 + 1) })),
      ("value", .number(e.value)),
      ("combination", combination), ("terms", .array(terms)),
    ])
  }

  func factor(_ f: TraceFactor) -> JSONValue {
    if let d = f.derivative {
      return .object([
        (
          "derivative",
          .object([
            ("output", .string(d.output)), ("outputIndex", .array(d.outputIndex.map { .integer($0 + 1) })),
            ("input", .string(d.input)), ("inputIndex", .array(d.inputIndex.map { .integer($0 + 1) })),
          ])
        ), ("value", .number(f.value)),
      ])
    }
    var members: [(String, JSONValue)] = [
      ("tensor", .string(f.tensor ?? "")), ("index", .array(f.index.map { .integer($0 + 1) })),
      ("value", .number(f.value)),
    ]
    if f.isPadding { members.append(("padding", .bool(true))) }
    if f.padding > 0 {
      // Its place in s = h_p(tensor), the padded input the documents' formulas index, from 1.
      members.append(("s", .string("h_\(f.padding)(\(f.tensor ?? ""))")))
      members.append(("s_index", .array(IndexText.paddedIndex(f).map { .integer($0 + 1) })))
    }
    return .object(members)
  }
}
