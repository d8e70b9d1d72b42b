import ConvTourEngine
import ConvTourIO
import ConvTourPresentation
import Foundation

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

  /// Checks the destination before any work: a directory, or a path where one can be made.
  init(path: String, channels: [Int], architecture: VGG16Architecture) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw UsageError("--save-maps \(path): not a directory") }
    } else {
      do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
      } catch {
        throw UsageError("--save-maps \(path): cannot make the directory (does its parent exist?)")
      }
    }
    guard FileManager.default.isWritableFile(atPath: path) else {
      throw UsageError("--save-maps \(path): the directory is not writable")
    }
    if let bad = channels.first(where: { $0 < 1 }) {
      throw UsageError("--map-channels \(bad): channels count from 1")
    }
    self.directory = URL(fileURLWithPath: path)
    self.channels = channels.map { $0 - 1 }
    self.layers = architecture.layers
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
      let name = String(
        format: "%02d-%@-%@-c%d.png", event.layer + 1, layer.name, forward ? "a" : "delta", c + 1)
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
    try Data(text.utf8).write(to: directory.appendingPathComponent("maps.txt"), options: .atomic)
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
    let url = directory.appendingPathComponent(name)
    if let kind = try? FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType,
      kind != .typeRegular
    {
      throw UsageError("--save-maps: \(url.path) exists and is not a regular file; not replacing it")
    }
    do {
      try Data(PNGEncoder.encode(image)).write(to: url, options: .atomic)
    } catch let error as UsageError {
      throw error
    } catch {
      throw UsageError("--save-maps: cannot write \(url.path): \(error)")
    }
  }
}
