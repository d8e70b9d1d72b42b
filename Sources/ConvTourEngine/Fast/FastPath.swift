import COpenBLAS
import Dispatch
import Foundation

/// Settings of the fast path: Float32 kernels on OpenBLAS's `cblas_sgemm`.
public enum FastPath {
  /// The number of threads OpenBLAS uses for a matrix product (both cores by default).
  public static var blasThreads: Int {
    get { Int(openblas_get_num_threads()) }
    set { openblas_set_num_threads(Int32(max(1, newValue))) }
  }

  /// The number of cores, read once.
  static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// C = alpha·op(A)·op(B) + beta·C for row-major matrices, op(X) = X or Xᵀ.
  /// A is m×k after op, B is k×n after op, C is m×n; `lda`, `ldb` are the stored row lengths.
  @inline(__always)
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// Runs `body(i)` for i in 0..<count on all cores, in chunks large enough to be worth a thread.
  static func parallelFor(_ count: Int, minimumChunk: Int = 1, _ body: (Int) -> Void) {
    let workers = min(count / max(1, minimumChunk), 2 * cores)
    guard workers > 1 else {
      for i in 0..<count { body(i) }
      return
    }
    // The body only runs during this call, and every worker touches its own indices.
    withoutActuallyEscaping(body) { body in
      nonisolated(unsafe) let body = body
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        let start = count * w / workers
        let end = count * (w + 1) / workers
        for i in start..<end { body(i) }
      }
    }
  }

  /// a = max(z, 0) in place.
  static func reluInPlace(_ values: inout [Float]) {
    values.withUnsafeMutableBufferPointer { p in
      for i in p.indices where p[i] < 0 { p[i] = 0 }
    }
  }

  /// ∂L/∂z = ∂L/∂a ⊙ 1(a > 0) in place, from ReLU's output a (a > 0 exactly when z > 0).
  static func reluBackwardInPlace(_ delta: inout [Float], output a: [Float]) {
    a.withUnsafeBufferPointer { ap in
      delta.withUnsafeMutableBufferPointer { d in
        for i in d.indices where !(ap[i] > 0) { d[i] = 0 }
      }
    }
  }
}
