import ConvTourEngine
import Testing

@testable import ConvTourLessons
@testable import ConvTourPresentation

/// A lesson's padded convolution (conv2d(X, W, b, stride: 2, padding: 1)) lists its products as
/// elements of s = h_1(X), counted from 1, as the op's formula indexes them (issue 22 §1).
@Suite("Padded convolutions in lesson traces")
struct PaddedTraceTests {
  @Test("the listed s indices are those of s[c, S(i−1)+l, S(j−1)+m], the border included")
  func stridedPadded() throws {
    var random = SeededRandom(seed: 9)
    let op = Convolution(stride: 2, padding: 1)
    let inputs = [
      Tensor.random([2, 5, 5], using: &random), Tensor.random([2, 2, 3, 3], using: &random),
      Tensor.random([2], using: &random),
    ]
    let formula = "z[k, i, j] = Σ_c Σ_l,m s[c, 2(i−1)+l, 2(j−1)+m]·W[k, c, l, m] + b[k] (l, m = 1…3)"
    let y = try op.forward(inputs)
    for offset in 0..<y.count {
      let index = Shape.index(ofOffset: offset, in: y.shape)
      let e = try op.explain(inputs, at: index)
      let trace = ElementTrace(
        tensor: "Y", index: index, value: e.value, combination: e.combination,
        terms: e.terms.map { term in
          TraceTerm(
            factors: term.factors.map {
              TraceFactor(
                tensor: ["X", "W", "b"][$0.input], derivative: nil, index: $0.index, value: $0.value,
                isPadding: $0.isPadding, padding: $0.input == 0 ? op.readPadding : 0)
            }, form: term.form, value: term.value)
        })
      let lines = ElementText(number: NumberStyle(places: 4)).lines(trace)
      #expect(lines[0].contains("s = h_1(X): s[c, i+1, j+1] = X[c, i, j], counted from 1"))
      // The checker reads "s[1, 2, 3] · W[…]" as the explorer's "s[1, 2, 3]·W[…]".
      let terms = lines.dropFirst().map { $0.replacingOccurrences(of: " · ", with: "·") }
      let (checked, failures) = IndexFormulaChecker.checkText(
        [formula] + terms, element: index.map { $0 + 1 })
      #expect(checked == 2 * 9 + 1)
      #expect(failures.isEmpty, "\(index): \(failures.prefix(2))")
    }
  }
}
