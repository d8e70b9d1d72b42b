/// A fully connected layer on the fast path (Float32, sgemm); same contract as `FullyConnected`
/// for a batch: a [N, n_in], W [n_out, n_in], b [n_out] → z [N, n_out].
///   forward:  z = a·Wᵀ + b            (one example per row: z(e) = W·a(e) + b)
///   backward: ∂L/∂W = δᵀ·a,  ∂L/∂b = Σ_e δ(e),  ∂L/∂a = δ·W
/// At batch 1 these are matrix–vector products that read all of W (411 MB for fc6): the
/// lanes (`FastPath.lanes`, whatever the worker count) split W's rows (forward, ∂L/∂W) or
/// columns (∂L/∂a), so every core pulls memory, and use sgemv and a plain outer product, which
/// stream W at twice the rate of sgemm with one row.
public struct FastFullyConnected: Sendable {
  public init() {}

  func geometry(_ a: [Int], _ W: [Int]) throws -> (n: Int, nIn: Int, nOut: Int) {
    let g = try FullyConnected(hasBias: false).geometry([a, W])
    guard g.batched else {
      throw EngineError.invalidShape(op: "fc", shape: a, reason: "the fast path takes a batch [N, n_in]")
    }
    return (g.n, g.nIn, g.nOut)
  }

  public func forward(a: Tensor32, W: Tensor32, b: Tensor32?, relu: Bool = false) throws -> Tensor32 {
    let g = try geometry(a.shape, W.shape)
    if let b, b.shape != [g.nOut] {
      throw EngineError.shapeMismatch(
        op: "fc", shapes: [W.shape, b.shape], expected: "b of shape [\(g.nOut)]")
    }
    var z = Tensor32(uninitialized: [g.n, g.nOut])
    let bias = b?.values ?? [Float](repeating: 0, count: g.nOut)
    a.values.withUnsafeBufferPointer { ap in
      W.values.withUnsafeBufferPointer { wp in
        z.values.withUnsafeMutableBufferPointer { zp in
          let (aBase, wBase, zBase) = (ap.baseAddress!, wp.baseAddress!, zp.baseAddress!)
          FastPath.forEachLaneShare(g.nOut) { units, _ in
            if g.n == 1 {
              FastPath.gemv(
                transpose: false, m: units.count, n: g.nIn, a: wBase + units.lowerBound * g.nIn, lda: g.nIn,
                x: aBase, y: zBase + units.lowerBound)
            } else {
              FastPath.gemm(
                transposeA: false, transposeB: true, m: g.n, n: units.count, k: g.nIn, a: aBase, lda: g.nIn,
                b: wBase + units.lowerBound * g.nIn, ldb: g.nIn, beta: 0, c: zBase + units.lowerBound,
                ldc: g.nOut)
            }
            for e in 0..<g.n {
              let row = zBase + e * g.nOut
              for j in units { row[j] = relu ? max(row[j] + bias[j], 0) : row[j] + bias[j] }
            }
          }
        }
      }
    }
    return z
  }

  /// ∂L/∂a, ∂L/∂W and ∂L/∂b from delta = ∂L/∂z [N, n_out].
  public func backward(a: Tensor32, W: Tensor32, delta: Tensor32) throws
    -> (da: Tensor32, dW: Tensor32, db: Tensor32)
  {
    let g = try parameterGradients(a: a, W: W, delta: delta)
    return (try inputGradient(a: a, W: W, delta: delta), g.dW, g.db)
  }

  /// ∂L/∂W = δᵀ·a [n_out, n_in] (the lanes take ranges of output units) and ∂L/∂b = Σ_e δ.
  public func parameterGradients(a: Tensor32, W: Tensor32, delta: Tensor32) throws -> (
    dW: Tensor32, db: Tensor32
  ) {
    let g = try backwardGeometry(a: a, W: W, delta: delta)
    var dW = Tensor32(uninitialized: W.shape)
    var db = Tensor32(zeros: [g.nOut])
    a.values.withUnsafeBufferPointer { ap in
      delta.values.withUnsafeBufferPointer { dp in
        dW.values.withUnsafeMutableBufferPointer { dwp in
          let (aBase, dBase, dwBase) = (ap.baseAddress!, dp.baseAddress!, dwp.baseAddress!)
          FastPath.forEachLaneShare(g.nOut) { units, _ in
            if g.n == 1 {
              // One example: ∂L/∂W[j, :] = δ_j · a.
              for j in units {
                let (row, scale) = (dwBase + j * g.nIn, dBase[j])
                for i in 0..<g.nIn { row[i] = scale * aBase[i] }
              }
            } else {
              FastPath.gemm(
                transposeA: true, transposeB: false, m: units.count, n: g.nIn, k: g.n,
                a: dBase + units.lowerBound, lda: g.nOut, b: aBase, ldb: g.nIn, beta: 0,
                c: dwBase + units.lowerBound * g.nIn, ldc: g.nIn)
            }
          }
        }
      }
    }
    for e in 0..<g.n {
      for i in 0..<g.nOut { db.values[i] += delta.values[e * g.nOut + i] }
    }
    return (dW, db)
  }

  /// ∂L/∂a = δ·W [N, n_in]: the lanes take ranges of input columns.
  public func inputGradient(a: Tensor32, W: Tensor32, delta: Tensor32) throws -> Tensor32 {
    let g = try backwardGeometry(a: a, W: W, delta: delta)
    var da = Tensor32(uninitialized: a.shape)
    W.values.withUnsafeBufferPointer { wp in
      delta.values.withUnsafeBufferPointer { dp in
        da.values.withUnsafeMutableBufferPointer { dap in
          let (wBase, dBase, daBase) = (wp.baseAddress!, dp.baseAddress!, dap.baseAddress!)
          FastPath.forEachLaneShare(g.nIn) { inputs, _ in
            if g.n == 1 {
              // ∂L/∂a[inputs] = W[:, inputs]ᵀ · δ
              FastPath.gemv(
                transpose: true, m: g.nOut, n: inputs.count, a: wBase + inputs.lowerBound, lda: g.nIn,
                x: dBase, y: daBase + inputs.lowerBound)
            } else {
              FastPath.gemm(
                transposeA: false, transposeB: false, m: g.n, n: inputs.count, k: g.nOut, a: dBase,
                lda: g.nOut, b: wBase + inputs.lowerBound, ldb: g.nIn, beta: 0, c: daBase + inputs.lowerBound,
                ldc: g.nIn)
            }
          }
        }
      }
    }
    return da
  }

  func backwardGeometry(a: Tensor32, W: Tensor32, delta: Tensor32) throws -> (n: Int, nIn: Int, nOut: Int) {
    let g = try geometry(a.shape, W.shape)
    guard delta.shape == [g.n, g.nOut] else {
      throw EngineError.shapeMismatch(
        op: "fc backward", shapes: [delta.shape, [g.n, g.nOut]], expected: "delta of the output's shape")
    }
    return g
  }
}
