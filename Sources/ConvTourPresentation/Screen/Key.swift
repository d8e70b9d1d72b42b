/// A key press, as the terminal layer reports it.
public enum Key: Equatable, Sendable {
  case character(Character)
  case up, down, left, right, home, end, pageUp, pageDown
  case enter, escape, tab, backTab, backspace
}
