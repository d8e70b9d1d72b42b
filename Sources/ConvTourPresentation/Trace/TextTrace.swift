import ConvTourEngine
import ConvTourLessons

/// A lesson's trace as text for reading: each step with its formula, prose, and the tensors it
/// read and wrote as grids; at element level, every output element with its terms.
public struct TextTrace {
  public enum Detail: String, Sendable, CaseIterable {
    case op, element
  }

  public var detail: Detail
  public var tensors: TensorText
  /// Every value of every tensor, however many (otherwise tensors over
  /// `TensorText.summaryLimit` values are summarised).
  public var full: Bool

  public init(detail: Detail = .op, places: Int = 4, full: Bool = false) {
    self.detail = detail
    self.full = full
    self.tensors = TensorText(places: places)
  }

  public func render(_ run: LessonRun) throws -> String {
    var out: [String] = []
    let lesson = run.lesson
    out.append("Lesson \(lesson.id): \(lesson.title)")
    out.append("Source: \(lesson.source)")
    out.append("")
    out.append("Step 0 of \(run.records.count): the tensors the lesson gives")
    for (declared, declaration) in zip(run.declared, lesson.tensors) {
      out.append(contentsOf: block(declared, note: declaration.note))
    }
    for listing in lesson.listings {
      out.append("  listing \(listing.name)  — \(listing.citation)")
      out.append(contentsOf: listing.lines.map { "    " + $0 })
    }
    let claims = ClaimText.byStep(run)
    out.append(contentsOf: self.claims(claims[0] ?? []))
    for record in run.records {
      out.append("")
      out.append(contentsOf: try step(record, of: run.records.count, run: run))
      out.append(contentsOf: self.claims(claims[record.number] ?? []))
    }
    return out.joined(separator: "\n") + "\n"
  }

  func block(_ t: NamedTensor, note: String? = nil, indent: Int = 2) -> [String] {
    var head = String(repeating: " ", count: indent) + "\(t.name)  shape \(IndexText.shape(t.shape))"
    if let note { head += "  — \(note)" }
    guard let value = t.value else {
      return [head + "  (shape only: \(ShapeCount.grouped(Shape.count(t.shape))) elements)"]
    }
    if !full, value.count > TensorText.summaryLimit {
      return [head] + tensors.summary(value, indent: indent + 2)
    }
    return [head] + tensors.lines(value, tangent: t.tangent, indent: indent + 2)
  }

  func step(_ record: StepRecord, of total: Int, run: LessonRun) throws -> [String] {
    let step = record.step
    var out = ["Step \(record.number) of \(total): \(step.title)  [\(step.action.name)]"]
    if !step.formula.isEmpty { out.append("  \(step.formula)") }
    for paragraph in step.prose.split(separator: "\n") {
      out.append(contentsOf: wrap(String(paragraph), indent: 2))
    }
    if case .perturb(let reference) = step.action {
      out.append("  \(reference) moves by Δ; every value computed from it now reads a + bΔ")
    }
    if !record.reads.isEmpty {
      out.append("  reads")
      for t in record.reads { out.append(contentsOf: block(t, indent: 4)) }
    }
    // A repeat's first write is its loss history, which the table below shows.
    let written = record.losses == nil ? record.writes : Array(record.writes.dropFirst())
    if !written.isEmpty {
      out.append("  writes")
      for t in written { out.append(contentsOf: block(t, indent: 4)) }
    }
    if let losses = record.losses { out.append(contentsOf: lossTable(losses)) }
    // The steps the tour explains element by element, Jacobians and grad/numgrad among them.
    if detail == .element, run.hasElements(record) {
      let elements = try run.elements(record, limit: full ? .max : StepRecord.traceLimit)
      let total = run.elementCount(record)
      out.append(
        elements.count < total
          ? "  element by element (the first \(elements.count) of \(total); --full shows every one)"
          : "  element by element (\(elements.count))")
      // One number format for the step, as on the tour's screen.
      let values = (record.reads + record.writes).flatMap { $0.value?.values ?? [] }
      let number = NumberStyle(places: tensors.places, values: values)
      for e in elements { out.append(contentsOf: element(e, number: number)) }
    }
    return out
  }

  /// The claims this step decides: each quote, then its verdict.
  func claims(_ results: [CheckResult]) -> [String] {
    results.flatMap { r in
      wrap(ClaimText.headline(r), indent: 2) + wrap(ClaimText.verdict(r), indent: 4)
    }
  }

  /// The loss of every epoch of a repeat, ten to a line, each line led by its first epoch.
  func lossTable(_ losses: [Double]) -> [String] {
    let width = String(losses.count).count
    var out = ["  loss per epoch (\(losses.count) epoch\(losses.count == 1 ? "" : "s"))"]
    for start in stride(from: 0, to: losses.count, by: 10) {
      let label = String(start + 1)
      let row = losses[start..<min(start + 10, losses.count)].map {
        NumberFormat.readable($0, places: tensors.places)
      }
      out.append(
        "    " + String(repeating: " ", count: width - label.count) + label + "  "
          + row.joined(separator: "  "))
    }
    return out
  }

  /// One element: a headline saying how its terms combine, then the terms, one per line, each
  /// with the running total after it.
  func element(_ e: ElementTrace, number: NumberStyle) -> [String] {
    ElementText(number: number).lines(e).enumerated().map {
      ($0.offset == 0 ? "    " : "      ") + $0.element
    }
  }

  /// Prose in lines of at most 96 characters (the one word-wrapper), indented.
  func wrap(_ text: String, indent: Int) -> [String] {
    let pad = String(repeating: " ", count: indent)
    return WordWrap.lines(text, width: 96 - indent).filter { !$0.isEmpty }.map { pad + $0 }
  }
}
