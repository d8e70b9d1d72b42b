import ConvTourEngine
import ConvTourIO
import ConvTourLessons
import Foundation

/// Makes what a lesson declares by name rather than by value: a dataset's images and labels
/// (`image(…)`, `images(…)`, `labels(…)`), a network's seeded parameters (`init(…)`), and the
/// networks its `train` steps name. Everything is decided here when the lessons load (which
/// dataset is there, which network a name is) and read on first use, so listing lessons stays
/// quick; a problem is a load error at the declaration's line.
struct LessonData {
  /// The lessons' folder: `data/digits` and `networks/NAME.net` are found in it.
  var folder: URL
  /// Where CIFAR-10 is looked for, in order: $CONVTOUR_CIFAR10, then `./data`, the textbook's
  /// `torchvision.datasets.CIFAR10(root='./data')`.
  var cifarCandidates: [String] = {
    var result: [String] = []
    if let env = ProcessInfo.processInfo.environment["CONVTOUR_CIFAR10"], !env.isEmpty { result.append(env) }
    return result + ["data"]
  }()
  /// $CONVTOUR_CIFAR10 when it is set (not empty).
  var cifarVariable: String? = ProcessInfo.processInfo.environment["CONVTOUR_CIFAR10"].flatMap {
    $0.isEmpty ? nil : $0
  }

  /// Why $CONVTOUR_CIFAR10, set, is not CIFAR-10, in one line ("$CONVTOUR_CIFAR10: /x: no such
  /// file or folder"); nil when it is unset or is CIFAR-10. Set, it says the student wants
  /// CIFAR-10: a lesson that falls back to another dataset says why, out loud (`warnings`).
  var cifarVariableProblem: String? {
    guard let path = cifarVariable else { return nil }
    do {
      if case .cifar = try DatasetSource.kind(of: path) { return nil }
      return "$CONVTOUR_CIFAR10: \(path): not CIFAR-10 (expected cifar-10-batches-py or -bin, or a folder "
        + "holding one)"
    } catch {
      return "$CONVTOUR_CIFAR10: \(error)"
    }
  }

  /// The lesson with what it declares by name made, and what a student should be told about
  /// it: a dataset the lesson could not take as asked ($CONVTOUR_CIFAR10 set but unreadable).
  func resolve(_ lesson: Lesson) throws -> (lesson: Lesson, warnings: [String]) {
    var warnings: [String] = []
    var lesson = lesson
    for (k, declaration) in lesson.tensors.enumerated() {
      guard case .external(let request) = declaration.values else { continue }
      do {
        let provided = try self.provided(request, shape: declaration.shape)
        if let warning = try cifarWarning(request, lesson: lesson.id), !warnings.contains(warning) {
          warnings.append(warning)
        }
        lesson.tensors[k].values = .provided(provided)
        lesson.tensors[k].note = [declaration.note, provided.note].compactMap { $0 }.joined(separator: " — ")
      } catch let error as LessonError {
        throw error
      } catch {
        throw LessonError(declaration.location, "\(request.kind)(…): \(error)")
      }
    }
    for (name, step) in zip(lesson.trainedNetworks, lesson.steps.filter(\.isTrain)) {
      do { lesson.networks[name] = try network(name) } catch {
        throw LessonError(step.location, "train: \(error)")
      }
    }
    return (lesson, warnings)
  }

  /// "$CONVTOUR_CIFAR10: /x: no such file or folder — lesson L takes the shipped digits instead",
  /// for a request that asks for CIFAR-10 while the variable is set and is not CIFAR-10.
  func cifarWarning(_ request: ExternalTensor, lesson: String) throws -> String? {
    guard let data = request.arguments["data"], data.split(separator: " ").contains("cifar-10"),
      let problem = cifarVariableProblem
    else { return nil }
    let taken = try dataSource(data).name
    return "\(problem) — lesson \(lesson) takes \(taken == "digits" ? "the shipped digits" : taken) instead"
  }

  /// A built-in network, or `networks/NAME.net` beside the lessons.
  func network(_ name: String) throws -> NetworkArchitecture {
    if let builtIn = try BuiltInNetworks.named(name) { return builtIn }
    let file = folder.appendingPathComponent("networks/\(name).net").path
    guard FileManager.default.fileExists(atPath: file) else {
      throw LessonDataError(
        "no network \"\(name)\": the built-in ones are \(BuiltInNetworks.names.joined(separator: ", ")), "
          + "or a file networks/\(name).net beside the lessons")
    }
    return try NetworkFile.read(path: file)
  }

