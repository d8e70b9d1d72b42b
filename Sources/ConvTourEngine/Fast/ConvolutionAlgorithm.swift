/// A convolution on the fast path, whichever way it is computed:
/// x [N, C, H, W], W [K, C, f, f], b [K] → z [N, K, H_out, W_out] (then ReLU when fused), and
/// backward from delta = ∂L/∂z [N, K, H_out, W_out] to ∂L/∂x, ∂L/∂W, ∂L/∂b.
public protocol FastConvolutionKernel: Sendable {
  func forward(x: Tensor32, W: Tensor32, b: Tensor32?, relu: Bool) throws -> Tensor32
  /// ∂L/∂W and ∂L/∂b.
  func parameterGradients(x: Tensor32, W: Tensor32, delta: Tensor32) throws -> (dW: Tensor32, db: Tensor32)
  /// ∂L/∂x [N, C, H, W] (x gives the shape; its values are not needed).
  func inputGradient(x: Tensor32, W: Tensor32, delta: Tensor32) throws -> Tensor32
}

extension FastConvolutionKernel {
  /// ∂L/∂x, ∂L/∂W and ∂L/∂b: the two halves of the backward pass, which share nothing (a
  /// network times them apart: `FastNetwork.Result.weightGradientSeconds`).
  public func backward(x: Tensor32, W: Tensor32, delta: Tensor32) throws -> (
    dx: Tensor32, dW: Tensor32, db: Tensor32
  ) {
    let g = try parameterGradients(x: x, W: W, delta: delta)
    return (try inputGradient(x: x, W: W, delta: delta), g.dW, g.db)
  }
}

/// How the fast path computes its convolutions: the one place the choice is made. Winograd
/// applies to 3×3 convolutions of stride 1 and padding 1 only; every other is direct.
///
/// - `direct`: im2col + sgemm, every output a plain dot product rounded as PyTorch's is
///   (relative error about 1e-7 per layer); identical input windows give bitwise-identical
///   outputs anywhere in the image, so max-pool ties go to the first element, as in PyTorch.
/// - `winograd`: F(4×4, 3×3) or F(2×2, 3×3) where it pays (at least 16 channels in and out,
///   enough tiles), im2col elsewhere: 1/4 to 4/9 of the multiplies, at a cost in accuracy — the
///   transforms' rounding is larger (relative error 1e-4 to 1e-3 per layer), so more ReLU and
///   max-pool decisions flip, and identical windows no longer give identical outputs.
public enum ConvolutionAlgorithm: String, Sendable, CaseIterable {
  case direct
  case winograd

  /// One line on what the algorithm costs, for help texts.
  public var cost: String {
    switch self {
    case .direct:
      "im2col + sgemm (direct products for 16 filters or fewer): exact as PyTorch's float32, every multiply-add "
        + "of the definition (15.5 G for VGG-16 at 224×224)"
    case .winograd:
      "Winograd F(4×4)/F(2×2) on 3×3 stride-1 layers: about half the time, but 1e-4–1e-3 relative "
        + "error per layer, and flat regions' ties broken unlike PyTorch"
    }
  }

  /// The kernel for convolution layer `layer` on an input of shape [N, C, H, W]. When a
  /// backward pass follows (`decidesCloseCalls`), the direct kernel decides its ReLU — and the
  /// max-pool of side `maxPoolSide` after it — in Double where float32 could not (`CloseCalls`).
  public func kernel(
    _ layer: NetworkArchitecture.Layer, input: [Int], decidesCloseCalls: Bool = false, maxPoolSide: Int? = nil
  ) -> any FastConvolutionKernel {
    kernel(
      size: layer.kernel, stride: layer.stride, padding: layer.padding, input: input,
      outputChannels: layer.output[0], decidesCloseCalls: decidesCloseCalls, maxPoolSide: maxPoolSide)
  }

  /// The kernel for a 3×3 convolution of stride 1 and padding 1 (VGG's) of an input of shape
  /// [N, C, H, W] with K filters.
  public func kernel(
    input: [Int], outputChannels: Int, decidesCloseCalls: Bool = false, maxPoolSide: Int? = nil
  ) -> any FastConvolutionKernel {
    kernel(
      size: 3, stride: 1, padding: 1, input: input, outputChannels: outputChannels,
      decidesCloseCalls: decidesCloseCalls, maxPoolSide: maxPoolSide)
  }

  func kernel(
    size: Int, stride: Int, padding: Int, input: [Int], outputChannels: Int, decidesCloseCalls: Bool,
    maxPoolSide: Int?
  ) -> any FastConvolutionKernel {
    let winogradShape = size == 3 && stride == 1 && padding == 1
    switch self {
    case .winograd where winogradShape && FastWinograd.pays(input: input, outputChannels: outputChannels):
      return FastWinograd(tile: FastWinograd.tile(input: input))
    case .direct, .winograd:
      var direct = FastConvolution(stride: stride, padding: padding)
      (direct.decidesCloseCalls, direct.maxPoolSide) = (decidesCloseCalls, maxPoolSide)
      return direct
    }
  }
}

extension FastConvolution: FastConvolutionKernel {
  public func parameterGradients(x: Tensor32, W: Tensor32, delta: Tensor32) throws -> (
    dW: Tensor32, db: Tensor32
  ) {
    let g = try backwardGeometry(x: x, W: W, delta: delta)
    return weightGradient(x: x, W: W, delta: delta, g)
  }

  public func inputGradient(x: Tensor32, W: Tensor32, delta: Tensor32) throws -> Tensor32 {
    try inputGradient(x: x, W: W, delta: delta, try backwardGeometry(x: x, W: W, delta: delta))
  }
}

extension FastWinograd: FastConvolutionKernel {
  /// ∂L/∂W and ∂L/∂b by F(2×2, 3×3) whatever the forward tile.
  public func parameterGradients(x: Tensor32, W: Tensor32, delta: Tensor32) throws -> (
    dW: Tensor32, db: Tensor32
  ) {
    let g = try FastWinograd().weightGradient(x: x, delta: delta)
    return (g.dW, g.db)
  }

  /// ∂L/∂x, a 3×3 convolution of δ with C and K swapped (so Winograd pays for it exactly when it
  /// pays forward), with this tile.
  public func inputGradient(x: Tensor32, W: Tensor32, delta: Tensor32) throws -> Tensor32 {
    try inputGradient(delta: delta, W: W)
  }
}
