import ConvTourEngine

/// The `network`, `input` and `loss` lines of a network file.
struct NetworkFileHeader {
  var name: String
  var input: [Int]? = nil
  var loss = NetworkLoss.softmaxCrossEntropy

  /// Takes a header line (true), or leaves a layer line alone (false).
  mutating func take(_ words: Substring, hasLayers: Bool) throws -> Bool {
    let parts = words.split(whereSeparator: \.isWhitespace)
    guard let keyword = parts.first, ["network", "input", "loss"].contains(keyword) else { return false }
    guard !hasLayers else { throw NetworkFileError.Problem("`\(keyword)` must come before the layers") }
    switch keyword {
    case "network":
      guard parts.count == 2 else { throw NetworkFileError.Problem("`network NAME`: one word") }
      name = String(parts[1])
    case "input":
      let dims = parts.count == 2 ? parts[1].split(whereSeparator: { $0 == "x" || $0 == "×" }) : []
      guard dims.count == 3 else { throw NetworkFileError.Problem("`input CxHxW`, e.g. input 3x32x32") }
      let shape = try dims.map { try NetworkFileLayer.number($0, what: "a size") }
      guard shape.reduce(1, { $0 * $1 }) <= NetworkArchitecture.largestTensor else {
        throw NetworkFileError.Problem("the input \(shape) is too large: at most 2³¹ elements")
      }
      input = shape
    default:
      switch parts.dropFirst().first {
      case "cross-entropy" where parts.count == 2: loss = .softmaxCrossEntropy
      case "squared-distance" where parts.count <= 3:
        let target = parts.count == 3 ? Float(parts[2]) : 1
        guard let target, target.isFinite else {
          throw NetworkFileError.Problem("`loss squared-distance T`: T is a number")
        }
        loss = .squaredDistance(target: target)
      default: throw NetworkFileError.Problem("`loss cross-entropy` or `loss squared-distance [T]`")
      }
    }
    return true
  }
}

/// One layer line: `[NAME:] KIND ARGUMENTS`.
enum NetworkFileLayer {
  static let largest = 1_000_000

  /// The layer, and the input count the line gives (nil when it gives none).
  static func parse(_ words: Substring) throws -> (spec: LayerSpec, inputs: Int?) {
    var rest = words
    var name: String? = nil
    if let colon = rest.firstIndex(of: ":") {
      let label = rest[..<colon].trimmingWhitespace
      guard !label.isEmpty, label.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else {
        throw NetworkFileError.Problem("a layer's name is letters, digits, _, - and . before the colon")
      }
      name = String(label)
      rest = rest[rest.index(after: colon)...].trimmingWhitespace
    }
    let kind = rest.prefix { !$0.isWhitespace }
    let arguments = rest.dropFirst(kind.count).trimmingWhitespace
    let spec: LayerSpec.Kind
    switch kind {
    case "conv": spec = try convolution(arguments)
    case "fc": spec = .fullyConnected(outputs: try arrow(arguments, "fc [N] -> M").outputs)
    case "maxpool", "avgpool":
      let fields = arguments.split(separator: ",").map(\.trimmingWhitespace)
      guard (1...2).contains(fields.count) else {
        throw NetworkFileError.Problem("`\(kind) F` or `\(kind) F, stride S`")
      }
      let f = try number(fields[0], what: "the window")
      let s = fields.count == 2 ? try option(fields[1], "stride") : f
      spec = kind == "maxpool" ? .maxPool(kernel: f, stride: s) : .averagePool(kernel: f, stride: s)
    case "relu", "flatten":
      guard arguments.isEmpty else { throw NetworkFileError.Problem("`\(kind)` takes nothing") }
      spec = kind == "relu" ? .relu : .flatten
    default:
      throw NetworkFileError.Problem(
        "unknown layer `\(kind)`: the layers are conv, relu, maxpool, avgpool, flatten and fc")
    }
    // A named layer is a module of the PyTorch model: its parameters and output go by its name.
    return (LayerSpec(spec, name: name, module: spec == .relu ? nil : name), try inputCount(kind, arguments))
  }

