import ArgumentParser
import ConvTourEngine

@main
struct ConvTour: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convtour",
    abstract: "Step through forward and backward propagation of convolutional networks.")

  mutating func run() throws {
    print("convtour")
  }
}
