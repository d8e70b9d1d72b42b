/// Every key of the tour, written once: the help screen lists them all, and each screen's hint
/// line shows the ones marked for it, in this order.
enum KeyTable {
  struct Entry {
    /// The keys as the help shows them, and the short form of the hint line.
    var keys: String
    var what: String
    var hint: String?
    /// The screens whose hint line shows it.
    var screens: Set<Screen>
  }

  enum Screen: Hashable {
    case menu, opLevel, elementLevel, vgg
    /// The network screen's run view, its cursor on a map, and its training view.
    case vggRun, vggCursor, vggTraining
    /// The network screen's training panel on a dataset (`--data`).
    case datasetTraining
    /// A training step (a repeat) at op level: its own keys before the op level's.
    case training
  }

  static let all: [Entry] = [
    Entry(keys: "↑ ↓  j k", what: "menu: choose a lesson", hint: "↑↓ choose", screens: [.menu]),
    Entry(
      keys: "Enter", what: "menu: open the chosen lesson where it was left", hint: "Enter open",
      screens: [.menu]),
    Entry(
      keys: "/", what: "menu: filter the lessons (type, then Enter or Esc)", hint: "/ filter",
      screens: [.menu]),
    Entry(
      keys: "→  n  Space", what: "next step (or element); past the last, the next lesson", hint: "→ next",
      screens: [.opLevel, .elementLevel]),
    Entry(keys: "←", what: "previous step (or element)", hint: "← back", screens: [.opLevel, .elementLevel]),
    Entry(
      keys: "p",
      what:
        "on a training step (repeat): play the epochs — the loss chart grows, the panes show each epoch's weights, gradients and updates; any key pauses",
      hint: "p play", screens: [.training]),
    Entry(
      keys: "] / [", what: "on a training step: the next / previous epoch", hint: "] [ epoch",
      screens: [.training]),
    Entry(
      keys: "L", what: "on a training step: the loss chart on a log scale, or back to linear",
      hint: "L log scale", screens: [.training]),
    Entry(
      keys: "s", what: "step into element level: one output element at a time", hint: "s element level",
      screens: [.opLevel]),
    Entry(keys: "o", what: "step out to op level", hint: "o op level", screens: [.elementLevel]),
    Entry(keys: "Home / End", what: "first / last step", hint: nil, screens: []),
    Entry(keys: "g", what: "go to step: type its number, then Enter", hint: nil, screens: []),
    Entry(
      keys: "f", what: "fold or unfold the steps a lesson marks as arithmetic detail", hint: nil, screens: []),
    Entry(
      keys: "c / C", what: "next / previous channel of the tensors shown", hint: "c channel",
      screens: [.opLevel, .elementLevel, .vggRun, .vggCursor]),
    Entry(
      keys: "Tab", what: "move focus: tensors, terms (element level), notes", hint: "Tab focus",
      screens: [.opLevel, .elementLevel]),
    Entry(
      keys: "↑ ↓  j k  PgUp PgDn", what: "scroll the focused pane up / down", hint: "jk scroll",
      screens: [.elementLevel, .vgg]),
    Entry(
      keys: "↑ ↓", what: "the network's run view: choose a layer", hint: "↑↓ layer",
      screens: [.vggRun, .vggTraining]),
    Entry(keys: "arrows", what: "on a map: move the cursor", hint: "arrows move", screens: [.vggCursor]),
    Entry(
      keys: "h l", what: "scroll the tensors (or the table) left / right", hint: "hl sideways",
      screens: [.opLevel, .elementLevel, .vgg]),
    Entry(
      keys: "+ / −", what: "more / fewer decimal places", hint: "+/− places",
      screens: [.opLevel, .elementLevel]),
    Entry(
      keys: "v", what: "the network screen (VGG-16, or the tour's --network): its layer-shape table",
      hint: "v \(network)", screens: [.menu]),
    Entry(
      keys: "r / b", what: "network: run forward / forward and backward (Esc cancels)",
      hint: "r run\(Chrome.separator)b run+backward", screens: [.vgg, .vggRun, .vggTraining]),
    Entry(
      keys: "t", what: "network: table or run view", hint: "t view", screens: [.vgg, .vggRun, .vggTraining]),
    Entry(
      keys: "T",
      what:
        "network: train — SGD steps on the input and labels (seeded or --image/--labels, --weights), the loss per step plotted; any key stops after the step under way; r and b then run the trained weights",
      hint: "T train", screens: [.vgg, .vggRun, .vggTraining]),
    Entry(
      keys: "+ / −  < / >", what: "network training: learning rate η up / down; steps more / fewer",
      hint: "+/− η\(Chrome.separator)</> steps", screens: [.vggTraining]),

    Entry(
      keys: "T on --data",
      what: "dataset: train (any key pauses); +− ( ) [ ] <> η μ batch epochs; ↑↓ r b a test image",
      hint:
        "T train\(Chrome.separator)+− η\(Chrome.separator)() μ\(Chrome.separator)[] batch\(Chrome.separator)<> epochs\(Chrome.separator)↑↓ image\(Chrome.separator)r/b run it",
      screens: [.datasetTraining]),
    Entry(
      keys: "a / g", what: "network: direct or Winograd (3×3 convolutions) / a grid of channels",
      hint: "a algorithm\(Chrome.separator)g grid", screens: [.vggRun]),
    Entry(
      keys: "s / w",
      what:
        "network, after a run: a cursor on the map (s again explains it) / a weight's ∂J/∂W",
      hint: "s step in\(Chrome.separator)w ∂J/∂W", screens: [.vggRun, .vggCursor]),
    Entry(
      keys: "Esc", what: "back: out of an explanation, off the map, to the menu", hint: "Esc back",
      screens: [.vggCursor]),
    Entry(
      keys: "x X / o",
      what:
        "explanation: a channel's products (∂J/∂W: its input channel c, or unit j) / terms by size",
      hint: nil,
      screens: []),
    Entry(keys: "m", what: "the menu of lessons", hint: "m menu", screens: [.opLevel, .elementLevel, .vgg]),
    Entry(
      keys: "?", what: "this help", hint: "? help",
      screens: [.menu, .opLevel, .elementLevel, .vgg, .vggRun, .vggCursor, .vggTraining, .datasetTraining]),
    Entry(
      keys: "q", what: "quit", hint: "q quit",
      screens: [.menu, .opLevel, .elementLevel, .vgg, .vggRun, .vggCursor, .vggTraining, .datasetTraining]),
  ]

