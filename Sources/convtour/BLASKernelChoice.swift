import ConvTourEngine
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// OpenBLAS on its best kernel. Debian's OpenBLAS 0.3.21 picks its kernels by processor model
/// when it loads, and on a model it does not know falls back to generic ones (Prescott: SSE3,
/// five times slower than AVX-512). When that happened on a processor with AVX2 or AVX-512,
/// convtour starts itself again with OPENBLAS_CORETYPE set from the processor's features —
/// never when the user has set OPENBLAS_CORETYPE, and before any BLAS work.
enum BLASKernelChoice {
  /// OpenBLAS 0.3.21's kernels for processors with AVX-512, and with at least AVX2.
  static let avx512Kernels: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]
  static let avx2Kernels: Set<String> = avx512Kernels.union(["haswell", "zen"])
  /// Skylake-X's AVX-512 subsets (/proc/cpuinfo's names): what its kernels, and ours, use.
  static let avx512Flags = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

  /// The kernel to restart with, or nil to carry on: `corename` is the kernel OpenBLAS chose,
  /// `flags` the processor's features (/proc/cpuinfo's names), `environment` the process's.
  static func coretype(corename: String, flags: Set<String>, environment: [String: String]) -> String? {
    guard environment["OPENBLAS_CORETYPE"] == nil else { return nil }  // the user's choice
    let core = corename.lowercased()
    let avx512 = avx512Flags.allSatisfy(flags.contains)
    if avx512, !avx512Kernels.contains(core) {
      // Cooper Lake's kernels add bfloat16 instructions to Skylake-X's.
      return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
    }
    if ["avx2", "fma"].allSatisfy(flags.contains), !avx2Kernels.contains(core) { return "Haswell" }
    return nil
  }

  /// Whether the engine's own small-filter kernels run sixteen lanes wide: when the processor has
  /// AVX-512 and OpenBLAS runs AVX-512 kernels — so that `OPENBLAS_CORETYPE=Haswell` keeps the
  /// whole program to AVX2.
  static func wideVectors(corename: String, flags: Set<String>) -> Bool {
    avx512Flags.allSatisfy(flags.contains) && avx512Kernels.contains(corename.lowercased())
  }

  /// Sets `FastPath.wideVectors` from the processor and OpenBLAS's kernel (after any restart).
  static func chooseVectorWidth() {
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return }
    FastPath.wideVectors = wideVectors(corename: BLASLibrary.kernel, flags: flags(cpuinfo: cpuinfo))
  }

  /// The feature flags of the first processor in /proc/cpuinfo's text.
  static func flags(cpuinfo: String) -> Set<String> {
    for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
    return []
  }

  /// Called first thing in `main`: restarts the program through `executable` with the better
  /// kernel when OpenBLAS fell back to an older one. Returns only when no restart is needed or
  /// it failed (then says so once on stderr and carries on with the kernel it has).
  static func restartOnBestKernel(executable: String = "/proc/self/exe") {
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return }
    let corename = BLASLibrary.kernel
    guard
      let coretype = coretype(
        corename: corename, flags: flags(cpuinfo: cpuinfo), environment: ProcessInfo.processInfo.environment)
    else { return }
    if let failure = restart(executable: executable, coretype: coretype) {
      printError(
        "convtour: OpenBLAS chose its \(corename) kernels; restarting with \(coretype) failed (\(failure)): "
          + "carrying on with \(corename)")
    }
  }

  /// exec of `executable` with this process's arguments and OPENBLAS_CORETYPE=`coretype`; on
  /// failure the environment is left as it was and the reason returned.
  static func restart(executable: String, coretype: String) -> String? {
    let before = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
    setenv("OPENBLAS_CORETYPE", coretype, 1)
    execv(executable, CommandLine.unsafeArgv)
    let reason = String(cString: strerror(errno))
    if let before { setenv("OPENBLAS_CORETYPE", before, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
    return "\(executable): \(reason)"
  }
}
