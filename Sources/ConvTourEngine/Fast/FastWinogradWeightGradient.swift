/// ∂L/∂W and ∂L/∂b of a 3×3, stride 1, padding 1 convolution by Winograd's F(2×2, 3×3).
///
/// The forward pass computes, per 2×2 block of outputs (tile t) and filter k,
///   Y_t[k] = Aᵀ [ Σ_c U[k, c] ⊙ V_t[c] ] A,   U = G g Gᵀ,   V_t = Bᵀ d_t B,
/// which is exactly the convolution. Its adjoint with respect to the filters g = W[k, c]:
///   D_t[k] = A δ_t Aᵀ                          (4×4, from the 2×2 block δ_t of ∂L/∂z)
///   ∂U[ξ] = Σ_t D_t[ξ] · V_t[ξ]ᵀ               (16 GEMMs, [K, tiles] · [tiles, C] → [K, C])
///   ∂L/∂g = Gᵀ ∂U[k, c] G                      (4×4 → 3×3)
/// — 4 multiplies per output pixel and filter–channel pair instead of im2col's 9. Outputs of the
/// tiles that stick out past the image have δ = 0.
extension FastWinograd {
  /// ∂L/∂W [K, C, 3, 3] and ∂L/∂b [K] from x [N, C, H, W] and delta = ∂L/∂z [N, K, H, W].
  public func weightGradient(x: Tensor32, delta: Tensor32) throws -> (dW: Tensor32, db: Tensor32) {
    let (n, c, h, w) = try Self.image(x.shape, op: "winograd conv2d backward")
    guard delta.shape.count == 4, delta.shape[0] == n, delta.shape[1] > 0, delta.shape[2] == h,
      delta.shape[3] == w
    else {
      throw EngineError.shapeMismatch(
        op: "winograd conv2d backward", shapes: [x.shape, delta.shape],
        expected: "delta [\(n), K, \(h), \(w)]: the output of a 3×3 convolution with padding 1")
    }
    let k = delta.shape[1]
    var dW = Tensor32(zeros: [k, c, 3, 3])
    var db = Tensor32(zeros: [k])
    guard n > 0 else { return (dW, db) }
    let plan = Plan(
      images: n, inputChannels: c, outputChannels: k, height: h, width: w, filters: k, channels: c,
      transposed: false, scratchFloats: scratchFloats, wholeFloats: wholeFloats)
    x.values.withUnsafeBufferPointer { xp in
      delta.values.withUnsafeBufferPointer { dp in
        dW.values.withUnsafeMutableBufferPointer { dwp in
          db.values.withUnsafeMutableBufferPointer { dbp in
            plan.weightGradient(
              input: xp.baseAddress!, delta: dp.baseAddress!, dW: dwp.baseAddress!, db: dbp.baseAddress!)
          }
        }
      }
    }
    return (dW, db)
  }
}

