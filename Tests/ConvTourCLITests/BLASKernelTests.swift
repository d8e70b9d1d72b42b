import Foundation
import Testing

@testable import convtour

/// OpenBLAS on its best kernel: the decision (table data from the machines seen), the user's
/// OPENBLAS_CORETYPE respected, a failed restart reported, and the kernel named.
@Suite("BLAS kernel choice")
struct BLASKernelTests {
  static let avx2 = Set(
    "fpu sse sse2 ssse3 sse4_1 sse4_2 avx fma avx2".split(separator: " ").map(String.init))
  static let avx512 = avx2.union(["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"])
  /// The Intel Xeon (family 6, model 207) of performance.md, and AMD's Zen 4 and Zen 5.
  static let sapphireRapids = avx512.union(["avx512_bf16", "amx_tile", "amx_bf16"])
  static let zen = avx512.union(["avx512_bf16", "avx512ifma"])

  @Test(
    "corename + processor features + environment → the kernel to restart with",
    arguments: [
      // OpenBLAS 0.3.21 does not know the Intel model and picks Prescott (SSE3).
      ("Prescott", sapphireRapids, [:], "Cooperlake"),
      ("Prescott", avx512, [:], "SkylakeX"),
      ("Core2", avx512, [:], "SkylakeX"),
      ("Nehalem", avx2, [:], "Haswell"),
      ("Sandybridge", avx2, [:], "Haswell"),
      // Zen 4 with AVX-512: OpenBLAS's Zen kernels are AVX2 ones.
      ("Zen", zen, [:], "Cooperlake"),
      // Already the best the features allow: carry on.
      ("Cooperlake", zen, [:], nil),
      ("SkylakeX", avx512, [:], nil),
      ("Haswell", avx2, [:], nil),
      ("Zen", avx2, [:], nil),
      // No AVX2: nothing better to pick.
      ("Prescott", Set(["sse", "sse2", "sse3"]), [:], nil),
      // The user's choice, whatever it is, stands.
      ("Prescott", sapphireRapids, ["OPENBLAS_CORETYPE": "Prescott"], nil),
      ("Haswell", zen, ["OPENBLAS_CORETYPE": "Haswell"], nil),
    ] as [(String, Set<String>, [String: String], String?)])
  func decision(corename: String, flags: Set<String>, environment: [String: String], expected: String?) {
    #expect(BLASKernelChoice.coretype(corename: corename, flags: flags, environment: environment) == expected)
  }

  @Test("sixteen-lane kernels only with AVX-512 on the processor and in OpenBLAS's kernels")
  func wideVectors() {
    let avx512: Set = ["avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
    #expect(BLASKernelChoice.wideVectors(corename: "Cooperlake", flags: avx512))
    #expect(BLASKernelChoice.wideVectors(corename: "SKYLAKEX", flags: avx512))
    // OPENBLAS_CORETYPE=Haswell keeps the whole program to AVX2.
    #expect(!BLASKernelChoice.wideVectors(corename: "Haswell", flags: avx512))
    #expect(!BLASKernelChoice.wideVectors(corename: "Cooperlake", flags: avx512.subtracting(["avx512vl"])))
    #expect(!BLASKernelChoice.wideVectors(corename: "Zen", flags: ["avx2", "fma"]))
  }

  @Test("processor features from /proc/cpuinfo's text")
  func cpuinfoFlags() {
    let text =
      "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx2 fma avx512f\nbugs\t\t: x\n"
    #expect(BLASKernelChoice.flags(cpuinfo: text) == ["fpu", "sse2", "avx2", "fma", "avx512f"])
    #expect(BLASKernelChoice.flags(cpuinfo: "") == [])
  }

  @Test("the release build's vector units: AVX2 and FMA, named when lacking")
  func vectorUnits() {
    #expect(ProcessorCheck.lacking(flags: ["sse2", "avx2", "fma", "avx512f"]).isEmpty)
    #expect(ProcessorCheck.lacking(flags: ["sse2", "sse4_2", "avx"]) == ["avx2", "fma"])
    #expect(ProcessorCheck.lacking(flags: ["avx2"]) == ["fma"])
  }

  @Test("a restart that cannot happen returns why and leaves OPENBLAS_CORETYPE as it was")
  func failedRestart() {
    let before = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
    let failure = BLASKernelChoice.restart(executable: "/nonexistent/convtour", coretype: "SkylakeX")
    #expect(failure?.contains("/nonexistent/convtour") == true, "\(failure ?? "nil")")
    #expect(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == before)
  }

  /// The kernel `convtour --version` names, run with `environment` changed.
  static func kernel(_ change: (inout [String: String]) -> Void) throws -> String {
    var environment = ProcessInfo.processInfo.environment
    change(&environment)
    let process = Process()
    process.executableURL = Binary.url
    process.arguments = ["--version"]
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    // "convtour 0.20 — OpenBLAS 0.3.21, Cooperlake kernels, 2 threads": the version, then the BLAS
    #expect(stdout.hasPrefix("convtour \(ConvTour.release) — OpenBLAS"), "\(stdout)")
    let kernel = stdout.split(separator: ",").dropFirst().first.map {
      $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " kernels", with: "")
    }
    return kernel ?? ""
  }

  @Test("the user's OPENBLAS_CORETYPE is kept; without it the kernel is not generic on an AVX2 processor")
  func kernelInUse() throws {
    #expect(try Self.kernel { $0["OPENBLAS_CORETYPE"] = "Prescott" } == "Prescott")
    let flags = BLASKernelChoice.flags(
      cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")
    let chosen = try Self.kernel { $0["OPENBLAS_CORETYPE"] = nil }
    if flags.isSuperset(of: ["avx2", "fma"]) {
      #expect(BLASKernelChoice.avx2Kernels.contains(chosen.lowercased()), "\(chosen)")
    }
  }
}
