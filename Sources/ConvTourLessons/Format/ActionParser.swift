/// Reads a step's `run:` line into an `Action`: first the call (targets, callee, arguments),
/// then the builder for the callee — one small function per kind of call.
enum ActionParser {
  /// `z = conv2d(x, W, b, stride: 1)`, `dx, _ = relu.backward(z, delta: da)`, `perturb(W[2, 2])`…
  static func action(_ s: inout TokenStream) throws -> Action {
    let call = try self.call(&s)
    if let builder = builders[call.callee] { return try builder(call) }
    return try engineOp(call)
  }

  /// The calls that are not engine ops.
  static let builders: [String: @Sendable (Call) throws -> Action] = [
    "perturb": perturb, "grad": gradient, "numgrad": numericGradient, "tangent": tangent,
    "count": count, "tensors": count, "repeat": repeatSteps, "train": train,
  ]

  static func call(_ s: inout TokenStream) throws -> Call {
    var targets: [String?] = []
    let at: SourceLocation
    let callee: String
    // Targets, unless the line starts with a call.
    let first = try s.identifier("a result name or a call")
    if s.isSymbol("(") {
      at = s.tokens[s.position - 1].location
      callee = first
    } else {
      targets.append(first == "_" ? nil : first)
      while s.skip(",") {
        let name = try s.identifier("a result name")
        targets.append(name == "_" ? nil : name)
      }
      try s.expect("=", "\"=\" after the result name")
      at = s.location
      callee = try s.identifier("an op name")
    }
    try s.expect("(", "\"(\" after \(callee)")
    var call = Call(targets: targets, callee: callee, at: at)
    guard !s.skip(")") else { return call }
    repeat {
      let argumentAt = s.location
      if case .identifier(let name) = s.peek?.kind, s.position + 1 < s.tokens.count,
        s.tokens[s.position + 1].kind == .symbol(":")
      {
        s.position += 2
        guard call.keywords[name] == nil else { throw LessonError(argumentAt, "\(name): is given twice") }
        if case .quoted(let text) = s.peek?.kind {
          _ = s.next()
          call.keywords[name] = (.text(text), argumentAt)
        } else if s.isSymbol("[") {
          call.keywords[name] = (.list(try s.integerList("\(name)")), argumentAt)
        } else if case .identifier = s.peek?.kind {
          let reference = try LessonParser.reference(&s)
          call.keywords[name] = (.name(reference.name), argumentAt)
          call.keywordReferences[name] = reference
        } else {
          call.keywords[name] = (.number(try s.number("a value for \(name)")), argumentAt)
        }
      } else {
        call.positional.append((try LessonParser.reference(&s), argumentAt))
      }
    } while s.skip(",")
    try s.expect(")", "\",\" or \")\"")
    return call
  }

  // MARK: the builders

  static func perturb(_ c: Call) throws -> Action {
    guard c.targets.isEmpty, c.positional.count == 1, let index = c.positional[0].0.index else {
      throw LessonError(c.at, "expected perturb(NAME[i, j, …]) with no result name")
    }
    try c.only([])
    return .perturb(ElementReference(name: c.positional[0].0.name, index: index))
  }

  /// `g = grad(L, wrt: W)`, or `g2 = grad(L, wrt: W, accumulate: g1)`: g1 + ∂L/∂W, what a
  /// second `loss.backward()` leaves in W.grad without `zero_grad()`.
  static func gradient(_ c: Call) throws -> Action {
    guard c.positional.count == 1 else { throw LessonError(c.at, "expected grad(L, wrt: NAME)") }
    try c.only(["wrt", "accumulate"])
    let accumulate = c.keywords["accumulate"] == nil ? nil : try c.reference("accumulate").name
    return .gradient(
      of: c.positional[0].0, withRespectTo: try c.reference("wrt").name, accumulate: accumulate,
      output: try c.one())
  }

  static func numericGradient(_ c: Call) throws -> Action {
    guard c.positional.count == 1 else { throw LessonError(c.at, "expected numgrad(L, wrt: NAME)") }
    try c.only(["wrt", "step"])
    var step = 1e-6
    if let (value, at) = c.keywords["step"] {
      guard case .number(let x) = value, x > 0 else {
        throw LessonError(at, "expected step: a positive number")
      }
      step = x
    }
    return .numericGradient(
      of: c.positional[0].0, withRespectTo: try c.reference("wrt").name, step: step, output: try c.one())
  }

  static func tangent(_ c: Call) throws -> Action {
    try c.only([])
    let names = try c.plainNames()
    guard names.count == 1 else { throw LessonError(c.at, "expected tangent(NAME)") }
    return .tangent(of: names[0], output: try c.one())
  }

  static func count(_ c: Call) throws -> Action {
    try c.only([])
    let names = try c.plainNames()
    guard !names.isEmpty else { throw LessonError(c.at, "expected \(c.callee)(NAME, …)") }
    return c.callee == "count"
      ? .count(tensors: names, output: try c.one()) : .tensorCount(tensors: names, output: try c.one())
  }

