/// The numbers the screen gives the steps. Unfolded, step n is "step n". With the arithmetic
/// detail folded (`f`), each fold shows as one step, numbered as its first step would be, and
/// the steps after it move down by the steps it hides: max-pool's fold 1–8 is "step 1", its
/// step 9 "step 2" of 58. `g N` goes to the step the screen calls N.
extension LessonScreenState {
  /// The folds in force: none when unfolded.
  var foldedRanges: [ClosedRange<Int>] { folded ? run?.lesson.folds.map(\.steps) ?? [] : [] }

  /// How many steps before step n the folds hide (all of each fold's steps but its first).
  func hiddenSteps(before n: Int) -> Int {
    foldedRanges.reduce(0) { $0 + max(0, min(n, $1.upperBound + 1) - $1.lowerBound - 1) }
  }

  /// The number the screen gives step n: a step of a fold has the fold's number.
  public func shownNumber(of n: Int) -> Int {
    let first = foldedRanges.first { $0.contains(n) }?.lowerBound ?? n
    return first - hiddenSteps(before: first)
  }

  /// The last step's number as the screen counts (`stepCount` unfolded).
  public var shownStepCount: Int { stepCount - hiddenSteps(before: stepCount + 1) }

  /// The step the screen numbers `shown` (a fold: its last step, where the fold is shown), or
  /// nil past the last.
  func step(numbered shown: Int) -> Int? {
    guard shown >= 0, shown <= shownStepCount else { return nil }
    let n = (0...stepCount).first { shownNumber(of: $0) == shown } ?? stepCount
    return foldedRanges.first { $0.contains(n) }?.upperBound ?? n
  }
}
