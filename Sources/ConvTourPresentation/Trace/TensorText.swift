import ConvTourEngine
import ConvTourLessons

/// Tensors as aligned text grids, one matrix per channel (and per example).
///
/// rank 0: the value; rank 1: one row; rank 2: a matrix; rank 3 [C, H, W]: one matrix per
/// channel; rank 4 [N, C, H, W]: one per example and channel. Under a perturbation each
/// element reads a + bΔ.
public struct TensorText {
  /// Decimal places for values that are not all whole numbers.
  public var places: Int

  public init(places: Int = 4) { self.places = places }

  /// The element texts, all whole numbers shown as such; `number`, when given, is the screen's
  /// format, which every tensor on it shares.
  func cells(_ t: Tensor, tangent: Tensor?, number style: NumberStyle? = nil) -> [String] {
    let whole =
      t.values.allSatisfy { $0 == $0.rounded() && abs($0) < 1e12 }
      && (tangent?.values.allSatisfy { $0 == $0.rounded() && abs($0) < 1e12 } ?? true)
    // One format for the whole tensor, so its columns line up: whole numbers, fixed decimals,
    // or scientific when fixed decimals would hide a value (1e−7 showing as 0.0000); on the
    // screen, the values fixed decimals would hide alone.
    let scientific =
      !whole
      && (style?.scientific
        ?? (t.values.contains { NumberFormat.needsScientific($0, places: places) }
          || (tangent?.values.contains { NumberFormat.needsScientific($0, places: places) } ?? false)))
    func number(_ x: Double) -> String {
      if whole { return NumberFormat.fixed(x, places: 0) }
      if style?.perValue == true { return NumberFormat.readable(x, places: places) }
      return scientific ? NumberFormat.scientific(x, places: places) : NumberFormat.fixed(x, places: places)
    }
    return t.values.indices.map { k in
      guard let tangent else { return number(t.values[k]) }
      let b = tangent.values[k]
      return "\(number(t.values[k])) \(b < 0 ? "−" : "+") \(number(abs(b)))Δ"
    }
  }

  /// The lines of a tensor's grids, each indented by `indent` spaces.
  public func lines(_ t: Tensor, tangent: Tensor? = nil, indent: Int = 0) -> [String] {
    let pad = String(repeating: " ", count: indent)
    let texts = cells(t, tangent: tangent)
    let width = texts.map(\.count).max() ?? 1
    func row(_ range: Range<Int>) -> String {
      pad
        + range.map { String(repeating: " ", count: width - texts[$0].count) + texts[$0] }.joined(
          separator: "  ")
    }
    switch t.rank {
    case 0: return [pad + (texts.first ?? "")]
    case 1: return [row(0..<t.count)]
    default:
      let (h, w) = (t.shape[t.rank - 2], t.shape[t.rank - 1])
      let planes = h * w == 0 ? 0 : t.count / (h * w)
      let outer = Array(t.shape.dropLast(2))
      var result: [String] = []
      for p in 0..<planes {
        if t.rank > 2 {
          let index = Shape.index(ofOffset: p, in: outer)
          result.append(pad + planeTitle(index, outer))
        }
        for i in 0..<h { result.append(row((p * h * w + i * w)..<(p * h * w + (i + 1) * w))) }
      }
      return result
    }
  }

  /// "channel 2 of 6" for [C, H, W]; "[1, 2, :, :]" for a batch [N, C, H, W] or a filter bank
  /// [K, C, f_h, f_w], which the shape alone cannot tell apart.
  func planeTitle(_ index: [Int], _ outer: [Int]) -> String {
    outer.count == 1
      ? "channel \(index[0] + 1) of \(outer[0])" : "[" + IndexText.oneBased(index) + ", :, :]"
  }
}
