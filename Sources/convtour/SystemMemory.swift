import Foundation

/// What the machine can give a run, and what the process used.
enum SystemMemory {
  /// MemAvailable from /proc/meminfo, in bytes (nil when it cannot be read).
  static func available() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
      let parts = line.split(separator: " ")
      if parts.count >= 2, let kB = Int(parts[1]) { return kB * 1024 }
    }
    return nil
  }

  /// The peak resident set size of this process so far, in bytes.
  static func peakResident() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_maxrss) * 1024
  }
}
