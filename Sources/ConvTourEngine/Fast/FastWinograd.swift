/// 3×3 convolution, stride 1, padding 1, by Winograd's minimal filtering F(2×2, 3×3) or, with
/// `tile` 4, F(4×4, 3×3) (`FastWinogradF4.swift`) (Lavin & Gray, "Fast Algorithms for
/// Convolutional Neural Networks", 2015). ∂L/∂W: `FastWinogradWeightGradient.swift`.
///
/// F(2×2, 3×3): each 2×2 block of outputs Y comes from a 4×4 tile d of the padded input (tiles overlap by 2):
///   Y = Aᵀ [ Σ_c (G g_{k,c} Gᵀ) ⊙ (Bᵀ d_c B) ] A
/// with
///   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
///   Aᵀ = [1 1 1 0; 0 1 −1 −1].
/// Element ξ of the 4×4 products is a matrix product over channels: with U[ξ] = (G g Gᵀ)[ξ] as a
/// [K, C] matrix and V[ξ] = (Bᵀ d B)[ξ] as [C, tiles], M[ξ] = U[ξ] · V[ξ] — 16 GEMMs of 4 multiplies
/// per output pixel and channel pair instead of im2col's 9 (F(4×4, 3×3): 36 GEMMs, 2.25).
///
/// ∂L/∂x of the same convolution is the convolution of δ with the filters flipped in space and
/// their channels swapped, W'[c, k] = flip(W[k, c]). Since G·flip = P·G (P swaps rows 0 and 3),
/// its transformed filters are U'[ξ] = U[π(ξ)]ᵀ: the same U, read transposed. (F(4×4, 3×3) has
/// no such symmetry: it transforms the flipped filters themselves.)
///
/// Work, split so that no two workers write the same memory:
/// - large images: the workers transform the filters together, then each takes its own blocks of
///   tiles (`scratchFloats` of V and M, a few hundred tiles, so they stay in cache): the input
///   transform, 16 (F(4×4): 36) single-threaded GEMMs, the output transform into its own output pixels;
/// - small images (V and M of all tiles within `wholeFloats`), and deep layers whose U would cost
///   more to pack once per block than V and M cost to pass through memory (`sharedFloats`): the
///   workers share each block (all tiles, or a few large blocks), the input transform by channels,
///   then each takes a range of output channels: its part of U, α² GEMMs over the block's tiles
///   (U, α²·K·C floats, is packed once per large block instead of once per small one), the output
///   transform (`FastWinogradShared.swift`).
public struct FastWinograd: Sendable {
  /// Floats of V and M per worker for one block of tiles (4 MB). Tests shrink it to run many
  /// small blocks, with blocks that start and end inside a row of tiles or an image.
  public var scratchFloats = 1 << 20
  /// Floats of V and M for all tiles together up to which the workers share the tiles and split
  /// the output channels instead (small images: one GEMM per ξ over all tiles, each worker
  /// packing only its rows of U). Tests set it to 0 or to a large value to run either way.
  public var wholeFloats = 4 << 20
  /// Floats of V and M for the largest block the workers share past `wholeFloats`, when sharing
  /// blocks packs less of U than blocks of their own (deep layers at larger batches:
  /// `sharedBlockTiles`); 0 never shares past `wholeFloats`. 16 M floats: VGG-16's conv4 and
  /// conv5 at batch 8 in one block each.
  public var sharedFloats = 16 << 20
  /// Outputs per tile side: 2 for F(2×2, 3×3), 4 for F(4×4, 3×3) (`FastWinogradF4.swift`), which
  /// needs fewer multiplies but larger filter transforms. ∂L/∂W always uses F(2×2, 3×3).
  public private(set) var tile = 2

  public init(tile: Int = 2) {
    precondition(tile == 2 || tile == 4, "Winograd tiles of 2 or 4 outputs per side, not \(tile)")
    self.tile = tile
  }

  /// z = W * x + b (3×3, stride 1, padding 1), and max(z, 0) when `relu`.
  /// x [N, C, H, W], W [K, C, 3, 3], b [K] → z [N, K, H, W].
  public func forward(x: Tensor32, W: Tensor32, b: Tensor32?, relu: Bool = false) throws -> Tensor32 {
    let (n, c, h, w) = try Self.image(x.shape, op: "winograd conv2d")
    let k = try Self.filters(W.shape, channels: c, op: "winograd conv2d", input: x.shape)
    if let b, b.shape != [k] {
      throw EngineError.shapeMismatch(
        op: "winograd conv2d", shapes: [W.shape, b.shape], expected: "b of shape [\(k)], one per filter")
    }
    var z = Tensor32(uninitialized: [n, k, h, w])
    guard z.count > 0 else { return z }
    x.values.withUnsafeBufferPointer { xp in
      W.values.withUnsafeBufferPointer { wp in
        z.values.withUnsafeMutableBufferPointer { zp in
          let plan = Plan(
            images: n, inputChannels: c, outputChannels: k, height: h, width: w, filters: k, channels: c,
            transposed: false, scratchFloats: scratchFloats, wholeFloats: wholeFloats,
            sharedFloats: sharedFloats, tile: tile)
          if let b {
            b.values.withUnsafeBufferPointer { bp in
              plan.run(
                input: xp.baseAddress!, weights: wp.baseAddress!, bias: bp.baseAddress, relu: relu,
                output: zp.baseAddress!)
            }
          } else {
            plan.run(
              input: xp.baseAddress!, weights: wp.baseAddress!, bias: nil, relu: relu, output: zp.baseAddress!
            )
          }
        }
      }
    }
    return z
  }

