import Foundation

#if FUZZING
  /// libFuzzer's entry point (built with `-sanitize=fuzzer -DFUZZING`, `make fuzz`): the target
  /// is named by $FUZZ_TARGET.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOne(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    _ = FuzzTargets.run(FuzzTarget.name, bytes)
    return 0
  }

  /// SwiftPM links an executable's entry point as `main` = `<target>_main`; here it hands
  /// control to libFuzzer's driver.
  @_cdecl("convtour_fuzz_main")
  public func fuzzDriver(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
  ) -> CInt {
    var count = argc
    var vector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &vector, fuzzOne)
  }

  @_silgen_name("LLVMFuzzerRunDriver")
  func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
  ) -> CInt

  enum FuzzTarget {
    static let name: String = {
      let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
      guard FuzzTargets.names.contains(name) else {
        FileHandle.standardError.write(Data("FUZZ_TARGET must be one of \(FuzzTargets.names)\n".utf8))
        exit(2)
      }
      return name
    }()
  }
#else
  /// Without libFuzzer: replays inputs through the same targets, for `make test`'s regression
  /// corpus and to reproduce a finding.
  ///
  ///     convtour-fuzz TARGET FILE…      each file through one target
  ///     convtour-fuzz --corpus FOLDER   FOLDER/TARGET/regressions/* through each target
  ///     convtour-fuzz --seeds FOLDER    write seed corpora made from the real files
  @main
  enum FuzzReplay {
    static func main() {
      let arguments = Array(CommandLine.arguments.dropFirst())
      switch arguments.first {
      case "--corpus" where arguments.count == 2: exit(FuzzCorpus.replayAll(arguments[1]))
      case "--seeds" where arguments.count == 2: exit(FuzzCorpus.writeSeeds(arguments[1]))
      case let name? where FuzzTargets.names.contains(name):
        for path in arguments.dropFirst() {
          guard let data = FileManager.default.contents(atPath: path) else {
            print("cannot read \(path)")
            exit(2)
          }
          _ = FuzzTargets.run(name, Array(data))
        }
        print("\(arguments.count - 1) inputs through \(name): no crash")
      default:
        print("usage: convtour-fuzz TARGET FILE… | --corpus FOLDER | --seeds FOLDER")
        print("targets: \(FuzzTargets.names.joined(separator: ", "))")
        exit(2)
      }
    }
  }
#endif
