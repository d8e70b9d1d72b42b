import Foundation

/// Checks printed explanations against their own index formulas, mechanically: a formula line
/// `NAME[v, …] = … ROLE[expr, …] …` is parsed, the element's own indices are bound to the
/// left-hand side's variables, and every listed term's factors (ROLE[1, 2, 3]) must equal the
/// right-hand side's index expressions of that role for some values of the summation variables
/// (within their stated ranges, `l, m = 1…3`), with `with t = expr` definitions holding and
/// every expression a whole number.
struct IndexFormulaChecker {
  struct Formula {
    var name: String
    var variables: [String]
    /// role → its index expressions, one list per occurrence.
    var patterns: [String: [[String]]]
    var ranges: [String: ClosedRange<Int>]
    /// `with t = expr`: t must equal expr.
    var definitions: [(String, String)]
    /// `with [c, i′, j′] = [1, 2, 3]`: the left-hand side's indices, given in the line.
    var given: [Int]?
  }

  /// A reference with numbers, as a term lists it: s[1, 9, 9].
  struct Reference: Equatable {
    var role: String
    var index: [Int]
  }

  static let identifier = "[A-Za-zδ][A-Za-z0-9_δ′]*"

  /// The formula of a line, or nil when the line is not one: its left-hand side must be a name
  /// with variables only (letters), at the start of the line (after "its window in …: ").
  static func formula(_ line: String) -> Formula? {
    var text = line.trimmingCharacters(in: .whitespaces)
    if text.hasPrefix("its window in "), let colon = text.range(of: "output: ") {
      text = String(text[colon.upperBound...])
    }
    let lhs = try! NSRegularExpression(pattern: "^(∂J/∂W|[A-Za-zδ]+)\\[([a-z′]+(?:, [a-z′]+)*)\\] = (.*)$")
    let ns = text as NSString
    guard let m = lhs.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
    let name = ns.substring(with: m.range(at: 1))
    let variables = ns.substring(with: m.range(at: 2)).components(separatedBy: ", ")
    let rhs = ns.substring(with: m.range(at: 3))
    var formula = Formula(
      name: name, variables: variables, patterns: [:], ranges: [:], definitions: [], given: nil)
    for (role, exprs) in symbolicReferences(rhs) { formula.patterns[role, default: []].append(exprs) }
    let range = try! NSRegularExpression(pattern: "([a-z′]+(?:, [a-z′]+)*) = 1…(\\d+)")
    let rns = rhs as NSString
    for r in range.matches(in: rhs, range: NSRange(location: 0, length: rns.length)) {
      let upper = Int(rns.substring(with: r.range(at: 2)))!
      for v in rns.substring(with: r.range(at: 1)).components(separatedBy: ", ") {
        formula.ranges[v] = 1...upper
      }
    }
    let definition = try! NSRegularExpression(pattern: "with ([a-z′]+) = ([^:;]+?)(?=:|;| \\(|$)")
    for d in definition.matches(in: rhs, range: NSRange(location: 0, length: rns.length)) {
      formula.definitions.append((rns.substring(with: d.range(at: 1)), rns.substring(with: d.range(at: 2))))
    }
    let given = try! NSRegularExpression(pattern: "with \\[[^\\]]*\\] = \\[([0-9, ]+)\\]")
    if let g = given.firstMatch(in: rhs, range: NSRange(location: 0, length: rns.length)) {
      formula.given = rns.substring(with: g.range(at: 1)).components(separatedBy: ", ").map { Int($0)! }
    }
    return formula
  }

  /// ROLE[expr, …] in a formula's right-hand side, where some expression is not a number.
  static func symbolicReferences(_ text: String) -> [(String, [String])] {
    let pattern = try! NSRegularExpression(pattern: "(?<![A-Za-z0-9_δ′])(\(identifier))\\[([^\\]]*)\\]")
    let ns = text as NSString
    return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { m in
      let exprs = ns.substring(with: m.range(at: 2)).components(separatedBy: ", ")
      guard exprs.contains(where: { Int($0) == nil }) else { return nil }
      return (ns.substring(with: m.range(at: 1)), exprs)
    }
  }

