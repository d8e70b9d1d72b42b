import ConvTourLessons
import Testing

@Suite("The op registry and `convtour ops`")
struct OpRegistryTests {
  @Test("every op of the lesson format has a sample: ops --check lists and checks each one")
  func everyOpHasASample() throws {
    let result = try Binary.run(["ops", "--check"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains("no sample"))
    let listed = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") && $0.contains("(") }
      .map { String($0.prefix { $0 != "(" }) }
    #expect(listed == OpRegistry.names)
    for name in OpRegistry.names where name != "step" {
      #expect(result.stdout.contains("\(name)(") && result.stdout.contains("check on"))
    }
  }
}
