import Testing

@testable import ConvTourEngine

/// Where turning the filters would cost more than it saves — W′ larger than a worker's scratch,
/// on an image too small to tile, as VGG-16's conv5 — ∂L/∂x is computed by columns; elsewhere
/// (conv4 and larger images) still as a convolution of δ.
@Suite("∂L/∂x: columns where turning the filters costs most")
struct InputGradientChoiceTests {
  @Test("VGG-16: conv5 by columns, conv4_3 and conv1_2 as a convolution")
  func vgg16() throws {
    let conv = FastConvolution(stride: 1, padding: 1)
    #expect(conv.transposed(try conv.geometry([1, 512, 14, 14], [512, 512, 3, 3], nil)) == nil)
    #expect(conv.transposed(try conv.geometry([8, 512, 14, 14], [512, 512, 3, 3], nil)) == nil)
    #expect(conv.transposed(try conv.geometry([1, 512, 28, 28], [512, 512, 3, 3], nil)) != nil)
    #expect(conv.transposed(try conv.geometry([1, 64, 224, 224], [64, 64, 3, 3], nil)) != nil)
  }

  @Test("a small image with large filters: by columns, the same bits at 1 and 2 workers")
  func smallImage() throws {
    var random = Random(47)
    let conv = FastConvolution(stride: 1, padding: 1)
    // W′ has 512·256·9 = 1,179,648 floats, over `turnLimit`; 4×4 pixels are one tile.
    let x = Tensor32(random.tensor([2, 256, 4, 4]))
    let W = Tensor32(random.tensor([512, 256, 3, 3]))
    let g = try conv.geometry(x.shape, W.shape, nil)
    #expect(conv.transposed(g) == nil)
    let delta = Tensor32(random.tensor(g.z.dims))
    let one = try FastPath.withWorkers(1) { try conv.inputGradient(x: x, W: W, delta: delta, g) }
    let two = try FastPath.withWorkers(2) { try conv.inputGradient(x: x, W: W, delta: delta, g) }
    #expect(one.values.map(\.bitPattern) == two.values.map(\.bitPattern))
    // Against the convolution of δ with the turned filters.
    var turned = FastConvolution(stride: 1, padding: 1)
    turned.keepsTiesExact = false
    let asConvolution = try turned.forward(x: delta, W: conv.flippedFilters(W, g), b: nil)
    expectClose(Tensor(one), Tensor(asConvolution), relative: 1e-5, "∂L/∂x")
  }
}
