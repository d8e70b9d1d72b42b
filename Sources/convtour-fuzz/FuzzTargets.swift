import ConvTourEngine
import ConvTourIO
import ConvTourLessons
import ConvTourPresentation
import Foundation

/// One fuzz target per parser and decoder. Each takes any bytes and must return (a thrown error
/// is a fine answer) without trapping, hanging or allocating without bound. The byte-level
/// targets go through the public entry points on a scratch file, as the command line does.
enum FuzzTargets {
  static let names = [
    "lesson", "safetensors", "npy", "png", "jpeg", "ppm", "pth", "network", "idx", "cifar", "imagefolder",
  ]

  /// Budgets small enough that libFuzzer keeps hundreds of inputs a second: every lesson the
  /// parser accepts has its cost estimated; those under `runs` are run and checked, and those
  /// under `traces` are traced too, element by element. A lesson the estimate lets through that
  /// runs long is a finding (-timeout).
  static let runs = LessonBudget(memory: 4 * 1_048_576, operations: 200_000, elements: true)
  static let traces = LessonBudget(memory: 1_048_576, operations: 20_000, elements: true)

  /// The largest image the image targets decode: 1 megapixel (the command line takes 100). A
  /// 300-byte corrupt JPEG declaring 8.5 megapixels decodes (libjpeg fills what is missing, as PIL
  /// accepts) in about a second under the address sanitizer: legitimate, and 30 inputs a second.
  static let imagePixels = 1_000_000

  /// Runs target `name` on `bytes`; false for an unknown target.
  static func run(_ name: String, _ bytes: [UInt8]) -> Bool {
    ImageInput.maxPixels = imagePixels
    switch name {
    case "lesson": lesson(bytes)
    case "safetensors": _ = try? Safetensors.read(path: scratch(bytes))
    case "npy": _ = try? Numpy.readFloat32(path: scratch(bytes))
    case "png", "jpeg", "ppm": image(bytes, magic: name)
    case "pth": weights(bytes)
    case "network": network(bytes)
    case "idx": FuzzDatasets.idx(bytes)
    case "cifar": FuzzDatasets.cifar(bytes)
    case "imagefolder": FuzzDatasets.imageFolder(bytes)
    default: return false
    }
    return true
  }

  /// Parses a lesson and estimates its cost; a small one is run, checked and traced.
  static func lesson(_ bytes: [UInt8]) {
    guard let text = String(validating: bytes, as: UTF8.self),
      let lesson = try? LessonParser.parse(text, file: "fuzz.lesson"), (try? runs.check(lesson)) != nil,
      let run = try? LessonRun(lesson)
    else { return }
    _ = Checker.check(run)
    guard (try? traces.check(lesson)) != nil else { return }
    _ = try? TextTrace(detail: .element).render(run)
    _ = try? JSONTrace(detail: .element).value(run)
  }

  /// Parses a network file; a small network is given seeded weights and run forward and
  /// backward on the fast path.
  static func network(_ bytes: [UInt8]) {
    guard let text = String(validating: bytes, as: UTF8.self),
      let network = try? NetworkFile.parse(text, file: "fuzz.net", name: "fuzz"),
      VGG16Memory.estimate(network, batch: 1, backward: true) < 8 * 1_048_576,
      network.multiplyAdds < 2_000_000
    else { return }
    let parameters = NetworkParameters.random(network, seed: 1)
    let x = Tensor32(zeros: [1] + network.input)
    _ = try? FastNetwork(parameters: parameters).run(x, labels: [0], backward: true)
  }

  /// The shrunk VGG-16 of the weights fixtures, for the naming step.
  static let shrunk = (try? VGG16Architecture(size: 32, widths: [3, 4, 4, 5, 6], hidden: 7, classes: 5))?
    .parameterShapes

  /// Reads weights in any format `--weights` takes (the .pth layouts above all): every tensor
  /// under its own name, then, when that worked, under the shrunk network's names.
  static func weights(_ bytes: [UInt8]) {
    let path = scratch(bytes)
    guard (try? WeightsReader.read(path: path)) != nil else { return }
    _ = try? WeightsReader.read(path: path, expected: shrunk)
  }

  /// Decodes an image and preprocesses it for VGG-16 at a small size. The format is chosen by
  /// the magic bytes, so each image target keeps its own (libFuzzer then explores past them).
  static func image(_ bytes: [UInt8], magic: String) {
    let prefix: [UInt8] =
      switch magic {
      case "png": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
      case "jpeg": [0xFF, 0xD8]
      default: Array("P6".utf8)
      }
    let file = bytes.starts(with: prefix) ? bytes : prefix + bytes
    guard let image = try? ImageInput.decode(path: scratch(file)) else { return }
    _ = try? ImageInput.preprocess(image, resize: 36, crop: 32)
  }

  /// The scratch file the byte-level targets read: one per process, rewritten for each input.
  static func scratch(_ bytes: [UInt8]) -> String {
    let path = scratchPath
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return path }
    defer { close(descriptor) }
    var done = 0
    while done < bytes.count {
      let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, bytes.count - done) }
      guard written > 0 else { break }
      done += written
    }
    return path
  }

  static let scratchPath: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return folder + "/convtour-fuzz-\(getpid())"
  }()
}
