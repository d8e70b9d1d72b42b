/// Max-pooling that keeps, for the backward pass, a byte per window: the winner's place in its
/// window, l·f_w + q (row l, column q), the first of equals as `forward`'s winners. Written in the
/// same pass as the maximum, a quarter of the Int32 offsets' bytes: pool1's winners at batch 8
/// were 26 MB, written while the training step's forward ran, read back by its backward.
/// Same maxima, same winners, same ∂L/∂x bit for bit (`FastMaxPoolChoicesTests`).
extension FastMaxPool {
  /// Whether a window's places fit in a byte (at most 256 elements).
  public var choosesInBytes: Bool { window.rows * window.columns <= 256 }

  /// Whether the windows are VGG-16's 2×2 of stride 2, taken four at a time.
  var halves: Bool { window.rows == 2 && window.columns == 2 && stride.rows == 2 && stride.columns == 2 }

  /// m = max over each window, and each window's choice (the winner's place in it).
  public func forwardChoosing(_ x: Tensor32) throws -> (m: Tensor32, choices: [UInt8]) {
    let g = try PoolWindow([x.shape], window: window, stride: stride, op: "maxpool")
    guard choosesInBytes else {
      throw EngineError.invalidParameter(
        op: "maxpool", reason: "a window of \(window) has more places than a byte")
    }
    var m = Tensor32(uninitialized: g.m.dims)
    // Every window writes its choice: no zero-fill.
    var choices = [UInt8](unsafeUninitializedCapacity: m.count) { _, count in count = m.count }
    let (fh, fw, sh, sw) = (window.rows, window.columns, stride.rows, stride.columns)
    let halves = halves
    x.values.withUnsafeBufferPointer { xp in
      m.values.withUnsafeMutableBufferPointer { mp in
        choices.withUnsafeMutableBufferPointer { cp in
          let (xBase, mBase, cBase) = (xp.baseAddress!, mp.baseAddress!, cp.baseAddress!)
          FastPath.parallelFor(g.m.n * g.m.c, minimumChunk: max(1, 16384 / max(1, g.x.h * g.x.w))) { plane in
            let (xPlane, mOffset) = (xBase + plane * g.x.h * g.x.w, plane * g.m.h * g.m.w)
            // The plane's choices gathered here, then copied out at once: stored straight into
            // the batch's bytes, pool2's (batch 8) took 6.4 ms instead of the Int32 winners' 2.4,
            // its loads of x waiting on those stores.
            let planeChoices = UnsafeMutablePointer<UInt8>.allocate(capacity: g.m.h * g.m.w)
            defer {
              (cBase + mOffset).update(from: planeChoices, count: g.m.h * g.m.w)
              planeChoices.deallocate()
            }
            let cBase = planeChoices - mOffset
            for i in 0..<g.m.h {
              let (row, out) = (xPlane + i * sh * g.x.w, mOffset + i * g.m.w)
              let first =
                halves
                ? Self.poolHalvesChoosing(
                  row, rowLength: g.x.w, count: g.m.w, into: mBase + out, choices: cBase + out)
                : 0
              for j in first..<(halves ? g.m.w : first) {
                // The last windows of a row of 2×2 ones, one at a time, in poolHalves' order.
                let (top, bottom) = (row + 2 * j, row + g.x.w + 2 * j)
                var (best, bestValue): (UInt8, Float) = (0, top[0])
                if top[1] > bestValue { (best, bestValue) = (1, top[1]) }
                if bottom[0] > bestValue { (best, bestValue) = (2, bottom[0]) }
                if bottom[1] > bestValue { (best, bestValue) = (3, bottom[1]) }
                mBase[out + j] = bestValue
                cBase[out + j] = best
              }
              for j in (halves ? g.m.w : first)..<g.m.w {
                var (best, bestValue) = (0, row[j * sw])
                for l in 0..<fh {
                  for q in 0..<fw where row[l * g.x.w + j * sw + q] > bestValue {
                    (best, bestValue) = (l * fw + q, row[l * g.x.w + j * sw + q])
                  }
                }
                mBase[out + j] = bestValue
                cBase[out + j] = UInt8(best)
              }
            }
          }
        }
      }
    }
    return (m, choices)
  }