  /// Where a hint names the network the screen opens (`hints(for:network:)` fills it in).
  static let network = "{network}"

  /// A hint line shortened to `width`: the hints before the last two (help and quit) go first,
  /// from the end, so "? help" always shows.
  static func fit(_ line: String, width: Int) -> String {
    var parts = line.components(separatedBy: Chrome.separator)
    while parts.joined(separator: Chrome.separator).count > width, parts.count > 3 {
      parts.remove(at: parts.count - 3)
    }
    return parts.joined(separator: Chrome.separator)
  }

  /// The hint line of a screen, `network` named where a hint opens the network screen.
  static func hints(for screen: Screen, network: String = "VGG-16") -> String {
    let entries = all.filter { $0.screens.contains(screen) }
    // The network screen's views put their own keys first, so a narrow terminal keeps them
    // (`fit` drops hints from the end); the table's order serves the help screen.
    let ordered =
      [.vggRun, .vggCursor, .vggTraining, .datasetTraining].contains(screen)
      ? entries.sorted { rank($0.keys) < rank($1.keys) } : entries
    return ordered.compactMap(\.hint).joined(separator: Chrome.separator)
      .replacingOccurrences(of: Self.network, with: network)
  }

  /// Where a key's hint stands in the network screen's views: running, training and stepping in
  /// before moving around, help and quit last.
  static func rank(_ keys: String) -> Int {
    [
      "r / b", "T", "T on --data", "s / w", "arrows", "↑ ↓", "c / C",
      "+ / −  < / >", "a / g", "t", "Esc", "?", "q",
    ]
    .firstIndex(of: keys)
      ?? 99
  }

  static func hints(for state: TourState) -> String {
    switch state.mode {
    case .menu: hints(for: .menu, network: state.vgg.network.shortTitle)
    case .vgg: hints(for: .vgg)
    case .lesson, .help:
      state.lesson.showsEpochs
        ? hints(for: .training) + Chrome.separator + hints(for: .opLevel)
        : hints(for: state.lesson.detail == .element ? .elementLevel : .opLevel)
    }
  }
}