  /// `losses = repeat(steps: 6, epochs: 2000, loss: J)`: the six steps above ran as epoch 1;
  /// run them again until `epochs` epochs have run, each `sgd` result becoming its parameter
  /// for the next epoch, and write J of every epoch.
  static func repeatSteps(_ c: Call) throws -> Action {
    guard c.positional.isEmpty else {
      throw LessonError(c.at, "expected repeat(steps: N, epochs: E, loss: L)")
    }
    try c.only(["steps", "epochs", "loss"])
    let loss = try c.reference("loss")
    guard loss.index == nil else { throw LessonError(c.at, "expected loss: a scalar tensor's name") }
    return .repeatSteps(
      steps: try c.integer("steps", in: 1...1000),
      epochs: try c.integer("epochs", in: 1...LessonLimits.mostEpochs),
      loss: loss.name, output: try c.one())
  }

  /// `W1_t, b1_t, … = train(W1, b1, …, images: X, labels: Y, network: "N", epochs: E, batch: B,
  /// lr: η, seed: S)`: one result per parameter given.
  static func train(_ c: Call) throws -> Action {
    let usage =
      "expected W_t, … = train(W, …, images: X, labels: Y, network: \"NAME\", epochs: E, batch: B, lr: η)"
    try c.only(["images", "labels", "network", "epochs", "batch", "lr", "momentum", "seed"])
    let parameters = try c.plainNames()
    guard !parameters.isEmpty, c.targets.count == parameters.count else {
      throw LessonError(c.at, usage + ": one result name per parameter")
    }
    let outputs = try c.targets.map { target in
      guard let target else { throw LessonError(c.at, "train writes every trained parameter: no _") }
      return target
    }
    guard case .text(let network)? = c.keywords["network"]?.0 else {
      throw LessonError(c.keywords["network"]?.1 ?? c.at, "expected network: \"NAME\" (quoted)")
    }
    func number(_ key: String, _ valid: (Double) -> Bool, _ what: String, default value: Double? = nil) throws
      -> Double
    {
      guard let (argument, at) = c.keywords[key] else {
        if let value { return value }
        throw LessonError(c.at, "train needs \(key): \(what)")
      }
      guard case .number(let x) = argument, valid(x) else {
        throw LessonError(at, "expected \(key): \(what)")
      }
      return x
    }
    return .train(
      TrainingRequest(
        network: network, parameters: parameters, images: try c.reference("images").name,
        labels: try c.reference("labels").name, epochs: try c.integer("epochs", in: 1...1000),
        batch: try c.integer("batch", in: 1...1_000_000),
        learningRate: try number("lr", { $0 >= 0 && $0.isFinite }, "a learning rate η ≥ 0"),
        momentum: try number("momentum", { $0 >= 0 && $0 < 1 }, "a momentum from 0 to below 1", default: 0),
        seed: UInt64(
          try number("seed", { $0 >= 0 && $0 == $0.rounded() && $0 < 9e15 }, "a whole number ≥ 0", default: 0)
        ),
        outputs: outputs))
  }

  /// An engine op (`OP(…)`), its backward (`OP.backward(…, delta: D)`) or its Jacobian
  /// (`OP.jacobian(…, wrt: X)`).
  static func engineOp(_ c: Call) throws -> Action {
    let parts = c.callee.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard parts.count <= 2, parts.count == 1 || ["backward", "jacobian"].contains(parts[1]) else {
      throw LessonError(c.at, "expected OP(…), OP.backward(…) or OP.jacobian(…), found \"\(c.callee)\"")
    }
    let opName = parts[0]
    let inputs = try c.plainNames()
    var parameters = c.keywords
    parameters["delta"] = nil
    parameters["wrt"] = nil
    let op = try OpRegistry.make(opName, inputs: inputs.count, parameters: parameters, at: c.at)
    if parts.count == 1 {
      if c.keywords["delta"] != nil || c.keywords["wrt"] != nil {
        throw LessonError(c.at, "delta: and wrt: belong to \(opName).backward(…) and \(opName).jacobian(…)")
      }
      return .forward(op: op, inputs: inputs, output: try c.one())
    }
    if parts[1] == "backward" {
      let delta = try c.reference("delta").name
      guard c.targets.count == inputs.count else {
        throw LessonError(
          c.at,
          "\(c.callee) writes one gradient per input (\(inputs.joined(separator: ", "))): expected \(inputs.count) result names (use _ to skip one), found \(c.targets.count)"
        )
      }
      return .backward(op: op, inputs: inputs, delta: delta, outputs: c.targets)
    }
    var wrt = 0
    if let (_, at) = c.keywords["wrt"] {
      let name = try c.reference("wrt").name
      guard let k = inputs.firstIndex(of: name) else {
        throw LessonError(at, "expected wrt: one of the inputs (\(inputs.joined(separator: ", ")))")
      }
      wrt = k
    }
    return .jacobian(op: op, inputs: inputs, withRespectTo: wrt, output: try c.one())
  }
}
