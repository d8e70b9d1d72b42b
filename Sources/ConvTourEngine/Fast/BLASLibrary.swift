import COpenBLAS
import Dispatch

/// The BLAS the fast path runs on, as the library reports itself: for `--version`, `bench` and
/// `vgg16 run`, since its speed (and, before exact ties, its rounding) depends on the kernel.
public enum BLASLibrary {
  /// "OpenBLAS 0.3.21": the first two words of `openblas_get_config()`.
  public static var name: String {
    guard let config = openblas_get_config() else { return "OpenBLAS" }
    return String(cString: config).split(separator: " ").prefix(2).joined(separator: " ")
  }

  /// The kernel OpenBLAS chose for this processor when it loaded: "Cooperlake", "Haswell",
  /// "Prescott" (its generic SSE3 fallback), …
  public static var kernel: String {
    guard let core = openblas_get_corename() else { return "unknown" }
    return String(cString: core)
  }

  /// "OpenBLAS 0.3.21, Cooperlake kernels, 2 threads" — threads being the fast path's workers
  /// (each calls a single-threaded sgemm).
  public static func description(threads: Int) -> String {
    "\(name), \(kernel) kernels, \(threads) thread\(threads == 1 ? "" : "s")"
      + (FastPath.wideVectors ? "; small filters 16 lanes wide (AVX-512)" : "")
  }
}

extension BLASLibrary {
  /// This machine's sgemm rate as the fast path uses it, in GFLOP/s (2n³ floating-point operations
  /// per product): C = A·B of n×n matrices, the workers each multiplying their own share of C's
  /// columns with a single-threaded sgemm; the best of `rounds` after a warm-up. What `bench`
  /// compares a whole training step with.
  public static func sgemmRate(size n: Int = 2048, rounds: Int = 3) -> Double {
    let workers = FastPath.workers
    let a = [Float](repeating: 0.5, count: n * n)
    let b = [Float](repeating: 0.25, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    var best = Double.infinity
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          let (aBase, bBase, cBase) = (ap.baseAddress!, bp.baseAddress!, cp.baseAddress!)
          for round in 0...rounds {
            let start = DispatchTime.now()
            FastPath.forEachWorker(workers) { w in
              let columns = FastPath.share(n, w, workers)
              guard !columns.isEmpty else { return }
              FastPath.gemm(
                transposeA: false, transposeB: false, m: n, n: columns.count, k: n, a: aBase, lda: n,
                b: bBase + columns.lowerBound, ldb: n, beta: 0, c: cBase + columns.lowerBound, ldc: n)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            if round > 0 { best = min(best, seconds) }  // round 0 warms up
          }
        }
      }
    }
    return 2 * Double(n) * Double(n) * Double(n) / best / 1e9
  }
}
