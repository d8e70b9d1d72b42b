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

  public init(detail: Detail = .op, places: Int = 4) {
    self.detail = detail
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
    for record in run.records {
      out.append("")
      out.append(contentsOf: try step(record, of: run.records.count))
    }
    return out.joined(separator: "\n") + "\n"
  }

  func block(_ t: NamedTensor, note: String? = nil, indent: Int = 2) -> [String] {
    var head = String(repeating: " ", count: indent) + "\(t.name)  shape \(IndexText.shape(t.tensor.shape))"
    if let note { head += "  — \(note)" }
    return [head] + tensors.lines(t.tensor, tangent: t.tangent, indent: indent + 2)
  }

  func step(_ record: StepRecord, of total: Int) throws -> [String] {
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
    if !record.writes.isEmpty {
      out.append("  writes")
      for t in record.writes { out.append(contentsOf: block(t, indent: 4)) }
    }
    if detail == .element, record.hasElements {
      let elements = try record.elements()
      out.append("  element by element (\(elements.count))")
      for e in elements { out.append(contentsOf: element(e)) }
    }
    return out
  }

  /// One element: its terms, one per line, then how they combine.
  func element(_ e: ElementTrace) -> [String] {
    let name = IndexText.reference(e.tensor, e.index)
    let value = NumberFormat.fixed(e.value, places: tensors.places)
    var out = ["    \(name) = \(value)"]
    let number = { (x: Double) in NumberFormat.fixed(x, places: self.tensors.places) }
    switch e.combination {
    case .sum:
      out[0] = "    \(name) = Σ of \(e.terms.count) term\(e.terms.count == 1 ? "" : "s") = \(value)"
      if e.terms.isEmpty { out[0] = "    \(name) = 0 (no path reaches it)" }
    case .maximum(let winner):
      out[0] =
        "    \(name) = max of \(e.terms.count) = \(value), won by \(IndexText.factor(e.terms[winner].factors[0]))"
    case .mean:
      out[0] = "    \(name) = mean of \(e.terms.count) = \(value)"
    case .normalized(let numerator):
      let top = IndexText.factor(e.terms[numerator].factors[0])
      out[0] = "    \(name) = e^\(top) / Σ e^z (\(e.terms.count) terms) = \(value)"
    case .function(let f):
      out[0] = "    \(name) = \(f) = \(value)"
    }
    for term in e.terms {
      let names = term.factors.map(IndexText.factor)
      let values = term.factors.map { number($0.value) }
      switch term.form {
      case .product:
        out.append(
          "      \(names.joined(separator: " · ")) = \(values.joined(separator: " · ")) = \(number(term.value))"
        )
      case .expression(let expression):
        let given = zip(names, values).map { "\($0) = \($1)" }.joined(separator: ", ")
        out.append("      \(expression) with \(given) → \(number(term.value))")
      }
    }
    return out
  }

  /// Splits prose into lines of at most 96 characters.
  func wrap(_ text: String, indent: Int) -> [String] {
    let pad = String(repeating: " ", count: indent)
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty, line.count + 1 + word.count > 96 - indent {
        lines.append(pad + line)
        line = ""
      }
      line += line.isEmpty ? String(word) : " " + word
    }
    if !line.isEmpty { lines.append(pad + line) }
    return lines
  }
}