  /// `conv [C] -> K, FxF[, stride S][, pad P]`.
  static func convolution(_ arguments: Substring) throws -> LayerSpec.Kind {
    let usage = "conv [C] -> K, FxF[, stride S][, pad P]"
    let fields = arguments.split(separator: ",").map(\.trimmingWhitespace)
    guard fields.count >= 2, fields.count <= 4 else { throw NetworkFileError.Problem("`\(usage)`") }
    let outputs = try arrow(fields[0], usage).outputs
    let sides = fields[1].split(whereSeparator: { $0 == "x" || $0 == "×" })
    guard sides.count == 2, sides[0] == sides[1] else {
      throw NetworkFileError.Problem("the kernel is square: FxF, e.g. 3x3 (`\(usage)`)")
    }
    let f = try number(sides[0], what: "the kernel")
    var (stride, padding) = (1, 0)
    for field in fields.dropFirst(2) {
      if field.hasPrefix("stride") {
        stride = try option(field, "stride")
      } else if field.hasPrefix("pad") {
        padding = try option(field, "pad", zero: true)
      } else {
        throw NetworkFileError.Problem("`\(field)`: expected `stride S` or `pad P` (`\(usage)`)")
      }
    }
    return .convolution(outputs: outputs, kernel: f, stride: stride, padding: padding)
  }

  /// `[N] -> M`: the optional input count and the output count.
  static func arrow(_ text: Substring, _ usage: String) throws -> (inputs: Int?, outputs: Int) {
    let sides = text.components(separatedBy: "->")
    guard sides.count == 2 else { throw NetworkFileError.Problem("`\(usage)`") }
    let left = Substring(sides[0]).trimmingWhitespace
    return (
      left.isEmpty ? nil : try number(left, what: "the inputs"),
      try number(Substring(sides[1]).trimmingWhitespace, what: "the outputs")
    )
  }

  static func inputCount(_ kind: Substring, _ arguments: Substring) throws -> Int? {
    switch kind {
    case "conv": try arrow(arguments.split(separator: ",").first ?? "", "conv [C] -> K").inputs
    case "fc": try arrow(arguments, "fc [N] -> M").inputs
    default: nil
    }
  }

  /// `NAME V`: a positive number (0 too when `zero`).
  static func option(_ field: Substring, _ name: String, zero: Bool = false) throws -> Int {
    let parts = field.split(whereSeparator: \.isWhitespace)
    guard parts.count == 2, parts[0] == name else {
      throw NetworkFileError.Problem("`\(name) N`, got `\(field)`")
    }
    return try number(parts[1], what: name, zero: zero)
  }

  static func number(_ text: Substring, what: String, zero: Bool = false) throws -> Int {
    guard let n = Int(text), n >= (zero ? 0 : 1), n <= largest else {
      throw NetworkFileError.Problem(
        "\(what) must be a whole number from \(zero ? 0 : 1) to 1,000,000, got `\(text)`")
    }
    return n
  }

  /// Where a line gives the input count (`conv 3 -> 8`, `fc 400 -> 120`), it must be what the
  /// layer below gives: `declared` pairs each spec with its count, and the layers (a ReLU folds
  /// into the layer before it) come in the same order.
  static func checkInputs(
    _ declared: [(spec: LayerSpec, inputs: Int?)], _ network: NetworkArchitecture, file: String
  ) throws {
    let layers = network.layers.filter { $0.kind != .softmax }
    for ((spec, given), layer) in zip(declared.filter { $0.spec.kind != .relu }, layers) {
      guard let given, given != layer.input[0] else { continue }
      throw NetworkFileError(
        file: file, line: spec.line,
        problem:
          "the layer says \(given) inputs, but the layer before gives \(layer.input[0]) (its output is "
          + "\(layer.input))")
    }
  }
}
