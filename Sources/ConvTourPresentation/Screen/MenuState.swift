import ConvTourLessons

/// The menu of lessons: the chosen row and the filter. While the filter is being typed, every
/// printable key is text (so `/graph` keeps its `h`); ↑↓ still choose and Enter opens.
public struct MenuState: Sendable {
  public var selected = 0
  public var filter = ""
  public var filtering = false

  public enum Action: Equatable, Sendable {
    case open(id: String), vgg, help, quit
  }

  /// The lessons the filter keeps (id, title or source contains it, any case).
  public func visible(_ lessons: [Lesson]) -> [Lesson] {
    guard !filter.isEmpty else { return lessons }
    let needle = filter.lowercased()
    return lessons.filter {
      $0.id.lowercased().contains(needle) || $0.title.lowercased().contains(needle)
        || $0.titledSource.lowercased().contains(needle)
    }
  }

  public mutating func handle(_ key: Key, lessons: [Lesson]) -> Action? {
    let count = visible(lessons).count
    if filtering {
      switch key {
      case .escape:
        filtering = false
        filter = ""
      case .backspace:
        if !filter.isEmpty { filter.removeLast() } else { filtering = false }
      case .character(let c): filter.append(c)
      case .enter:
        filtering = false
        return open(lessons)
      case .down: selected = min(selected + 1, max(0, count - 1))
      case .up: selected = max(selected - 1, 0)
      default: break
      }
      selected = min(selected, max(0, visible(lessons).count - 1))
      return nil
    }
    switch key {
    case .character("q"): return .quit
    case .character("?"), .character("h"): return .help
    case .character("/"):
      filtering = true
      filter = ""
      selected = 0
    case .escape: filter = ""
    case .down, .character("j"): selected = min(selected + 1, max(0, count - 1))
    case .up, .character("k"): selected = max(selected - 1, 0)
    case .home: selected = 0
    case .end: selected = max(0, count - 1)
    case .enter, .right, .character("l"): return open(lessons)
    case .character("v"): return .vgg
    default: break
    }
    return nil
  }

  func open(_ lessons: [Lesson]) -> Action? {
    let shown = visible(lessons)
    return selected < shown.count ? .open(id: shown[selected].id) : nil
  }
}