extension FastWinograd.Plan {
  /// ∂L/∂W and ∂L/∂b for x = `input` [N, C, H, W] (C = `channels`) and δ [N, K, H, W]
  /// (K = `filters`), written to dW [K, C, 3, 3] and db [K].
  ///
  /// - Few tiles (V and D of all tiles within `wholeFloats`): the workers share the input
  ///   transform by channels, then each takes a range of filters k: their D, 16 GEMMs over all
  ///   tiles into their rows of ∂U, and the filter transform back into their rows of dW.
  /// - Many tiles: each worker takes blocks of tiles (V and D in cache) and accumulates ∂U of its
  ///   own; then the workers add them up and transform back, by ranges of filters.
  func weightGradient(
    input: UnsafePointer<Float>, delta: UnsafePointer<Float>, dW: UnsafeMutablePointer<Float>,
    db: UnsafeMutablePointer<Float>
  ) {
    let workers = FastPath.workers
    let (cin, k) = (channels, filters)
    let zeroRow = UnsafeMutablePointer<Float>.allocate(capacity: width)
    zeroRow.initialize(repeating: 0, count: width)
    defer { zeroRow.deallocate() }
    precondition(tile == 2, "the weight gradient uses F(2×2, 3×3)")
    let perTile = 16 * (cin + k)
    // ∂U[ξ] is [K, C], its matrices a cache line more than their size apart (as U).
    let uStride = k * cin + 16

    FastPath.forEachWorker(workers) { w in
      for f in FastPath.share(k, w, workers) {
        var sum: Float = 0
        for image in 0..<images {
          let plane = delta + (image * k + f) * height * width
          for i in 0..<(height * width) { sum += plane[i] }
        }
        db[f] = sum
      }
    }

    if tiles * perTile <= wholeFloats, k >= workers {
      let vStride = cin * tiles + 16
      let dStride = k * tiles + 16
      let v = UnsafeMutablePointer<Float>.allocate(
        capacity: 16 * (vStride + dStride + uStride) + workers * 4 * rowFloats)
      defer { v.deallocate() }
      let d = v + 16 * vStride
      let du = d + 16 * dStride
      let sums = du + 16 * uStride
      FastPath.forEachWorker(workers) { w in
        transformInputs(
          input, tiles: 0..<tiles, channels: FastPath.share(cin, w, workers), zeroRow: zeroRow,
          sums: sums + w * 4 * rowFloats, into: v, stride: vStride)
      }
      FastPath.forEachWorker(workers) { w in
        let outputs = FastPath.share(k, w, workers)
        guard !outputs.isEmpty else { return }
        transformDeltas(delta, tiles: 0..<tiles, filters: outputs, into: d, stride: dStride)
        for xi in 0..<16 {
          FastPath.gemm(
            transposeA: false, transposeB: true, m: outputs.count, n: cin, k: tiles,
            a: d + xi * dStride + outputs.lowerBound * tiles, lda: tiles, b: v + xi * vStride, ldb: tiles,
            beta: 0, c: du + xi * uStride + outputs.lowerBound * cin, ldc: cin)
        }
        inverseTransformFilters(du, count: 1, stride: uStride, filters: outputs, into: dW)
      }
      return
    }

    // Blocks of tiles, as in the forward pass.
    let (blocks, blockTiles, active) = blocking(perTile: perTile, workers: workers)
    let vStride = cin * blockTiles + 16
    let dStride = k * blockTiles + 16
    let perWorker = 16 * (vStride + dStride + uStride) + 4 * rowFloats
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: active * perWorker)
    defer { scratch.deallocate() }
    FastPath.forEachWorker(active) { w in
      let v = scratch + w * perWorker
      let d = v + 16 * vStride
      let du = d + 16 * dStride
      let sums = du + 16 * uStride
      du.initialize(repeating: 0, count: 16 * uStride)
      forEachBlock(of: w, active: active, blocks: blocks, blockTiles: blockTiles) { range in
        transformInputs(
          input, tiles: range, channels: 0..<cin, zeroRow: zeroRow, sums: sums,
          into: v, stride: vStride)
        transformDeltas(delta, tiles: range, filters: 0..<k, into: d, stride: dStride)
        for xi in 0..<16 {
          FastPath.gemm(
            transposeA: false, transposeB: true, m: k, n: cin, k: range.count, a: d + xi * dStride,
            lda: range.count, b: v + xi * vStride, ldb: range.count, beta: 1, c: du + xi * uStride, ldc: cin)
        }
      }
    }
    // ∂U of worker w lies perWorker floats after worker w − 1's.
    let firstU = scratch + 16 * (vStride + dStride)
    FastPath.forEachWorker(workers) { w in
      inverseTransformFilters(
        firstU, count: active, stride: uStride, workerStride: perWorker,
        filters: FastPath.share(k, w, workers), into: dW)
    }
  }

  /// D[ξ][f][offset + i] = (A δ Aᵀ)[ξ] for the tiles `tiles` and the filters f in `filters`, δ the
  /// 2×2 block of ∂L/∂z at rows 2t_y, 2t_y + 1 and columns 2t_x, 2t_x + 1 (0 outside the image).
  /// D[ξ] starts at d + ξ·stride and holds rows of tiles.count for every filter (row f for f).
  ///
  /// With A = [1 0; 1 1; 1 −1; 0 −1], first down the two rows δ₀, δ₁ of the block:
  ///   r₀ = δ₀, r₁ = δ₀ + δ₁, r₂ = δ₀ − δ₁, r₃ = −δ₁,
  /// then along each r_a = (e, o): D[a] = (e, e + o, e − o, −o).
  func transformDeltas(
    _ delta: UnsafePointer<Float>, tiles: Range<Int>, filters: Range<Int>,
    into d: UnsafeMutablePointer<Float>,
    stride: Int
  ) {
    let count = tiles.count
    for f in filters {
      forEachSegment(tiles) { n, ty, tx, offset in
        let plane = delta + (n * outputChannels + f) * height * width
        let top = plane + 2 * ty * width
        let bottom: UnsafePointer<Float>? = 2 * ty + 1 < height ? top + width : nil
        let out = d + f * count + offset
        // Four tiles at a time while they lie wholly inside the image.
        let full = 2 * tx.upperBound <= width ? tx.count : tx.count - 1
        var i = 0
        while i + 4 <= full {
          let t = Self.load8(top + 2 * (tx.lowerBound + i))
          let b = bottom.map { Self.load8($0 + 2 * (tx.lowerBound + i)) } ?? SIMD8<Float>()
          Self.emitDelta(top: (t.evenHalf, t.oddHalf), bottom: (b.evenHalf, b.oddHalf)) { xi, value in
            Self.store(value, out + xi * stride + i)
          }
          i += 4
        }
        while i < tx.count {
          let j = 2 * (tx.lowerBound + i)
          let right = j + 1 < width
          @inline(__always) func at(_ row: UnsafePointer<Float>?, _ q: Int, _ inside: Bool) -> SIMD4<Float> {
            SIMD4(repeating: inside ? (row?[q] ?? 0) : 0)
          }
          Self.emitDelta(
            top: (at(top, j, true), at(top, j + 1, right)),
            bottom: (at(bottom, j, true), at(bottom, j + 1, right))
          ) { xi, value in out[xi * stride + i] = value[0] }
          i += 1
        }
      }
    }
  }

  /// A δ Aᵀ for four tiles at once, from the even (left) and odd (right) columns of the block's
  /// top and bottom rows: calls emit(ξ, value) for ξ = 4a + b.
  @inline(__always)
  static func emitDelta(
    top: (SIMD4<Float>, SIMD4<Float>), bottom: (SIMD4<Float>, SIMD4<Float>),
    emit: (Int, SIMD4<Float>) -> Void
  ) {
    @inline(__always) func row(_ a: Int, _ e: SIMD4<Float>, _ o: SIMD4<Float>) {
      emit(4 * a, e)
      emit(4 * a + 1, e + o)
      emit(4 * a + 2, e - o)
      emit(4 * a + 3, -o)
    }
    row(0, top.0, top.1)
    row(1, top.0 + bottom.0, top.1 + bottom.1)
    row(2, top.0 - bottom.0, top.1 - bottom.1)
    row(3, -bottom.0, -bottom.1)
  }

  /// dW[f, c] = Gᵀ (Σ_w ∂U_w[f, c]) G for the filters f in `filters` and every channel c, the
  /// `count` accumulators ∂U_w `workerStride` floats apart, their ξ-matrices `stride` apart.
  /// With Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1], down the rows u_a of ∂U and then along them:
  ///   t₀ = u₀ + ½(u₁ + u₂),  t₁ = ½(u₁ − u₂),  t₂ = ½(u₁ + u₂) + u₃.
  func inverseTransformFilters(
    _ du: UnsafePointer<Float>, count: Int, stride: Int, workerStride: Int = 0, filters: Range<Int>,
    into dW: UnsafeMutablePointer<Float>
  ) {
    let cin = channels
    for f in filters {
      var c = 0
      while c < cin {
        let lanes = min(8, cin - c)
        // ∂U[ξ] of 8 channels, summed over the workers.
        @inline(__always) func u(_ xi: Int) -> SIMD8<Float> {
          var sum = SIMD8<Float>()
          for w in 0..<count {
            let p = du + w * workerStride + xi * stride + f * cin + c
            if lanes == 8 {
              sum += Self.load8(p)
            } else {
              for lane in 0..<lanes { sum[lane] += p[lane] }
            }
          }
          return sum
        }
        let half = SIMD8<Float>(repeating: 0.5)
        // Down the columns b: t_i[b] from u[b], u[4 + b], u[8 + b], u[12 + b]; then along t_i.
        @inline(__always) func down(_ b: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
          let (u0, u1, u2, u3) = (u(b), u(4 + b), u(8 + b), u(12 + b))
          return (u0 + half * (u1 + u2), half * (u1 - u2), half * (u1 + u2) + u3)
        }
        let (c0, c1, c2, c3) = (down(0), down(1), down(2), down(3))
        @inline(__always) func along(
          _ i: Int, _ t0: SIMD8<Float>, _ t1: SIMD8<Float>, _ t2: SIMD8<Float>,
          _ t3: SIMD8<Float>
        ) {
          let g = (t0 + half * (t1 + t2), half * (t1 - t2), half * (t1 + t2) + t3)
          for lane in 0..<lanes {
            let out = dW + ((f * cin + c + lane) * 3 + i) * 3
            out[0] = g.0[lane]
            out[1] = g.1[lane]
            out[2] = g.2[lane]
          }
        }
        along(0, c0.0, c1.0, c2.0, c3.0)
        along(1, c0.1, c1.1, c2.1, c3.1)
        along(2, c0.2, c1.2, c2.2, c3.2)
        c += 8
      }
    }
  }
}
