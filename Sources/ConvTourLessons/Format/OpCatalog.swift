import ConvTourEngine

/// A keyword argument's value in a `run:` line.
enum ArgumentValue {
  case number(Double)
  case name(String)
  case list([Int])
}

/// The engine ops a lesson can name in `run:`, and how their parameters are written.
enum OpCatalog {
  /// Every op name, for "expected one of …" messages and the format's documentation.
  static let names = [
    "pad", "conv2d", "relu", "sigmoid", "tanh", "identity", "step", "maxpool", "meanpool", "flatten",
    "reshape", "fc", "softmax", "cross_entropy", "softmax_cross_entropy", "squared_error",
    "half_squared_error", "add", "subtract", "multiply", "divide", "scale", "matmul", "transpose", "sum",
  ]

  /// The parameters each op accepts (besides its tensor inputs).
  static let parameters: [String: Set<String>] = [
    "pad": ["p"], "conv2d": ["stride", "padding"], "maxpool": ["window", "stride"],
    "meanpool": ["window", "stride"], "flatten": ["order", "batched"], "reshape": ["shape"], "scale": ["by"],
  ]

  /// How many tensor inputs each op takes (a range where the bias is optional).
  static let arity: [String: ClosedRange<Int>] = [
    "conv2d": 2...3, "fc": 2...3, "cross_entropy": 2...2, "softmax_cross_entropy": 2...2,
    "squared_error": 2...2, "half_squared_error": 2...2, "add": 2...2, "subtract": 2...2,
    "multiply": 2...2, "divide": 2...2, "matmul": 2...2,
  ]

  /// The op `name` with `inputs` tensor inputs and these parameters.
  static func make(
    _ name: String, inputs: Int, parameters given: [String: (ArgumentValue, SourceLocation)],
    at location: SourceLocation
  ) throws -> any Operation {
    guard names.contains(name) else {
      throw LessonError(location, "unknown op \"\(name)\"; expected one of \(names.joined(separator: ", "))")
    }
    let allowed = parameters[name] ?? []
    for (key, (_, at)) in given where !allowed.contains(key) {
      let list = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
      throw LessonError(at, "\(name) has no parameter \"\(key)\"; its parameters: \(list)")
    }
    let range = arity[name] ?? 1...1
    guard range.contains(inputs) else {
      let expected = range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound) or \(range.upperBound)"
      throw LessonError(
        location, "\(name) takes \(expected) tensor input\(range.upperBound == 1 ? "" : "s"), got \(inputs)")
    }

    func extent(_ key: String, default value: Extent2D) throws -> Extent2D {
      guard let (argument, at) = given[key] else { return value }
      switch argument {
      case .number(let x) where x == x.rounded() && x >= 0 && x <= 1_000_000: return Extent2D(Int(x))
      case .list(let l) where l.count == 2 && l.allSatisfy({ $0 >= 0 && $0 <= 1_000_000 }):
        return Extent2D(l[0], l[1])
      default:
        throw LessonError(at, "expected \(key) as a whole number from 0 to 1,000,000, or [rows, columns]")
      }
    }

    switch name {
    case "pad": return ZeroPad(padding: try extent("p", default: Extent2D(1)))
    case "conv2d":
      return Convolution(
        stride: try extent("stride", default: Extent2D(1)),
        padding: try extent("padding", default: Extent2D(0)),
        hasBias: inputs == 3)
    case "relu": return Activation(.relu)
    case "sigmoid": return Activation(.sigmoid)
    case "tanh": return Activation(.tanh)
    case "identity": return Activation(.identity)
    case "step": return Activation(.step)
    case "maxpool", "meanpool":
      guard given["window"] != nil else { throw LessonError(location, "\(name) needs window: f") }
      let window = try extent("window", default: Extent2D(1))
      let stride = try extent("stride", default: window)
      return name == "maxpool"
        ? MaxPool(window: window, stride: stride) : MeanPool(window: window, stride: stride)
    case "flatten":
      var order = Flatten.Order.rowMajor
      if let (argument, at) = given["order"] {
        switch argument {
        case .name("vec"): order = .vec
        case .name("rowmajor"): order = .rowMajor
        default: throw LessonError(at, "expected order: vec or order: rowmajor")
        }
      }
      var batched = false
      if let (argument, at) = given["batched"] {
        switch argument {
        case .name("yes"), .name("true"): batched = true
        case .name("no"), .name("false"): batched = false
        default: throw LessonError(at, "expected batched: yes or batched: no")
        }
      }
      return Flatten(order: order, batched: batched)
    case "reshape":
      guard let (argument, at) = given["shape"] else {
        throw LessonError(location, "reshape needs shape: [d1, d2, …]")
      }
      guard case .list(let shape) = argument else { throw LessonError(at, "expected shape: [d1, d2, …]") }
      return Reshape(shape)
    case "fc": return FullyConnected(hasBias: inputs == 3)
    case "softmax": return Softmax()
    case "cross_entropy": return CrossEntropy()
    case "softmax_cross_entropy": return SoftmaxCrossEntropy()
    case "squared_error": return SquaredError(.plain)
    case "half_squared_error": return SquaredError(.half)
    case "add": return Elementwise(.add)
    case "subtract": return Elementwise(.subtract)
    case "multiply": return Elementwise(.multiply)
    case "divide": return Elementwise(.divide)
    case "scale":
      guard let (argument, at) = given["by"] else { throw LessonError(location, "scale needs by: NUMBER") }
      guard case .number(let factor) = argument else { throw LessonError(at, "expected by: NUMBER") }
      return Scale(factor)
    case "matmul": return MatMul()
    case "transpose": return Transpose()
    default: return Sum()
    }
  }
}