  /// ROLE[1, 2, 3] in a term's line: the references with numbers only.
  static func references(_ text: String) -> [Reference] {
    let pattern = try! NSRegularExpression(
      pattern: "(?<![A-Za-z0-9_δ′])(\(identifier))\\[(-?[0-9]+(?:, -?[0-9]+)*)\\]")
    let ns = text as NSString
    return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
      Reference(
        role: ns.substring(with: m.range(at: 1)),
        index: ns.substring(with: m.range(at: 2)).components(separatedBy: ", ").map { Int($0)! })
    }
  }

  /// Whether the term's references satisfy the formula for the element `element` (1-based);
  /// nil when they do, else why not.
  static func check(_ formula: Formula, element: [Int], term: [Reference]) -> String? {
    let own = formula.given ?? element
    guard own.count == formula.variables.count else {
      return "\(formula.name)[\(formula.variables)] given \(own)"
    }
    var bound: [String: Int] = [:]
    for (v, x) in zip(formula.variables, own) {
      if let b = bound[v], b != x { return "\(v) is both \(b) and \(x)" }
      bound[v] = x
    }
    // Each reference: one of its role's occurrences (the left-hand side's own name included).
    var choices: [[[String]]] = []
    for r in term {
      var options = formula.patterns[r.role] ?? []
      if r.role == formula.name || (formula.name == "∂J/∂W" && r.role == "W") {
        options.append(formula.variables)
      }
      guard !options.isEmpty else { return "\(r.role) is not in the formula" }
      choices.append(options.filter { $0.count == r.index.count })
      if choices.last!.isEmpty { return "\(r.role)[\(r.index)] has the wrong rank" }
    }
    func solve(_ k: Int, _ bound: [String: Int], _ pending: [(String, Int)]) -> Bool {
      if k == term.count { return satisfies(bound, pending) }
      for option in choices[k] {
        var b = bound
        var p = pending
        var ok = true
        for (expr, value) in zip(option, term[k].index) {
          if isVariable(expr) {
            if let x = b[expr] {
              if x != value { ok = false }
            } else {
              b[expr] = value
            }
          } else {
            p.append((expr, value))
          }
        }
        if ok, solve(k + 1, b, p) { return true }
      }
      return false
    }
    // The rest by trying the summation variables' values (within their ranges).
    func satisfies(_ bound: [String: Int], _ pending: [(String, Int)]) -> Bool {
      for (v, x) in bound where formula.ranges[v].map({ !$0.contains(x) }) == true { return false }
      var constraints = pending
      var bound = bound
      for (v, expr) in formula.definitions {
        if bound[v] == nil, variables(expr).allSatisfy({ bound[$0] != nil }),
          let x = evaluate(expr, bound), x == x.rounded()
        {
          bound[v] = Int(x)
        } else if let x = bound[v] {
          constraints.append((expr, x))
        }
      }
      let free = Array(Set(constraints.flatMap { variables($0.0) }).filter { bound[$0] == nil }).sorted()
      // The terms must pin their summation variables but for at most two taps (u, v of a pool).
      guard free.count <= 2 else { return false }
      func attempt(_ f: Int, _ b: [String: Int]) -> Bool {
        if f == free.count {
          return constraints.allSatisfy { expr, value in
            guard let x = evaluate(expr, b) else { return false }
            return x == x.rounded() && Int(x) == value
          }
        }
        for x in formula.ranges[free[f]] ?? 1...64 {
          var b = b
          b[free[f]] = x
          if attempt(f + 1, b) { return true }
        }
        return false
      }
      return attempt(0, bound)
    }
    return solve(0, bound, [])
      ? nil : "\(term.map { "\($0.role)\($0.index)" }) does not fit \(formula.patterns) at \(own)"
  }

  static func isVariable(_ expr: String) -> Bool {
    expr.range(of: "^[a-z′]+$", options: .regularExpression) != nil
  }

  static func variables(_ expr: String) -> [String] {
    let pattern = try! NSRegularExpression(pattern: "[a-z]′?")
    let ns = expr as NSString
    return pattern.matches(in: expr, range: NSRange(location: 0, length: ns.length)).map {
      ns.substring(with: $0.range)
    }
  }

  /// The value of an index expression: whole numbers, variables (one letter, maybe primed),
  /// + − · /, parentheses, ⌊⌋, and a number before "(" multiplying.
  static func evaluate(_ expr: String, _ values: [String: Int]) -> Double? {
    var tokens: [String] = []
    var chars = Array(expr.replacingOccurrences(of: " ", with: ""))
    var p = 0
    while p < chars.count {
      let c = chars[p]
      if c.isNumber {
        var q = p
        while q < chars.count, chars[q].isNumber { q += 1 }
        tokens.append(String(chars[p..<q]))
        if q < chars.count, chars[q] == "(" || chars[q].isLetter { tokens.append("·") }
        p = q
      } else if c.isLetter {
        var name = String(c)
        if p + 1 < chars.count, chars[p + 1] == "′" {
          name += "′"
          p += 1
        }
        tokens.append(name)
        p += 1
      } else {
        tokens.append(String(c))
        p += 1
      }
    }
    var at = 0
    func primary() -> Double? {
      guard at < tokens.count else { return nil }
      let t = tokens[at]
      at += 1
      if let n = Double(t) { return n }
      if let v = values[t] { return Double(v) }
      if t == "(" || t == "⌊" {
        guard let x = sum(), at < tokens.count else { return nil }
        let close = tokens[at]
        at += 1
        return t == "⌊" ? (close == "⌋" ? x.rounded(.down) : nil) : (close == ")" ? x : nil)
      }
      if t == "−" || t == "-" { return primary().map { -$0 } }
      return nil
    }
    func product() -> Double? {
      guard var x = primary() else { return nil }
      while at < tokens.count, ["·", "/", "*"].contains(tokens[at]) {
        let op = tokens[at]
        at += 1
        guard let y = primary() else { return nil }
        x = op == "/" ? x / y : x * y
      }
      return x
    }
    func sum() -> Double? {
      guard var x = product() else { return nil }
      while at < tokens.count, ["+", "−", "-"].contains(tokens[at]) {
        let op = tokens[at]
        at += 1
        guard let y = product() else { return nil }
        x = op == "+" ? x + y : x - y
      }
      return x
    }
    let x = sum()
    return at == tokens.count ? x : nil
  }

  /// Every formula line of a text and the term lines under it (until the next formula): for each
  /// term line, nil when it fits, else why not. `element` is the explained element (1-based).
  /// Returns the number of terms checked and the failures.
  static func checkText(_ lines: [String], element: [Int]) -> (checked: Int, failures: [String]) {
    var formula: Formula? = nil
    var checked = 0
    var failures: [String] = []
    for line in lines {
      if let f = Self.formula(line) {
        formula = f
        continue
      }
      // A group's row leaves its window open (s[1, ·, ·]): its products are listed when expanded.
      guard let formula, !line.contains("·, ·") else { continue }
      let term = references(line)
      guard !term.isEmpty else { continue }
      checked += 1
      if let why = check(formula, element: element, term: term) { failures.append("\(line): \(why)") }
    }
    return (checked, failures)
  }
}
