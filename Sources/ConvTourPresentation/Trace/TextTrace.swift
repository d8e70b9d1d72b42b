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
    for record in run.records {
      out.append("")
      out.append(contentsOf: try step(record, of: run.records.count))
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
    // A repeat's first write is its loss history, which the table below shows.
    let written = record.losses == nil ? record.writes : Array(record.writes.dropFirst())
    if !written.isEmpty {
      out.append("  writes")
      for t in written { out.append(contentsOf: block(t, indent: 4)) }
    }
    if let losses = record.losses { out.append(contentsOf: lossTable(losses)) }
    if detail == .element, record.hasElements {
      let elements = try record.elements()
      out.append("  element by element (\(elements.count))")
      for e in elements { out.append(contentsOf: element(e)) }
    }
    return out
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

  /// One element: a headline saying how its terms combine, then the terms, one per line.
  func element(_ e: ElementTrace) -> [String] {
    let name = IndexText.reference(e.tensor, e.index)
    let number = { (x: Double) in NumberFormat.readable(x, places: self.tensors.places) }
    let value = number(e.value)
    let first = e.terms.first.map { IndexText.factor($0.factors[0]) } ?? ""
    var out: [String]
    switch e.combination {
    case .sum where e.terms.isEmpty:
      return ["    \(name) = 0: no output reads it"]
    case .sum where e.terms.count == 1:
      return ["    \(name) = \(term(e.terms[0], number))"]
    case .sum:
      out = ["    \(name) = Σ of \(e.terms.count) terms = \(value)"]
    case .maximum(let winner):
      out = [
        "    \(name) = max of \(e.terms.count) = \(value), won by \(IndexText.factor(e.terms[winner].factors[0]))"
      ]
    case .mean:
      out = ["    \(name) = mean of \(e.terms.count) = \(value)"]
    case .normalized(let numerator):
      let top = IndexText.factor(e.terms[numerator].factors[0])
      let tensor = e.terms[numerator].factors[0].tensor ?? "z"
      out = ["    \(name) = e^\(top) / Σ e^\(tensor) (\(e.terms.count) terms) = \(value)"]
    case .function("copy"):
      return ["    \(name) = \(first) = \(value)"]
    case .function(let f):
      return ["    \(name) = \(f) with \(first) = \(e.terms.first.map { number($0.value) } ?? "") → \(value)"]
    }
    for t in e.terms { out.append("      " + term(t, number)) }
    return out
  }

  /// "x[1, 1, 1] · W[1, 1, 1, 1] = 0.5000 · −0.2000 = −0.1000", or an expression with its inputs.
  func term(_ term: TraceTerm, _ number: (Double) -> String) -> String {
    let names = term.factors.map(IndexText.factor)
    let values = term.factors.map { number($0.value) }
    switch term.form {
    case .product:
      if names.count == 1 { return "\(names[0]) = \(number(term.value))" }
      return "\(names.joined(separator: " · ")) = \(values.joined(separator: " · ")) = \(number(term.value))"
    case .infix(let symbol):
      return
        "\(names.joined(separator: " \(symbol) ")) = \(values.joined(separator: " \(symbol) ")) = \(number(term.value))"
    case .expression(let expression):
      let given = zip(names, values).map { "\($0) = \($1)" }.joined(separator: ", ")
      return "\(expression) with \(given) → \(number(term.value))"
    }
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
