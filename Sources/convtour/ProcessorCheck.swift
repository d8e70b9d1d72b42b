import Foundation

/// The engine's release build uses AVX2 and FMA (`-target-cpu haswell` in Package.swift): on a
/// processor without them it would stop at its first vector instruction with SIGILL. Checked
/// first thing in `main`, before any engine code runs, and said in one line instead.
enum ProcessorCheck {
  /// The features the release build needs that `flags` (/proc/cpuinfo's names) lacks.
  static func lacking(flags: Set<String>) -> [String] {
    ["avx2", "fma"].filter { !flags.contains($0) }
  }

  static func requireVectorUnits() {
    #if arch(x86_64) && !DEBUG
      guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return }
      let flags = BLASKernelChoice.flags(cpuinfo: cpuinfo)
      let missing = lacking(flags: flags)
      guard !flags.isEmpty, !missing.isEmpty else { return }
      printError(
        "convtour: this release build needs a processor with AVX2 and FMA; this one lacks "
          + missing.joined(separator: " and ") + " (a debug build, `swift build`, runs without them)")
      exit(2)
    #endif
  }
}
