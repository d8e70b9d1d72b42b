import ConvTourEngine
import Foundation

/// Per-layer progress of a VGG-16 pass on standard error: one updating line (layer, bar,
/// elapsed) when standard error is a terminal, nothing otherwise.
final class Progress: @unchecked Sendable {
  let layers: [String]
  let start = DispatchTime.now()
  let live = isatty(2) == 1

  init(layers: [String]) { self.layers = layers }

  func report(_ event: VGG16Network.Event) {
    guard live, !event.finished else { return }
    let done = event.phase == .forward ? event.layer : 2 * layers.count - 1 - event.layer
    let total = 2 * layers.count
    let width = 24
    let filled = width * done / total
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    let phase = event.phase == .forward ? "forward " : "backward"
    let name = layers[event.layer].padding(toLength: 8, withPad: " ", startingAt: 0)
    FileHandle.standardError.write(
      Data("\r\(phase) \(name) \(bar) \(String(format: "%6.2f", elapsed)) s".utf8))
  }

  func finish() {
    if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
