import ConvTourEngine

/// A tensor declared by what it is rather than by its values (`tensor NAME [SHAPE] = KIND(key:
/// value, …)`), for the command that loads the lessons to make:
///
/// - `image(data: "cifar-10 digits", split: train, index: 1, network: "textbook-convnet")`: one
///   image of the first dataset found, prepared for the network's input (`normalise: no` stops
///   before `Normalize`);
/// - `images(data: "digits", split: test, network: "digits-tiny")`: a whole split;
/// - `labels(data: "digits", split: test)`: its classes, counted from 0 as PyTorch does;
/// - `init(network: "textbook-convnet", parameter: "conv1.weight", seed: 0)`: one parameter of
///   the network's seeded weights (`convtour net init`'s);
/// - `listing(name: L, line: "self.hidden1.weight =")`: the numbers of the one line of listing L
///   (quoted above) that contains the text, in order — `torch.tensor([[-2., 1.], [3., -1.]])`
///   gives −2 1 3 −1 — so the lesson runs the listing's own numbers. The parser makes these.
///
/// The lessons stay free of files: ConvTourLessons only records the request.
public struct ExternalTensor: Sendable, Equatable {
  public static let kinds = ["image", "images", "labels", "init", "listing"]
  public var kind: String
  /// The arguments as written: numbers in their shortest form, names and quoted text as they are.
  public var arguments: [String: String]

  public init(kind: String, arguments: [String: String]) {
    self.kind = kind
    self.arguments = arguments
  }
}

extension ExternalTensor {
  /// The numbers of a `listing(name: L, line: "TEXT")` request, from the listings quoted so far.
  func listingValues(_ listings: [Listing], shape: [Int], at location: SourceLocation) throws -> [Double] {
    guard let name = arguments["name"], let text = arguments["line"], arguments.count == 2 else {
      throw LessonError(location, "expected listing(name: LISTING, line: \"text of one line\")")
    }
    guard let listing = listings.first(where: { $0.name == name }) else {
      throw LessonError(location, "unknown listing \"\(name)\": quote it with `listing \(name)` above")
    }
    let lines = listing.lines.filter { $0.contains(text) }
    guard lines.count == 1 else {
      throw LessonError(location, "expected one line of \(name) containing \"\(text)\", found \(lines.count)")
    }
    // The numbers after the text: an optional minus, digits, an optional point and digits.
    let tail = lines[0][lines[0].range(of: text)!.upperBound...]
    var numbers: [Double] = []
    var current = ""
    for c in tail + " " {
      if c.isASCII, c.isNumber || c == "." || (c == "-" && current.isEmpty) {
        current.append(c)
      } else {
        if current.contains(where: \.isNumber),
          let x = Double(current.hasSuffix(".") ? current + "0" : current)
        {
          numbers.append(x)
        }
        current = ""
      }
    }
    guard numbers.count == Shape.count(shape) else {
      throw LessonError(
        location,
        "the line \"\(lines[0])\" holds \(numbers.count) numbers; the shape holds \(Shape.count(shape))")
    }
    return numbers
  }
}

/// Values the loader makes on first use, with a note saying where they came from.
public struct ProvidedTensor: Sendable {
  public var note: String
  public var load: @Sendable () throws -> Tensor

  public init(note: String, load: @escaping @Sendable () throws -> Tensor) {
    self.note = note
    self.load = load
  }
}

/// `W1_t, b1_t = train(W1, b1, images: X, labels: Y, network: "N", epochs: E, batch: B, lr: η,
/// seed: S)`: E epochs of minibatch SGD (`torch.optim.SGD`, momentum 0 unless `momentum:`) of
/// network N, from the parameters given (in its `state_dict` order), on images X [n, C, H, W]
/// and labels Y [n] (classes from 0), shuffled by the seed — the fast path in float32, as
/// `convtour net train` runs it. The outputs are the trained parameters.
public struct TrainingRequest: Sendable {
  public var network: String
  public var parameters: [String]
  public var images: String
  public var labels: String
  public var epochs: Int
  public var batch: Int
  public var learningRate: Double
  public var momentum: Double
  public var seed: UInt64
  public var outputs: [String]
}