  func provided(_ request: ExternalTensor, shape: [Int]) throws -> ProvidedTensor {
    let a = request.arguments
    let allowed: Set<String> =
      switch request.kind {
      case "init": ["network", "parameter", "seed"]
      case "labels": ["data", "split"]
      case "images": ["data", "split", "network", "normalise"]
      default: ["data", "split", "index", "network", "normalise"]
      }
    if let extra = a.keys.sorted().first(where: { !allowed.contains($0) }) {
      throw LessonDataError(
        "\(request.kind)(…) has no parameter \"\(extra)\"; its parameters: \(allowed.sorted().joined(separator: ", "))"
      )
    }
    func required(_ key: String) throws -> String {
      guard let value = a[key] else { throw LessonDataError("\(request.kind)(…) needs \(key):") }
      return value
    }
    if request.kind == "init" {
      return try initialised(try required("network"), try required("parameter"), a["seed"])
    }
    let source = try dataSource(try required("data"))
    let split = a["split"] ?? "train"
    guard ["train", "test"].contains(split) else {
      throw LessonDataError("expected split: train or split: test")
    }
    let test = split == "test"
    if request.kind == "labels" {
      return ProvidedTensor(note: "the \(split) labels of \(source.name), classes from 0") {
        let data = try source.open()
        let labels = (test ? data.test : data.train).labels
        return try Tensor(shape: [labels.count], values: labels.map(Double.init))
      }
    }
    let network = try self.network(try required("network"))
    let normalise = a["normalise"] ?? "yes"
    guard ["yes", "no"].contains(normalise) else { throw LessonDataError("expected normalise: yes or no") }
    let normalisation =
      normalise == "no"
      ? InputNormalisation(mean: [0], std: [1], grey: network.normalisation.grey) : network.normalisation
    let input = network.input
    let what =
      normalisation == network.normalisation
      ? "prepared for \(network.name)" : "ToTensor() only, for \(network.name)"
    if request.kind == "images" {
      return ProvidedTensor(note: "the \(split) images of \(source.name), \(what)") {
        let data = try source.open()
        let images = try data.prepared(
          test ? data.test : data.train, for: input, normalisation: normalisation)
        return Tensor(images)
      }
    }
    guard let indexText = a["index"], let index = Int(indexText), index >= 1 else {
      throw LessonDataError("image(…) needs index: a whole number from 1")
    }
    let batched = shape.count == 4
    let note =
      "\(source.name) \(split) image \(index)\(source.fallback.map { " (\($0))" } ?? ""), \(what)"
      + (source.name == "digits" && input[0] == 3
        ? ": 8×8 grey, Pillow's bilinear resize to \(input[1])×\(input[2]), grey copied to R, G and B" : "")
    return ProvidedTensor(note: note) {
      let data = try source.open()
      let whole = test ? data.test : data.train
      guard index <= whole.count else {
        throw LessonDataError(
          "index \(index): the \(split) split of \(source.name) has \(whole.count) images")
      }
      let one = try data.prepared(whole.only(index - 1), for: input, normalisation: normalisation)
      let t = Tensor(one)
      return batched ? t : try Tensor(shape: input, values: t.values)
    }
  }

  /// One parameter of the network's seeded weights, as `convtour net init --seed S` writes them.
  func initialised(_ name: String, _ parameter: String, _ seedText: String?) throws -> ProvidedTensor {
    let network = try self.network(name)
    guard let seed = UInt64(seedText ?? "0") else {
      throw LessonDataError("expected seed: a whole number ≥ 0")
    }
    guard network.parameterShapes.contains(where: { $0.name == parameter }) else {
      throw LessonDataError(
        "\(name) has no parameter \(parameter); its parameters: "
          + network.parameterShapes.map(\.name).joined(separator: ", "))
    }
    let note =
      "\(parameter) of `convtour net init --network \(name) --seed \(seed)` (uniform in ±1/√fan_in, "
      + "as PyTorch's layers draw it, from ConvTour's seeded generator)"
    return ProvidedTensor(note: note) {
      Tensor(NetworkParameters.random(network, seed: seed).tensors[parameter]!)
    }
  }

  /// A dataset the lesson names: the first of `data`'s space-separated names that is here.
  struct Source: Sendable {
    var name: String
    /// Why an earlier choice was not taken ("no CIFAR-10 in ./data").
    var fallback: String?
    var open: @Sendable () throws -> Dataset
  }

  func dataSource(_ data: String) throws -> Source {
    var missing: [String] = []
    for name in data.split(separator: " ").map(String.init) {
      switch name {
      case "digits":
        let folder = folder.appendingPathComponent("data/digits").path
        return Source(
          name: "digits",
          fallback: missing.isEmpty ? nil : missing.joined(separator: "; ") + ": the shipped digits"
        ) { try DatasetSource.open("digits", digitsFolder: folder) }
      case "cifar-10":
        for candidate in cifarCandidates {
          if case .cifar(let folder, let layout)? = try? DatasetSource.kind(of: candidate) {
            return Source(name: "CIFAR-10", fallback: nil) {
              try DatasetCIFAR.read(folder: folder, layout: layout)
            }
          }
        }
        // A variable that is set but not CIFAR-10 is named with why; then the other places.
        let others = cifarCandidates.filter { $0 != cifarVariable || cifarVariableProblem == nil }
        missing.append(
          ([cifarVariableProblem].compactMap { $0 } + ["no CIFAR-10 in \(others.joined(separator: " or "))"])
            .joined(separator: "; "))
      default:
        throw LessonDataError("data: \"\(name)\": expected digits or cifar-10")
      }
    }
    throw LessonDataError(missing.joined(separator: "; "))
  }
}

struct LessonDataError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

extension Step {
  var isTrain: Bool { if case .train = action { true } else { false } }
}

extension DatasetSplit {
  /// The split's image `index` (from 0) alone.
  func only(_ index: Int) -> DatasetSplit {
    switch images {
    case .bytes(let c, let h, let w, let pixels):
      let size = c * h * w
      return DatasetSplit(
        images: .bytes(
          channels: c, height: h, width: w, pixels: Array(pixels[(index * size)..<((index + 1) * size)])),
        labels: [labels[index]])
    case .pictures(let pictures):
      return DatasetSplit(images: .pictures([pictures[index]]), labels: [labels[index]])
    case .floats(let t):
      let size = Shape.count(Array(t.shape.dropFirst()))
      let one =
        (try? Tensor32(
          shape: [1] + t.shape.dropFirst(), values: Array(t.values[(index * size)..<((index + 1) * size)])))
      return DatasetSplit(images: .floats(one ?? t), labels: [labels[index]])
    }
  }
}
