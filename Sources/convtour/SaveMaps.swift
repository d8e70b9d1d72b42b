import ConvTourEngine
import ConvTourIO
import ConvTourPresentation
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `vgg16 run --save-maps DIR`: PNG pictures of what a run computed, for slides.
///
/// - `NN-LAYER-a-cK.png`: channel K (1-based) of a convolution or max-pool layer's output, on the
///   sequential scale from its minimum (dark violet) to its maximum (yellow);
/// - `NN-LAYER-delta-cK.png`, after a backward pass: ∂J/∂(that output), on the diverging scale, white
///   at 0, blue below, red above;
/// - `input.png`: the network's input (example 1, de-normalised); `saliency.png`: max over colour
///   channels of |∂J/∂x| (sequential scale).
/// NN is the layer's row in `vgg16 table`. Small maps are enlarged by repeating pixels to about
/// 224 pixels across; `maps.txt` lists every file with its scale and the values at its ends.
final class MapWriter: @unchecked Sendable {
  let directory: URL
  /// 0-based channels to draw.
  let channels: [Int]
  let layers: [VGG16Architecture.Layer]
  private var legend: [String] = []
  /// The first write that failed (the network's observer cannot throw).
  private var failure: Error?

  /// Checks everything before any work, in the order a user would fix it: the channels (each
  /// from 1 to the most channels a drawn layer has; repeats dropped), then the directory (an
  /// existing one, or one that can be made: it is made only once everything else is right), then
  /// every file the run will write there (`files`: each absent or a regular file).
  init(path: String, channels: [Int], architecture: VGG16Architecture, backward: Bool) throws {
    let drawn = architecture.layers.filter { $0.kind == .convolution || $0.kind == .maxPool }
    guard let widest = drawn.max(by: { $0.output[0] < $1.output[0] }) else {
      throw UsageError("--save-maps: \(architecture.name) has no convolution or max-pool output to draw")
    }
    for channel in channels where !(1...widest.output[0]).contains(channel) {
      throw UsageError(
        "--map-channels \(channel): channels count from 1, and the most any layer has is \(widest.output[0]) (\(widest.name))"
      )
    }
    var unique: [Int] = []
    for channel in channels where !unique.contains(channel - 1) { unique.append(channel - 1) }
    self.directory = URL(fileURLWithPath: path)
    self.channels = unique
    self.layers = architecture.layers
    // Files to check only in a directory already there (a new one is empty).
    let files = self.files(backward: backward, input: architecture.input)
    let bytes = files.reduce(0) { $0 + $1.bytes }
    guard try !Self.checkDirectory(path) else {
      try Self.checkSpace(OutputFile.folder(of: path), files: files.count, bytes: bytes, for: path)
      if mkdir(path, 0o777) != 0 {
        throw UsageError(
          "--save-maps \(path): cannot make the directory: \(String(cString: strerror(errno)))")
      }
      return
    }
    for (name, _) in files {
      let file = directory.appendingPathComponent(name).path
      do { try OutputFile.check(file) } catch {
        throw UsageError("--save-maps \(path): \(name): \(error.message)")
      }
    }
    try Self.checkSpace(path, files: files.count, bytes: bytes, for: path)
  }

  /// Refuses a directory on a disk without room for every file at its largest (a full disk
  /// found before the run, not after it).
  static func checkSpace(_ folder: String, files: Int, bytes: Int, for path: String) throws {
    var disk = statvfs()
    guard statvfs(folder, &disk) == 0 else { return }
    let free = Double(disk.f_bavail) * Double(disk.f_frsize)
    guard free < Double(bytes) else { return }
    throw UsageError(
      "--save-maps \(path): the disk has \(Int(free / 1024)) KB free; the \(files) files may need up to \(bytes / 1024) KB"
    )
  }

  /// An existing writable directory (false), or a path whose parent is a writable directory, for
  /// a new one to be made there (true).
  static func checkDirectory(_ path: String) throws -> Bool {
    var status = stat()
    if lstat(path, &status) == 0 {
      guard status.st_mode & S_IFMT == S_IFDIR else {
        throw UsageError("--save-maps \(path): not a directory")
      }
      guard access(path, W_OK | X_OK) == 0 else {
        throw UsageError("--save-maps \(path): the directory is not writable")
      }
      return false
    }
    let parent = OutputFile.folder(of: path)
    var parentStatus = stat()
    guard stat(parent, &parentStatus) == 0 else {
      throw UsageError("--save-maps \(path): cannot make the directory: its parent \(parent) does not exist")
    }
    guard parentStatus.st_mode & S_IFMT == S_IFDIR else {
      throw UsageError("--save-maps \(path): cannot make the directory: \(parent) is not a directory")
    }
    guard access(parent, W_OK | X_OK) == 0 else {
      throw UsageError(
        "--save-maps \(path): cannot make the directory: its parent \(parent) is not writable")
    }
    return true
  }