  /// ∂L/∂x [N, C, H, W] of z = W * x + b (3×3, stride 1, padding 1) from delta = ∂L/∂z [N, K, H, W]
  /// and W [K, C, 3, 3].
  public func inputGradient(delta: Tensor32, W: Tensor32) throws -> Tensor32 {
    let (n, k, h, w) = try Self.image(delta.shape, op: "winograd conv2d backward")
    guard W.shape.count == 4, W.shape[0] == k, W.shape[1] > 0, W.shape[2] == 3, W.shape[3] == 3 else {
      throw EngineError.shapeMismatch(
        op: "winograd conv2d backward", shapes: [delta.shape, W.shape],
        expected: "W of shape [\(k), C, 3, 3] for delta with \(k) channels")
    }
    let c = W.shape[1]
    var dx = Tensor32(uninitialized: [n, c, h, w])
    guard dx.count > 0 else { return dx }
    delta.values.withUnsafeBufferPointer { dp in
      W.values.withUnsafeBufferPointer { wp in
        dx.values.withUnsafeMutableBufferPointer { dxp in
          Plan(
            images: n, inputChannels: k, outputChannels: c, height: h, width: w, filters: k, channels: c,
            transposed: true, scratchFloats: scratchFloats, wholeFloats: wholeFloats,
            sharedFloats: sharedFloats, tile: tile
          )
          .run(
            input: dp.baseAddress!, weights: wp.baseAddress!, bias: nil, relu: false, output: dxp.baseAddress!
          )
        }
      }
    }
    return dx
  }

  /// Whether Winograd beats im2col + GEMM on this machine kind for a 3×3, stride 1, padding 1
  /// convolution of `input` [N, C, H, W] into `outputChannels` channels (forward: x and K; for
  /// ∂L/∂x: δ [N, K, H, W] and C). Measured per layer shape on VGG-16: it pays from 16 channels in
  /// and out (VGG-16's conv1_1 has 3 in, so 3 out for its ∂L/∂x: the transforms cost more than
  /// the thin GEMMs save) and from 49 tiles of 2×2, a 14×14 image's (below that the filter
  /// transform, 16·K·C floats per call, costs more than it saves: 7×7 loses). Winograd's ∂L/∂x
  /// swaps C and K, so it pays for ∂L/∂x exactly when it pays forward.
  public static func pays(input: [Int], outputChannels: Int) -> Bool {
    guard input.count == 4 else { return false }
    let tiles = input[0] * ((input[2] + 1) / 2) * ((input[3] + 1) / 2)
    return min(input[1], outputChannels) >= 16 && tiles >= 49
  }

  /// The tile to use where Winograd pays: F(4×4, 3×3) from 128 tiles of 4×4 outputs (VGG-16 at
  /// batch 1: the 224, 112 and 56 images), where its fewer multiplies outweigh its filter
  /// transform, 36 instead of 16 floats per filter and channel; F(2×2, 3×3) below (28×28 at
  /// batch 1 was slower with 4×4 tiles). `input` is [N, C, H, W].
  public static func tile(input: [Int]) -> Int {
    guard input.count == 4 else { return 2 }
    return input[0] * ((input[2] + 3) / 4) * ((input[3] + 3) / 4) >= 128 ? 4 : 2
  }

  /// [N, C, H, W] with every dimension positive but N (an empty batch is allowed).
  static func image(_ shape: [Int], op: String) throws -> (Int, Int, Int, Int) {
    guard shape.count == 4, shape.allSatisfy({ $0 >= 0 }), shape[1] > 0, shape[2] > 0, shape[3] > 0 else {
      throw EngineError.invalidShape(
        op: op, shape: shape, reason: "expected an image batch [N, C, H, W] with C, H, W ≥ 1")
    }
    return (shape[0], shape[1], shape[2], shape[3])
  }

  /// K of filters W [K, C, 3, 3]; anything but 3×3 is an error (Winograd F(m×m, 3×3) only).
  static func filters(_ shape: [Int], channels: Int, op: String, input: [Int]) throws -> Int {
    guard shape.count == 4, shape[0] > 0, shape[1] == channels, shape[2] == 3, shape[3] == 3 else {
      throw EngineError.shapeMismatch(
        op: op, shapes: [input, shape],
        expected: "W of shape [K, \(channels), 3, 3]: this Winograd convolution is for 3×3 filters only")
    }
    return shape[0]
  }
}