  /// `poolHalves` keeping choices: places 0, 1 (top row), 2, 3 (bottom row).
  @inline(__always)
  static func poolHalvesChoosing(
    _ row: UnsafePointer<Float>, rowLength: Int, count: Int, into m: UnsafeMutablePointer<Float>,
    choices: UnsafeMutablePointer<UInt8>
  ) -> Int {
    var j = 0
    while j + 4 <= count {
      let top = UnsafeRawPointer(row + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
      let bottom = UnsafeRawPointer(row + rowLength + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
      var best = top.evenHalf
      var at = SIMD4<Int32>(repeating: 0)
      @inline(__always) func challenge(_ candidate: SIMD4<Float>, _ place: Int32) {
        let better = candidate .> best
        best.replace(with: candidate, where: better)
        at.replace(with: SIMD4(repeating: place), where: better)
      }
      challenge(top.oddHalf, 1)
      challenge(bottom.evenHalf, 2)
      challenge(bottom.oddHalf, 3)
      UnsafeMutableRawPointer(m + j).storeBytes(of: best, as: SIMD4<Float>.self)
      UnsafeMutableRawPointer(choices + j).storeBytes(
        of: SIMD4<UInt8>(truncatingIfNeeded: at), as: SIMD4<UInt8>.self)
      j += 4
    }
    return j
  }

  /// ∂L/∂x from the choices: each delta goes to the element that won its window.
  public func backward(xShape: [Int], choices: [UInt8], delta: Tensor32) throws -> Tensor32 {
    let g = try backwardGeometry(xShape: xShape, winners: choices.count, delta: delta)
    let (fw, sh, sw) = (window.columns, stride.rows, stride.columns)
    if halves, g.x.h % 2 == 0, g.x.w % 2 == 0 {
      // The windows tile x exactly: every element of dx is written once, no zero-fill.
      var dx = Tensor32(uninitialized: xShape)
      delta.values.withUnsafeBufferPointer { dp in
        choices.withUnsafeBufferPointer { cp in
          dx.values.withUnsafeMutableBufferPointer { dxp in
            let (d, chosen, out) = (dp.baseAddress!, cp.baseAddress!, dxp.baseAddress!)
            FastPath.parallelFor(g.m.n * g.m.c * g.m.h, minimumChunk: 64) { r in
              Self.unpoolHalvesChoosing(
                d + r * g.m.w, choices: chosen + r * g.m.w, count: g.m.w, into: out + 2 * r * g.x.w,
                rowLength: g.x.w)
            }
          }
        }
      }
      return dx
    }
    // In the windows' order, as `backward(winners:)` adds them where windows overlap.
    var dx = Tensor32(zeros: xShape)
    let (outputs, plane) = (g.m.h * g.m.w, g.x.h * g.x.w)
    for o in 0..<choices.count {
      let (p, ij) = o.quotientAndRemainder(dividingBy: outputs)
      let (i, j) = ij.quotientAndRemainder(dividingBy: g.m.w)
      let (l, q) = Int(choices[o]).quotientAndRemainder(dividingBy: fw)
      dx.values[p * plane + (i * sh + l) * g.x.w + j * sw + q] += delta.values[o]
    }
    return dx
  }

  /// `unpoolHalves` from choices: δ of output j goes to place choices[j] of its window, 0 to the
  /// three others (rows `dx` and `dx + rowLength`).
  @inline(__always)
  static func unpoolHalvesChoosing(
    _ delta: UnsafePointer<Float>, choices: UnsafePointer<UInt8>, count: Int,
    into dx: UnsafeMutablePointer<Float>,
    rowLength: Int
  ) {
    let zero = SIMD4<Float>()
    var j = 0
    while j + 4 <= count {
      let d = UnsafeRawPointer(delta + j).loadUnaligned(as: SIMD4<Float>.self)
      let at = SIMD4<Int32>(
        truncatingIfNeeded: UnsafeRawPointer(choices + j).loadUnaligned(as: SIMD4<UInt8>.self))
      @inline(__always) func part(_ place: Int32) -> SIMD4<Float> {
        zero.replacing(with: d, where: at .== SIMD4(repeating: place))
      }
      var top = SIMD8<Float>()
      var bottom = SIMD8<Float>()
      (top.evenHalf, top.oddHalf) = (part(0), part(1))
      (bottom.evenHalf, bottom.oddHalf) = (part(2), part(3))
      UnsafeMutableRawPointer(dx + 2 * j).storeBytes(of: top, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(dx + rowLength + 2 * j).storeBytes(of: bottom, as: SIMD8<Float>.self)
      j += 4
    }
    while j < count {
      let (at, window) = (choices[j], dx + 2 * j)
      window[0] = at == 0 ? delta[j] : 0
      window[1] = at == 1 ? delta[j] : 0
      window[rowLength] = at == 2 ? delta[j] : 0
      window[rowLength + 1] = at == 3 ? delta[j] : 0
      j += 1
    }
  }
}
