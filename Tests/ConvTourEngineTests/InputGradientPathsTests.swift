import Testing

@testable import ConvTourEngine

/// The direct convolution's two ways to ∂L/∂x — by columns (dcol = Wᵀ·δ, then col2im) and, with
/// stride 1, as a convolution of δ with the turned filters W′ — give the same gradient.
@Suite("∂L/∂x by columns and as a convolution")
struct InputGradientPathsTests {
  @Test(
    "both ways agree, in tiles and in groups of channels",
    arguments: [
      ([2, 40, 12, 10], [7, 40, 3, 3], 1), ([1, 32, 6, 9], [3, 32, 2, 3], 0),
      ([1, 48, 5, 5], [8, 48, 3, 3], 2),
    ] as [([Int], [Int], Int)])
  func agree(x xShape: [Int], W wShape: [Int], padding: Int) throws {
    var random = Random(41)
    var conv = FastConvolution(stride: 1, padding: padding)
    for scratch in [1 << 20, 300] {
      conv.scratchFloats = scratch
      let x = Tensor32(random.tensor(xShape))
      let W = Tensor32(random.tensor(wShape))
      let g = try conv.geometry(x.shape, W.shape, nil)
      let delta = Tensor32(random.tensor(g.z.dims))
      let transposed = try #require(conv.transposed(g))
      let asConvolution = try transposed.forward(x: delta, W: conv.flippedFilters(W, g), b: nil)
      let byColumns = conv.inputGradientByColumns(x: x, W: W, delta: delta, g)
      #expect(asConvolution.shape == x.shape)
      expectClose(Tensor(asConvolution), Tensor(byColumns), relative: 1e-5, "∂L/∂x, scratch \(scratch)")
    }
  }

  @Test("stride 2 and few channels keep to columns")
  func columnsOnly() throws {
    let conv2 = FastConvolution(stride: 2, padding: 1)
    #expect(conv2.transposed(try conv2.geometry([1, 64, 8, 8], [4, 64, 3, 3], nil)) == nil)
    let rgb = FastConvolution(stride: 1, padding: 1)
    // VGG's conv1_1: an image's 3 channels at 224×224, too large for the direct loops.
    #expect(rgb.transposed(try rgb.geometry([1, 3, 224, 224], [64, 3, 3, 3], nil)) == nil)
    #expect(rgb.transposed(try rgb.geometry([1, 2, 8, 8], [4, 2, 3, 3], nil)) == nil)
  }

  @Test("3 to 16 channels on a small image: ∂L/∂x as a direct convolution of δ")
  func smallDirect() throws {
    // The textbook ConvNet's conv2: 3 channels of 14×14, 16 filters of 5×5.
    let conv = FastConvolution(stride: 1, padding: 0)
    var random = Random(43)
    let x = Tensor32(random.tensor([4, 3, 14, 14]))
    let W = Tensor32(random.tensor([16, 3, 5, 5]))
    let g = try conv.geometry(x.shape, W.shape, nil)
    let delta = Tensor32(random.tensor(g.z.dims))
    let transposed = try #require(conv.transposed(g))
    #expect(transposed.computesDirectly(try transposed.geometry(delta.shape, [3, 16, 5, 5], nil)))
    let asConvolution = try transposed.forward(x: delta, W: conv.flippedFilters(W, g), b: nil)
    let byColumns = conv.inputGradientByColumns(x: x, W: W, delta: delta, g)
    expectClose(Tensor(asConvolution), Tensor(byColumns), relative: 1e-5, "∂L/∂x of 3 channels")
  }
}
