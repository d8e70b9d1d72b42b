/// Convolution on the fast path: Float32, im2col and OpenBLAS's sgemm.
///
/// Same contract as `Convolution` (x [N, C, H, W], W [K, C, f_h, f_w], b [K] → z [N, K, H_out, W_out]).
/// For one example, im2col lays the receptive fields out as the columns of a matrix
///   col[(c, l, m), (i, j)] = s(c, i·s_h + l, j·s_w + m)   — shape [C·f_h·f_w, H_out·W_out]
/// so that, with W viewed as [K, C·f_h·f_w],
///   forward:  z_n = W · col + b                     (sgemm, K × C·f_h·f_w × H_out·W_out)
///   backward: ∂L/∂W += δ_n · colᵀ                   (sgemm)
///             ∂L/∂b += Σ_(i,j) δ_n
///             dcol   = Wᵀ · δ_n, then col2im adds each entry back to the x element it came from.
/// The matrix products run on OpenBLAS's threads; im2col and col2im split the channels across
/// the cores. Buffers are allocated once per call, never per element.
public struct FastConvolution: Sendable {
  public var stride: Extent2D
  public var padding: Extent2D

  public init(stride: Int = 1, padding: Int = 0) {
    self.init(stride: Extent2D(stride), padding: Extent2D(padding))
  }

  public init(stride: Extent2D, padding: Extent2D) {
    self.stride = stride
    self.padding = padding
  }

  /// The reference op with the same parameters: the shapes are checked by one set of rules.
  var reference: Convolution { Convolution(stride: stride, padding: padding) }

  func geometry(_ x: [Int], _ W: [Int], _ b: [Int]?) throws -> Convolution.Geometry {
    try Convolution(stride: stride, padding: padding, hasBias: b != nil)
      .geometry(b.map { [x, W, $0] } ?? [x, W])
  }

  public func forward(x: Tensor32, W: Tensor32, b: Tensor32?) throws -> Tensor32 {
    let g = try geometry(x.shape, W.shape, b?.shape)
    let rows = g.x.c * g.fh * g.fw
    let columns = g.z.h * g.z.w
    var z = Tensor32(zeros: g.z.dims)
    var col = [Float](repeating: 0, count: rows * columns)
    x.values.withUnsafeBufferPointer { xp in
      W.values.withUnsafeBufferPointer { wp in
        z.values.withUnsafeMutableBufferPointer { zp in
          col.withUnsafeMutableBufferPointer { cp in
            for n in 0..<g.x.n {
              let xn = xp.baseAddress! + n * g.x.c * g.x.h * g.x.w
              let zn = zp.baseAddress! + n * g.k * columns
              im2col(xn, g, into: cp.baseAddress!)
              FastPath.gemm(
                transposeA: false, transposeB: false, m: g.k, n: columns, k: rows,
                a: wp.baseAddress!, lda: rows, b: cp.baseAddress!, ldb: columns, beta: 0, c: zn, ldc: columns)
              if let b {
                for k in 0..<g.k {
                  let bias = b.values[k]
                  let row = zn + k * columns
                  for p in 0..<columns { row[p] += bias }
                }
              }
            }
          }
        }
      }
    }
    return z
  }

