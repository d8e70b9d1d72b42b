/// What a screen's key asks beyond the screen's own state: an effect for the terminal layer, or
/// a move the tour makes between screens. `TourState` carries these out.
public enum ScreenEffect: Equatable, Sendable {
  case tour(TourEffect)
  /// Leave this screen for another (the lesson screen remembers where it was left).
  case show(TourState.Mode)
  /// Past the last step of a lesson: open the next one, if any.
  case nextLesson
}
