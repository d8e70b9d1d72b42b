import COpenBLAS

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
  }
}
