import Testing

@testable import ConvTourEngine

/// Which Winograd layers the workers share by blocks (`FastWinograd.Plan.sharedBlockTiles`):
/// VGG-16's deep layers at batch 8, whose U costs more to pack per own block than V and M cost
/// to pass through memory, and not its wide shallow ones.
@Suite("Winograd shares the blocks of deep layers")
struct WinogradSharedBlocksTests {
  /// The plan of a forward VGG-16 layer: batch n, C → K channels, an h×h image, F(tile×tile, 3×3),
  /// the default scratch, whole and shared floats.
  static func plan(n: Int, c: Int, k: Int, h: Int, tile: Int, sharedFloats: Int = FastWinograd().sharedFloats)
    -> FastWinograd.Plan
  {
    let defaults = FastWinograd()
    return FastWinograd.Plan(
      images: n, inputChannels: c, outputChannels: k, height: h, width: h, filters: k, channels: c,
      transposed: false, scratchFloats: defaults.scratchFloats, wholeFloats: defaults.wholeFloats,
      sharedFloats: sharedFloats, tile: tile)
  }

  static func shared(_ plan: FastWinograd.Plan, workers: Int = 2) -> Int? {
    plan.sharedBlockTiles(perTile: plan.points * (plan.inputChannels + plan.outputChannels), workers: workers)
  }

  @Test("VGG-16 at batch 8: conv4 and conv5 in one shared block, conv1 to conv3_1 in blocks of their own")
  func vgg16Batch8() {
    #expect(Self.shared(Self.plan(n: 8, c: 512, k: 512, h: 28, tile: 4)) == 392)
    #expect(Self.shared(Self.plan(n: 8, c: 256, k: 512, h: 28, tile: 4)) == 392)
    #expect(Self.shared(Self.plan(n: 8, c: 512, k: 512, h: 14, tile: 4)) == 128)
    #expect(Self.shared(Self.plan(n: 8, c: 256, k: 256, h: 56, tile: 4)) == 784)  // two blocks
    #expect(Self.shared(Self.plan(n: 8, c: 128, k: 256, h: 56, tile: 4)) == nil)
    #expect(Self.shared(Self.plan(n: 8, c: 128, k: 128, h: 112, tile: 4)) == nil)
    #expect(Self.shared(Self.plan(n: 8, c: 64, k: 64, h: 224, tile: 4)) == nil)
    // Without shared blocks past `wholeFloats`, conv4 takes blocks of its own.
    #expect(Self.shared(Self.plan(n: 8, c: 512, k: 512, h: 28, tile: 4, sharedFloats: 0)) == nil)
  }

  @Test("VGG-16 at batch 1: all tiles at once from conv3 on, as before shared blocks")
  func vgg16Batch1() {
    #expect(Self.shared(Self.plan(n: 1, c: 256, k: 256, h: 56, tile: 4)) == 196)
    #expect(Self.shared(Self.plan(n: 1, c: 512, k: 512, h: 28, tile: 2)) == 196)
    #expect(Self.shared(Self.plan(n: 1, c: 64, k: 64, h: 224, tile: 4)) == nil)
  }

  /// A block of at most `sharedFloats` floats of V and M, as even as the tiles allow.
  @Test("shared blocks are as even as possible and within sharedFloats")
  func evenBlocks() {
    for cases in FastWinogradTests.sharedCases {
      let (x, k) = cases
      for tile in [2, 4] {
        let perTile = (tile + 2) * (tile + 2) * (x[1] + k)
        for shared in [perTile * 3, perTile * 7] {
          let plan = FastWinograd.Plan(
            images: x[0], inputChannels: x[1], outputChannels: k, height: x[2], width: x[3], filters: k,
            channels: x[1], transposed: false, scratchFloats: 1, wholeFloats: 0, sharedFloats: shared,
            tile: tile)
          let block = Self.shared(plan, workers: 3)
          #expect(block != nil, "x \(x) K \(k) F(\(tile)) shares its blocks")
          guard let block else { continue }
          let blocks = (plan.tiles + block - 1) / block
          #expect(block * perTile <= shared && blocks * block - plan.tiles < blocks)
        }
      }
    }
  }
}
