import Foundation
import Testing

@testable import ConvTourEngine

/// Close calls recomputed many at a time, a block of channels at a time (`exactValues`), against
/// one output at a time from its whole gathered window, as before: in order from b
/// (`decideReLU`'s sum) and in eight lanes (`exact`, a max-pool's), bit for bit — with blocks of
/// 8 and 16 channels and all channels, outputs at the border and inside, several filters at one
/// pixel, groups of four and a last group of fewer, over examples given in any order; and with
/// a channel count that is no multiple of 8 (one block) and a tail of taps past the lanes. And the
/// window norms, now summed over runs of rows, against one tap at a time.
@Suite("Close calls recomputed a block of channels at a time")
struct CloseCallsBatchTests {
  /// A layer of `c` channels, 3×3 filters with padding 1 or none, and `count` random outputs of it.
  static func layer(c: Int, padding: Int, count: Int, seed: UInt64) -> (
    closeCalls: CloseCalls, x: [Float], W: [Float], b: [Float], outputs: [Int]
  ) {
    let (n, h, w, k) = (3, 9, 13, 5)
    var random = SeededRandom(seed: seed)
    // Magnitudes over several binades, so that the order of the sums shows in their last bits.
    let x = (0..<(n * c * h * w)).map { _ in Float(random.uniform(-1, 1) * pow(4, random.uniform(-3, 3))) }
    let W = (0..<(k * c * 9)).map { _ in Float(random.uniform(-1, 1) * pow(4, random.uniform(-3, 3))) }
    let b = (0..<k).map { _ in Float(random.uniform(-1, 1)) }
    let g = try! Convolution(stride: 1, padding: padding, hasBias: true).geometry([
      [n, c, h, w], [k, c, 3, 3], [k],
    ])
    let closeCalls = x.withUnsafeBufferPointer { xp in
      W.withUnsafeBufferPointer { wp in
        CloseCalls(
          x: xp.baseAddress!, W: wp.baseAddress!, g, stride: Extent2D(1), padding: Extent2D(padding))
      }
    }
    let total = n * k * g.z.h * g.z.w
    var outputs = (0..<count).map { _ in Int(random.uniform(0, Double(total))) % total }
    // Every filter at one pixel of example 1, and the first output again.
    let pixel = g.z.w + 1
    outputs += (0..<k).map { (1 * k + $0) * g.z.h * g.z.w + pixel }
    outputs.append(outputs[0])
    return (closeCalls, x, W, b, outputs)
  }

  /// One output at a time, as before: its whole window gathered, then summed in order from b, or
  /// by `exact` (eight lanes).
  static func oneByOne(
    _ closeCalls: CloseCalls, _ o: Int, order: CloseCalls.SumOrder, x: UnsafePointer<Float>,
    W: UnsafePointer<Float>,
    b: UnsafePointer<Float>
  ) -> Float {
    let g = closeCalls.g
    let (pixels, rows) = (g.z.h * g.z.w, g.x.c * g.fh * g.fw)
    let (ek, p) = o.quotientAndRemainder(dividingBy: pixels)
    let (e, k) = ek.quotientAndRemainder(dividingBy: g.k)
    var window = [Float](repeating: 0, count: rows)
    window.withUnsafeMutableBufferPointer {
      closeCalls.gather(example: e, pixel: p, x: x, into: $0.baseAddress!)
    }
    switch order {
    case .inLanes:
      return window.withUnsafeBufferPointer {
        closeCalls.exact(filter: k, window: $0.baseAddress!, W: W, b: b)
      }
    case .inOrder:
      var sum = Double(b[k])
      for t in 0..<rows { sum += Double(W[k * rows + t]) * Double(window[t]) }
      return Float(sum)
    }
  }

