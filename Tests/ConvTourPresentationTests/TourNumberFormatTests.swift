import ConvTourEngine
import ConvTourLessons
import Foundation
import Testing

@testable import ConvTourPresentation

/// The tour's number format: a value fixed decimals would hide is scientific on its own, not the
/// whole screen with it; one exponent style (a Unicode minus) everywhere.
@Suite("The tour's number format")
struct TourNumberFormatTests {
  func opened(_ id: String, step: Int) throws -> TourState {
    var state = TourState(lessons: TourViewTests.lessons)
    let opened = state.open(id: id)
    #expect(opened)
    state.lesson.go(to: step)
    return state
  }

  /// The numbers on a screen: how many read in fixed decimals, and how many in scientific.
  func counts(_ text: String) -> (fixed: Int, scientific: Int) {
    let numbers = text.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "," })
    let scientific = numbers.filter { $0.contains("e−") || $0.contains("e+") }.count
    let fixed = numbers.filter { $0.contains(".") && !$0.contains("e") && $0.last?.isNumber == true }.count
    return (fixed, scientific)
  }

  @Test("each value fixed where that shows it, scientific where it would not; one exponent style")
  func perValue() {
    let style = NumberStyle.perValue(places: 4)
    #expect(style.text(0.5) == "0.5000")
    #expect(style.text(-1.25e-7) == "−1.2500e−07")
    #expect(style.text(2.5e6) == "2.5000e+06")
    #expect(style.text(0) == "0.0000")
    // The VGG screen's significant digits read their exponent as the lessons do.
    #expect(NumberFormat.significant(1.5e-5) == "1.5e−05")
    #expect(!NumberFormat.significant(-2.5e-9).contains("-"))
  }

  @Test(
    "max-pool step 20 at 120×40: a tiny value does not switch the tensors to scientific or out of the pane")
  func maxPoolStep20() throws {
    let state = try opened("max-pool", step: 20)
    let screen = TourView.render(state, width: 120, height: 40, capabilities: Capabilities())
    let (fixed, scientific) = counts(screen.text)
    #expect(fixed > 2 * scientific, "\(screen.text)")
    // The grid of the tensors pane is not cut: every column of it is on the screen.
    #expect(!screen.text.contains("more column"), "\(screen.text)")
  }
}
