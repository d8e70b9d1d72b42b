import CMalloc
import Foundation

/// What the machine can give a run, and what the process used.
enum SystemMemory {
  /// What a run may still allocate, in bytes: the least of the machine's MemAvailable and what
  /// the process's own limits leave — the address space (`ulimit -v`, RLIMIT_AS) less what is
  /// mapped already (VmSize), the data segment (`ulimit -d`, RLIMIT_DATA) less VmData. Nil when
  /// none can be read.
  static func available() -> Int? { availableWithReason()?.bytes }

  /// `available()` and what bounds it: "" for the machine's memory, or " under the address-space
  /// limit (ulimit -v)" / " under the data-size limit (ulimit -d)".
  static func availableWithReason() -> (bytes: Int, reason: String)? {
    var candidates: [(bytes: Int, reason: String)] = []
    if let machine = field("MemAvailable:", in: "/proc/meminfo") { candidates.append((machine, "")) }
    let limits: [(Int32, String, String)] = [
      (Int32(RLIMIT_AS.rawValue), "VmSize:", " under the address-space limit (ulimit -v)"),
      (Int32(RLIMIT_DATA.rawValue), "VmData:", " under the data-size limit (ulimit -d)"),
    ]
    for (resource, used, reason) in limits {
      var limit = rlimit()
      guard getrlimit(__rlimit_resource_t(UInt32(resource)), &limit) == 0, limit.rlim_cur != rlim_t.max,
        limit.rlim_cur < UInt64(Int.max)
      else { continue }
      let mapped = field(used, in: "/proc/self/status") ?? 0
      candidates.append((max(0, Int(limit.rlim_cur) - mapped), reason))
    }
    return candidates.min { $0.bytes < $1.bytes }
  }

  /// A "Name:   123 kB" line of a /proc file, in bytes.
  static func field(_ name: String, in file: String) -> Int? {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(name) {
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      if parts.count >= 2, let kB = Int(parts[1].trimmingCharacters(in: .whitespaces)) { return kB * 1024 }
    }
    return nil
  }

  /// Keeps freed memory in the process for the next allocation instead of returning it to the
  /// kernel. glibc hands out blocks over 128 KB–32 MB as fresh mappings and unmaps them on free,
  /// so every VGG-16 pass would fault in its gradients and activations page by page again
  /// (fc6's ∂L/∂W alone is 411 MB: 100,000 page faults, about 140 ms). With mmap off, large
  /// blocks come from the heap and freed ones are reused; the process keeps its peak size.
  /// One arena for all threads: another thread's arena maps large blocks whatever M_MMAP_MAX
  /// says (the fast path's workers allocate nothing, so they do not contend for it).
  /// For one-shot commands (`vgg16 run`, `bench`); the tour leaves malloc alone, so that memory
  /// goes back to the system when its VGG-16 screen is done.
  static func keepFreedMemory() {
    _ = mallopt(M_ARENA_MAX, 1)
    _ = mallopt(M_MMAP_MAX, 0)
    _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
  }

  /// Minor page faults of this process so far (pages the kernel had to map in): a pass that
  /// reuses its memory takes none.
  static func minorFaults() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_minflt)
  }

  /// The peak resident set size of this process so far, in bytes.
  static func peakResident() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_maxrss) * 1024
  }
}
