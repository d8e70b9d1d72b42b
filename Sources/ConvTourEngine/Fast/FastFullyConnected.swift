/// A fully connected layer on the fast path (Float32, sgemm); same contract as `FullyConnected`
/// for a batch: a [N, n_in], W [n_out, n_in], b [n_out] → z [N, n_out].
///   forward:  z = a·Wᵀ + b            (one example per row: z(e) = W·a(e) + b)
///   backward: ∂L/∂W = δᵀ·a,  ∂L/∂b = Σ_e δ(e),  ∂L/∂a = δ·W
public struct FastFullyConnected: Sendable {
  public init() {}

  func geometry(_ a: [Int], _ W: [Int]) throws -> (n: Int, nIn: Int, nOut: Int) {
    let g = try FullyConnected(hasBias: false).geometry([a, W])
    guard g.batched else {
      throw EngineError.invalidShape(op: "fc", shape: a, reason: "the fast path takes a batch [N, n_in]")
    }
    return (g.n, g.nIn, g.nOut)
  }

  public func forward(a: Tensor32, W: Tensor32, b: Tensor32?) throws -> Tensor32 {
    let g = try geometry(a.shape, W.shape)
    if let b, b.shape != [g.nOut] {
      throw EngineError.shapeMismatch(
        op: "fc", shapes: [W.shape, b.shape], expected: "b of shape [\(g.nOut)]")
    }
    var z = Tensor32(zeros: [g.n, g.nOut])
    if let b {
      for e in 0..<g.n { z.values.replaceSubrange((e * g.nOut)..<((e + 1) * g.nOut), with: b.values) }
    }
    a.values.withUnsafeBufferPointer { ap in
      W.values.withUnsafeBufferPointer { wp in
        z.values.withUnsafeMutableBufferPointer { zp in
          FastPath.gemm(
            transposeA: false, transposeB: true, m: g.n, n: g.nOut, k: g.nIn, a: ap.baseAddress!,
            lda: g.nIn, b: wp.baseAddress!, ldb: g.nIn, beta: b == nil ? 0 : 1, c: zp.baseAddress!,
            ldc: g.nOut)
        }
      }
    }
    return z
  }

  public func backward(a: Tensor32, W: Tensor32, delta: Tensor32) throws
    -> (da: Tensor32, dW: Tensor32, db: Tensor32)
  {
    let g = try geometry(a.shape, W.shape)
    guard delta.shape == [g.n, g.nOut] else {
      throw EngineError.shapeMismatch(
        op: "fc backward", shapes: [delta.shape, [g.n, g.nOut]], expected: "delta of the output's shape")
    }
    var da = Tensor32(zeros: a.shape)
    var dW = Tensor32(zeros: W.shape)
    var db = Tensor32(zeros: [g.nOut])
    a.values.withUnsafeBufferPointer { ap in
      W.values.withUnsafeBufferPointer { wp in
        delta.values.withUnsafeBufferPointer { dp in
          dW.values.withUnsafeMutableBufferPointer { dwp in
            FastPath.gemm(
              transposeA: true, transposeB: false, m: g.nOut, n: g.nIn, k: g.n, a: dp.baseAddress!,
              lda: g.nOut, b: ap.baseAddress!, ldb: g.nIn, beta: 0, c: dwp.baseAddress!, ldc: g.nIn)
          }
          da.values.withUnsafeMutableBufferPointer { dap in
            FastPath.gemm(
              transposeA: false, transposeB: false, m: g.n, n: g.nIn, k: g.nOut, a: dp.baseAddress!,
              lda: g.nOut, b: wp.baseAddress!, ldb: g.nIn, beta: 0, c: dap.baseAddress!, ldc: g.nIn)
          }
        }
      }
    }
    for e in 0..<g.n {
      for i in 0..<g.nOut { db.values[i] += delta.values[e * g.nOut + i] }
    }
    return (da, dW, db)
  }
}
