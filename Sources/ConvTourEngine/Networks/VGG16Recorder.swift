/// Keeps what a VGG-16 run computed, from its observer's events, for explaining elements after
/// the run: each kept layer's output and, after a backward pass, ∂J/∂(that output).
///
/// The network passes each finished forward layer's output and each backward layer's incoming
/// δ = ∂J/∂(output) to its observer; this keeps them (copies on write: the network frees or
/// overwrites its own). Everything at batch 1 is about 2 × 15 million floats (about 120 MB), well
/// under what the run itself holds (the weights and their gradients, 1.1 GB).
public final class VGG16Recorder: @unchecked Sendable {
  /// Layer k's output (the input of layer k + 1), by k.
  public private(set) var outputs: [Int: Tensor32] = [:]
  /// ∂J/∂(layer k's output), by k; the last layer before the softmax gets ∂J/∂z⁽¹⁶⁾ = (a − y)/m.
  public private(set) var deltas: [Int: Tensor32] = [:]
  /// The layers to keep; nil keeps all.
  public let layers: Set<Int>?

  public init(layers: Set<Int>? = nil) { self.layers = layers }

  public func record(_ event: VGG16Network.Event) {
    guard let t = event.tensor, layers?.contains(event.layer) ?? true else { return }
    switch (event.phase, event.finished) {
    case (.forward, true): outputs[event.layer] = t
    case (.backward, false): deltas[event.layer] = t
    default: break
    }
  }

  /// The layers whose tensors explaining layer k needs: k − 1 (its input), k, and forward to the
  /// next layer with parameters or the loss (the route δ takes back).
  public static func layersToExplain(_ k: Int, in architecture: VGG16Architecture) -> Set<Int> {
    var needed: Set<Int> = [k - 1, k]
    var next = k + 1
    while next < architecture.layers.count {
      needed.insert(next)
      if architecture.layers[next].kind != .flatten { break }
      next += 1
    }
    return needed
  }
}
