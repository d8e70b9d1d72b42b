import ConvTourEngine

/// What a finished VGG-16 run in the tour keeps, so that any element can be explained after it:
/// the weights, the input, the labels, every layer's output and (after a backward pass) every δ,
/// and the summary the screen shows (top-5, loss, saliency, gradient norms).
public struct VGGRunRecord: @unchecked Sendable {
  /// Where the weights and the input came from, as the screen says it.
  public struct Source: Sendable, Equatable {
    /// The image files, or empty for the seeded input.
    public var images: [String]
    /// The weights file, or nil for seeded weights.
    public var weights: String?
    public var labels: [Int]
    /// The input as the eye sees it (de-normalised), 8-bit RGB, row-major, the network's size.
    public var preview: [UInt8]

    public init(images: [String] = [], weights: String? = nil, labels: [Int] = [], preview: [UInt8] = []) {
      (self.images, self.weights, self.labels, self.preview) = (images, weights, labels, preview)
    }

    /// "image cat.jpg · weights vgg16.safetensors · label 281" or the seeded ones, with how to give real ones.
    public var description: String {
      let input =
        images.isEmpty
        ? "seeded input"
        : "image "
          + images.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: ", ")
      let weightsText =
        weights.map { "weights " + ($0.split(separator: "/").last.map(String.init) ?? $0) }
        ?? "seeded weights"
      let label = labels.isEmpty ? "label 0" : "label " + labels.map(String.init).joined(separator: ", ")
      return "\(input)\(Chrome.separator)\(weightsText)\(Chrome.separator)\(label)"
    }

    public var seeded: Bool { images.isEmpty || weights == nil }
  }

  public var source: Source
  public var parameters: VGG16Parameters
  public var x: Tensor32
  public var labels: [Int]
  public var recorder: VGG16Recorder
  public var backward: Bool
  public var loss: Float?
  /// The five most probable classes of example 1: (0-based class, probability).
  public var top: [(index: Int, probability: Float)]
  /// max over colour channels of |∂J/∂x| [H, W], after a backward pass.
  public var saliency: Tensor32?
  /// ‖∂J/∂W‖₂ by layer, after a backward pass.
  public var gradientNorms: [Int: Double]
  /// The fast path's ∂J/∂W by layer (Float32), for the `w` view's comparison: a convolution's
  /// whole, a fully connected layer's first `keptInputs` columns ([outputs, min(inputs, 256)]),
  /// so fc6's 411 MB are not kept for the columns the view reaches.
  public var fastWeightGradients: [Int: Tensor32]
  public static let keptInputs = 256

  /// Keeps what `result` and `recorder` hold of a run on x.
  public init(
    source: Source, parameters: VGG16Parameters, x: Tensor32, labels: [Int], recorder: VGG16Recorder,
    result: VGG16Network.Result, backward: Bool
  ) throws {
    (self.source, self.parameters, self.x, self.labels) = (source, parameters, x, labels)
    (self.recorder, self.backward, self.loss) = (recorder, backward, result.loss)
    let p = result.probabilities.values.prefix(result.probabilities.shape.last ?? 0)
    top = p.indices.sorted { p[$0] > p[$1] }.prefix(5).map { (index: $0, probability: p[$0]) }
    saliency = try result.inputGradient.map { try Saliency.map($0) }
    var norms: [Int: Double] = [:]
    var kept32: [Int: Tensor32] = [:]
    for (k, layer) in parameters.architecture.layers.enumerated() {
      guard let name = layer.weightName, let g = result.gradients[name] else { continue }
      norms[k] = g.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
      if g.shape.count == 2, g.shape[1] > Self.keptInputs {
        let (rows, columns) = (g.shape[0], g.shape[1])
        var kept = [Float](repeating: 0, count: rows * Self.keptInputs)
        for r in 0..<rows {
          for c in 0..<Self.keptInputs { kept[r * Self.keptInputs + c] = g.values[r * columns + c] }
        }
        kept32[k] = try Tensor32(shape: [rows, Self.keptInputs], values: kept)
      } else {
        kept32[k] = g
      }
    }
    gradientNorms = norms
    fastWeightGradients = kept32
  }

  /// Bytes kept for explanations: every layer's output and δ (Float32).
  public var keptBytes: Int {
    (recorder.outputs.values.map(\.count).reduce(0, +) + recorder.deltas.values.map(\.count).reduce(0, +)) * 4
  }

  /// The fast path's ∂J/∂W of layer k at `index` (0-based), when kept; nil otherwise.
  public func fastWeightGradient(layer k: Int, at index: [Int]) -> Float? {
    guard let g = fastWeightGradients[k], index.count == g.shape.count, Shape.contains(index, in: g.shape)
    else { return nil }
    return g.values[Shape.offset(index, in: g.shape)]
  }

  /// The layer's input (the previous layer's output, or x).
  public func input(of k: Int) -> Tensor32? { k == 0 ? x : recorder.outputs[k - 1] }
}