  /// Every file a run writes, in the order it writes them, with the most bytes each can take.
  func files(backward: Bool, input: [Int]) -> [(name: String, bytes: Int)] {
    var files: [(name: String, bytes: Int)] = []
    for phase in backward ? ["a", "delta"] : ["a"] {
      for (k, layer) in layers.enumerated() where layer.kind == .convolution || layer.kind == .maxPool {
        let bytes = Self.largestPNG(height: layer.output[1], width: layer.output[2])
        for c in channels where c < layer.output[0] { files.append((fileName(k, layer, phase, c), bytes)) }
      }
    }
    let picture = Self.largestPNG(height: input[1], width: input[2])
    files.append(("input.png", picture))
    if backward { files.append(("saliency.png", picture)) }
    // A line of about 120 bytes per picture.
    return files + [("maps.txt", 120 * files.count)]
  }

  /// The most bytes a map of height × width takes as a PNG once enlarged (`save`): its RGB pixels
  /// stored, with a filter byte a row and the chunks' overhead (deflate's stored blocks add 5
  /// bytes in 65,535).
  static func largestPNG(height: Int, width: Int) -> Int {
    let factor = max(1, 224 / max(height, width, 1))
    let (rows, row) = (height * factor, 3 * width * factor + 1)
    return rows * row + rows * row / 13_000 + 1024
  }

  /// `NN-LAYER-a-cK.png` (NN the layer's row in the table, K the 1-based channel).
  func fileName(_ k: Int, _ layer: VGG16Architecture.Layer, _ phase: String, _ c: Int) -> String {
    String(format: "%02d-%@-%@-c%d.png", k + 1, layer.name, phase, c + 1)
  }

  /// The network's observer: draws the chosen channels of each convolution and max-pool output as
  /// it finishes, and of each ∂J/∂output as the backward pass reaches it.
  func record(_ event: VGG16Network.Event) {
    guard let t = event.tensor, failure == nil else { return }
    let layer = layers[event.layer]
    guard layer.kind == .convolution || layer.kind == .maxPool, t.shape.count == 4 else { return }
    let forward = event.phase == .forward
    guard forward == event.finished else { return }
    for c in channels where c < t.shape[1] {
      let name = fileName(event.layer, layer, forward ? "a" : "delta", c)
      let what =
        forward ? "\(layer.name) output, channel \(c + 1)" : "∂J/∂(\(layer.name) output), channel \(c + 1)"
      save(MapPicture(t.values, shape: t.shape, channel: c), forward ? .sequential : .diverging, name, what)
    }
  }

  /// After the run: the input and, after a backward pass, the saliency map; then `maps.txt`.
  func finish(input x: Tensor32, result: VGG16Network.Result) throws {
    if let failure { throw failure }
    try writePNG(RGBImage(denormalising: x), name: "input.png")
    legend.append("input.png  the input, example 1, de-normalised (ImageNet mean and std)")
    if let g = result.inputGradient {
      let s = try Saliency.map(g)
      save(MapPicture(s.values, shape: s.shape), .sequential, "saliency.png", "saliency max_c |∂J/∂x|")
    }
    if let failure { throw failure }
    let text = legend.joined(separator: "\n") + "\n"
    try write(Array(text.utf8), name: "maps.txt")
  }

  private func save(_ map: MapPicture, _ scale: ColourScale, _ name: String, _ what: String) {
    let picture = map.enlarged(by: max(1, 224 / max(map.height, map.width)))
    let (pixels, low, high) = picture.rgb(scale)
    do {
      try writePNG(RGBImage(width: picture.width, height: picture.height, pixels: pixels), name: name)
    } catch {
      failure = error
      return
    }
    let ends =
      scale == .sequential
      ? "violet = \(low), yellow = \(high)" : "blue = \(low), white = 0, red = \(high)"
    legend.append("\(name)  \(what): \(map.height)×\(map.width), \(ends)")
  }

  private func writePNG(_ image: RGBImage, name: String) throws {
    try write(PNGEncoder.encode(image), name: name)
  }

  /// Through a temporary file renamed into place (removed if a signal ends the run); a path that
  /// is not a regular file is refused, and any failure is one line naming the file.
  private func write(_ bytes: [UInt8], name: String) throws {
    let path = directory.appendingPathComponent(name).path
    do { try OutputFile.write(bytes, to: path) } catch {
      throw UsageError("--save-maps: \(path): \(error)")
    }
  }
}