  @Test(
    "the same bits as one output at a time",
    arguments: [(16, 1), (24, 0), (6, 1), (3, 1)], [1 << 9, 8 * 9 * 13 * 4, 1 << 20])
  func sameBits(layer shape: (channels: Int, padding: Int), blockBytes: Int) {
    let (closeCalls, x, W, b, outputs) = Self.layer(
      c: shape.channels, padding: shape.padding, count: 37, seed: UInt64(shape.channels))
    x.withUnsafeBufferPointer { xp in
      W.withUnsafeBufferPointer { wp in
        b.withUnsafeBufferPointer { bp in
          let (x, W, b) = (xp.baseAddress!, wp.baseAddress!, bp.baseAddress!)
          for order in [CloseCalls.SumOrder.inOrder, .inLanes] {
            let batch = closeCalls.exactValues(
              outputs, order: order, x: x, W: W, b: b, blockBytes: blockBytes)
            for (n, o) in outputs.enumerated() {
              let one = Self.oneByOne(closeCalls, o, order: order, x: x, W: W, b: b)
              #expect(
                batch[n].bitPattern == one.bitPattern, "output \(o), \(order): \(batch[n]) against \(one)")
            }
          }
        }
      }
    }
  }

  @Test("a gathered window: x's values in W's order, zeros in the border, of a block of channels")
  func gatheredWindow() {
    for padding in [0, 1] {
      let (closeCalls, x, _, _, _) = Self.layer(c: 16, padding: padding, count: 1, seed: 5)
      let g = closeCalls.g
      let (n, c, h, w) = (g.x.n, g.x.c, g.x.h, g.x.w)
      for channels in [0..<16, 8..<16, 3..<5] {
        var window = [Float](repeating: .nan, count: channels.count * 9)
        for e in 0..<n {
          for p in 0..<(g.z.h * g.z.w) {
            x.withUnsafeBufferPointer { xp in
              window.withUnsafeMutableBufferPointer {
                closeCalls.gather(
                  example: e, pixel: p, channels: channels, x: xp.baseAddress!, into: $0.baseAddress!)
              }
            }
            let (i, j) = p.quotientAndRemainder(dividingBy: g.z.w)
            let expected = channels.flatMap { ch in
              (0..<3).flatMap { l in
                (0..<3).map { m -> Float in
                  let (r, q) = (i + l - padding, j + m - padding)
                  return r >= 0 && r < h && q >= 0 && q < w ? x[((e * c + ch) * h + r) * w + q] : 0
                }
              }
            }
            #expect(window.map(\.bitPattern) == expected.map(\.bitPattern), "example \(e), pixel \(p)")
          }
        }
      }
    }
  }

  /// Images wide enough that a worker's rows are summed in several runs, runs that end at an
  /// example's last row and at a worker's last, with padding and without: the squares Σ_c x² of
  /// every pixel the same bits as summed channel after channel, and the window norms built on them
  /// never below those one tap at a time, at most a few float32 steps above (`separableNorms`).
  @Test("window norms summed in runs of rows: the squares as one pixel at a time", arguments: [0, 1])
  func windowNormRuns(padding: Int) throws {
    let (xShape, wShape) = ([3, 2, 45, 300], [4, 2, 3, 3])
    var random = SeededRandom(seed: 31)
    let x = (0..<Shape.count(xShape)).map { _ in Float(random.uniform(-1, 1)) }
    let W = (0..<Shape.count(wShape)).map { _ in Float(random.uniform(-1, 1)) }
    let g = try Convolution(stride: 1, padding: padding, hasBias: false).geometry([xShape, wShape])
    let expected = CloseCallsBoundsTests.referenceSquares(x, g, padding: padding)
    let reference = CloseCallsBoundsTests.referenceWindowNorms(x, g, stride: 1, padding: padding)
    let steps = 1 + Float(wShape[2] * wShape[3] + 2) * 0x1p-23
    for workers in [1, 2] {
      let (squares, norms) = FastPath.withWorkers(workers) {
        x.withUnsafeBufferPointer { x in
          var squares = [Float](repeating: 0, count: expected.count)
          _ = CloseCalls.sumSquares(x.baseAddress!, g, padding: Extent2D(padding), scale: 1, into: &squares)
          return (
            squares,
            CloseCalls.windowNorms(x.baseAddress!, g, stride: Extent2D(1), padding: Extent2D(padding))
          )
        }
      }
      #expect(squares.map(\.bitPattern) == expected.map(\.bitPattern), "\(workers) workers")
      #expect(
        zip(norms, reference).allSatisfy { new, old in new >= old && new <= old * steps },
        "\(workers) workers")
    }
  }

  @Test("blocks of channels: a multiple of 8, about the bytes asked for, or all channels")
  func blocks() {
    #expect(Self.layer(c: 24, padding: 1, count: 1, seed: 1).closeCalls.channelBlock(bytes: 1) == 8)
    #expect(
      Self.layer(c: 24, padding: 1, count: 1, seed: 1).closeCalls.channelBlock(bytes: 16 * 9 * 13 * 4) == 16)
    #expect(Self.layer(c: 24, padding: 1, count: 1, seed: 1).closeCalls.channelBlock(bytes: 1 << 20) == 24)
    #expect(Self.layer(c: 6, padding: 1, count: 1, seed: 1).closeCalls.channelBlock(bytes: 1) == 6)
  }
}
