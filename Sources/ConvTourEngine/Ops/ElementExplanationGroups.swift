extension ElementExplanation {
  /// One group of terms and their sum: for a convolution, the 9 products of one input channel.
  public struct Group: Equatable, Sendable {
    /// The index shared by the group's factors (the input channel c).
    public var key: Int
    /// Positions in `terms`.
    public var terms: [Int]
    public var sum: Double
  }

  /// The terms grouped by position `position` of the index of their factor from input `input`
  /// (input 0, position 1 groups a convolution's products by the channel c of x[n, c, i, j]), in
  /// order of first appearance. Terms with no such factor (the bias) belong to no group.
  public func groups(input: Int, position: Int) -> [Group] {
    var order: [Int] = []
    var byKey: [Int: Group] = [:]
    for (t, term) in terms.enumerated() {
      guard let factor = term.factors.first(where: { $0.input == input }), position < factor.index.count
      else { continue }
      let key = factor.index[position]
      if byKey[key] == nil {
        order.append(key)
        byKey[key] = Group(key: key, terms: [], sum: 0)
      }
      byKey[key]!.terms.append(t)
      byKey[key]!.sum += term.value
    }
    return order.map { byKey[$0]! }
  }

  /// The running totals of the terms in `order` (positions in `terms`): totals[t] is the sum of
  /// the first t + 1 of them, so the last one is the element's value for a sum.
  public func runningTotals(_ order: [Int]) -> [Double] {
    var total = 0.0
    return order.map {
      total += terms[$0].value
      return total
    }
  }
}