  /// ∂L/∂x, ∂L/∂W and ∂L/∂b (nil when `hasBias` is false) from delta = ∂L/∂z.
  public func backward(
    x: Tensor32, W: Tensor32, delta: Tensor32, hasBias: Bool = true, needInputGradient: Bool = true
  ) throws
    -> (dx: Tensor32, dW: Tensor32, db: Tensor32?)
  {
    let g = try geometry(x.shape, W.shape, hasBias ? [W.shape.first ?? 0] : nil)
    guard delta.shape == g.z.dims else {
      throw EngineError.shapeMismatch(
        op: "conv2d backward", shapes: [delta.shape, g.z.dims], expected: "delta of the output's shape")
    }
    let rows = g.x.c * g.fh * g.fw
    let columns = g.z.h * g.z.w
    var dx = Tensor32(zeros: x.shape)
    var dW = Tensor32(zeros: W.shape)
    var db = Tensor32(zeros: [g.k])
    var col = [Float](repeating: 0, count: rows * columns)
    var dcol = [Float](repeating: 0, count: rows * columns)
    x.values.withUnsafeBufferPointer { xp in
      W.values.withUnsafeBufferPointer { wp in
        delta.values.withUnsafeBufferPointer { dp in
          col.withUnsafeMutableBufferPointer { cp in
            dcol.withUnsafeMutableBufferPointer { dcp in
              dx.values.withUnsafeMutableBufferPointer { dxp in
                dW.values.withUnsafeMutableBufferPointer { dwp in
                  for n in 0..<g.x.n {
                    let imageSize = g.x.c * g.x.h * g.x.w
                    let dn = dp.baseAddress! + n * g.k * columns
                    // ∂L/∂W += δ_n · colᵀ
                    im2col(xp.baseAddress! + n * imageSize, g, into: cp.baseAddress!)
                    FastPath.gemm(
                      transposeA: false, transposeB: true, m: g.k, n: rows, k: columns,
                      a: dn, lda: columns, b: cp.baseAddress!, ldb: columns, beta: 1,
                      c: dwp.baseAddress!, ldc: rows)
                    // dcol = Wᵀ · δ_n, then back to the image.
                    if needInputGradient {
                      FastPath.gemm(
                        transposeA: true, transposeB: false, m: rows, n: columns, k: g.k,
                        a: wp.baseAddress!, lda: rows, b: dn, ldb: columns, beta: 0,
                        c: dcp.baseAddress!, ldc: columns)
                      col2im(dcp.baseAddress!, g, adding: dxp.baseAddress! + n * imageSize)
                    }
                    for k in 0..<g.k {
                      var sum: Float = 0
                      let row = dn + k * columns
                      for p in 0..<columns { sum += row[p] }
                      db.values[k] += sum
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return (dx, dW, hasBias ? db : nil)
  }

  /// col[(c, l, m), (i, j)] = x(c, i·s_h + l − p_h, j·s_w + m − p_w), 0 in the border.
  /// `x` points at one example [C, H, W]; `col` has C·f_h·f_w rows of H_out·W_out.
  func im2col(_ x: UnsafePointer<Float>, _ g: Convolution.Geometry, into col: UnsafeMutablePointer<Float>) {
    let (ho, wo) = (g.z.h, g.z.w)
    let (sh, sw, ph, pw) = (stride.rows, stride.columns, padding.rows, padding.columns)
    FastPath.parallelFor(g.x.c, minimumChunk: max(1, 4096 / max(1, ho * wo))) { c in
      let channel = x + c * g.x.h * g.x.w
      for l in 0..<g.fh {
        for m in 0..<g.fw {
          let row = col + ((c * g.fh + l) * g.fw + m) * ho * wo
          for i in 0..<ho {
            let r = i * sh + l - ph
            let out = row + i * wo
            guard r >= 0, r < g.x.h else {
              out.update(repeating: 0, count: wo)
              continue
            }
            let source = channel + r * g.x.w
            if sw == 1 {
              // Columns j with 0 ≤ j + m − p_w < W are a contiguous run of the source row.
              let first = max(0, pw - m)
              let last = min(wo, g.x.w + pw - m)
              if first > 0 { out.update(repeating: 0, count: min(first, wo)) }
              if last > first { (out + first).update(from: source + (first + m - pw), count: last - first) }
              if last < wo { (out + max(last, 0)).update(repeating: 0, count: wo - max(last, 0)) }
            } else {
              for j in 0..<wo {
                let q = j * sw + m - pw
                out[j] = (q >= 0 && q < g.x.w) ? source[q] : 0
              }
            }
          }
        }
      }
    }
  }

  /// The adjoint of im2col: adds col[(c, l, m), (i, j)] to x(c, i·s_h + l − p_h, j·s_w + m − p_w).
  /// Channels are independent, so they are split across the cores without races.
  func col2im(_ col: UnsafePointer<Float>, _ g: Convolution.Geometry, adding x: UnsafeMutablePointer<Float>) {
    let (ho, wo) = (g.z.h, g.z.w)
    let (sh, sw, ph, pw) = (stride.rows, stride.columns, padding.rows, padding.columns)
    FastPath.parallelFor(g.x.c, minimumChunk: max(1, 4096 / max(1, ho * wo))) { c in
      let channel = x + c * g.x.h * g.x.w
      for l in 0..<g.fh {
        for m in 0..<g.fw {
          let row = col + ((c * g.fh + l) * g.fw + m) * ho * wo
          for i in 0..<ho {
            let r = i * sh + l - ph
            guard r >= 0, r < g.x.h else { continue }
            let target = channel + r * g.x.w
            let source = row + i * wo
            for j in 0..<wo {
              let q = j * sw + m - pw
              if q >= 0 && q < g.x.w { target[q] += source[j] }
            }
          }
        }
      }
    }
  }
}
