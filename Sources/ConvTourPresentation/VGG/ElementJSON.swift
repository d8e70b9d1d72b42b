import ConvTourEngine

/// `vgg16 explain --format json`: the element, its value, its terms with their factors, and with a
/// backward pass its δ and the route's terms. Indices count from 1, storage order, without the
/// example (given once, as "example").
public struct ElementJSON {
  public var architecture: VGG16Architecture
  public var forward: VGG16Explanation
  public var delta: VGG16DeltaExplanation?

  /// The classes' names: an element of the last layers is also given as its class (from 0).
  public var classNames: [String]

  public init(
    architecture: VGG16Architecture, forward: VGG16Explanation, delta: VGG16DeltaExplanation?,
    classNames: [String] = []
  ) {
    (self.architecture, self.forward, self.delta) = (architecture, forward, delta)
    self.classNames = classNames
  }

  /// The text report of the same element, whose formulas the JSON repeats.
  var report: ElementReport {
    ElementReport(architecture: architecture, forward: forward, delta: delta, classNames: classNames)
  }

  public func value() -> JSONValue {
    let layer = architecture.layers[forward.layer]
    var fields: [(String, JSONValue)] = [
      ("layer", .string(layer.name)),
      ("example", .integer(forward.index[0] + 1)),
      ("index", Self.index(forward.index)),
    ]
    if !report.classText(forward.layer, forward.index).isEmpty {
      let c = forward.index[1]
      fields.append(("class", .integer(c)))
      if c < classNames.count, classNames[c] != String(c) {
        fields.append(("class_name", .string(classNames[c])))
      }
    }
    fields += [
      ("op", .string(forward.explanation.op)),
      (
        "convention",
        .string(IndexFormula.convention(padding: layer.kind == .convolution ? layer.padding : nil))
      ),
      ("formula", .string(IndexFormula.forward(architecture, layer: forward.layer))),
      ("value", .number(forward.value)),
      ("fast_value", .number(Double(forward.fastValue))),
      ("difference", .number(Double(forward.fastValue) - forward.value)),
    ]
    switch forward.explanation.combination {
    case .sum: fields.append(("combination", .string("sum")))
    case .maximum(let winner):
      fields += [("combination", .string("maximum")), ("winner", .integer(winner + 1))]
    case .normalized(let i):
      fields += [("combination", .string("normalized")), ("numerator", .integer(i + 1))]
    default: fields.append(("combination", .string("copy")))
    }
    if forward.hasReLU { fields.append(("z", .number(forward.explanation.value))) }
    if layer.kind == .convolution {
      let groups = forward.explanation.groups(input: 0, position: 1)
      fields.append(
        (
          "partial_sums",
          .array(groups.map { .object([("channel", .integer($0.key + 1)), ("sum", .number($0.sum))]) })
        ))
      fields.append(("bias", .number(forward.explanation.terms.last!.value)))
    }
    fields.append(
      (
        "terms",
        Self.terms(
          forward.explanation, forward.roles,
          flattened: IndexFormula.flattened(architecture, below: forward.layer))
      ))
    if let delta {
      var d: [(String, JSONValue)] = [
        ("through", .string(architecture.layers[delta.routeLayer].name)),
        ("formula", .string(report.deltaFormula(delta).formula)),
        ("value", .number(delta.delta)),
        ("fast_value", .number(Double(delta.fastDelta))),
        ("difference", .number(Double(delta.fastDelta) - delta.delta)),
      ]
      if let passes = delta.reluPasses { d += [("relu_passes", .bool(passes)), ("dz", .number(delta.dz))] }
      if let window = delta.window {
        d.append(
          (
            "window_formula",
            .string(IndexFormula.window(architecture.layers[delta.routeLayer], at: window.output))
          ))
        d.append(("window", Self.terms(window, ["a"])))
      }
      d.append(("terms", Self.terms(delta.route, delta.routeRoles)))
      fields.append(("delta", .object(d)))
    }
    return .object(fields)
  }

  static func index(_ index: [Int]) -> JSONValue {
    .array((index.count == 4 || index.count == 2 ? Array(index.dropFirst()) : index).map { .integer($0 + 1) })
  }

  /// The terms, each factor with its role and 1-based index (without the example unless
  /// `keepsExample`); a flattened map's a[j] also with the map's layer and [c, i, j].
  static func terms(
    _ e: ElementExplanation, _ roles: [String], keepsExample: Bool = false, flattened: (String, [Int])? = nil
  ) -> JSONValue {
    let list = TermList(order: nil, top: 0, keepsExample: keepsExample)
    return .array(
      e.terms.map { term in
        .object([
          (
            "factors",
            .array(
              term.factors.map { f in
                var factor: [(String, JSONValue)] = [
                  ("role", .string(f.input < roles.count ? roles[f.input] : "?")),
                  ("index", .array(list.shownIndex(f, roles).map { .integer($0) })),
                  ("value", .number(f.value)),
                ]
                if let (name, shape) = flattened, TermList.role(f, roles) == "a", let j = f.index.last,
                  j < shape.reduce(1, *)
                {
                  let at = Shape.index(ofOffset: j, in: shape).map { JSONValue.integer($0 + 1) }
                  factor.append(("map", .object([("layer", .string(name)), ("index", .array(at))])))
                }
                if f.isPadding { factor.append(("padding", .bool(true))) }
                return .object(factor)
              })
          ),
          ("value", .number(term.value)),
        ])
      })
  }
}
