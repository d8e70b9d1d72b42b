/// The VGG-16 screen's keys: the table, the run view, runs asked for and cancelled as effects.
extension TourState {
  mutating func handleVGG(_ key: Key) -> TourEffect? {
    if vggRun.running, key == .escape { return .cancelVGGRun }
    if handleVGGExplore(key) { return nil }
    switch key {
    case .character("q"): return .quit
    case .character("m"), .escape: mode = .menu
    case .character("t"): vggShowsRun.toggle()
    case .character("r"), .character("b"):
      guard !vggRun.running else { return nil }
      vggShowsRun = true
      vggExplorer = VGGExplorer(layer: vggSelected)
      vggRun = VGGRunState()
      return .startVGGRun(backward: key == .character("b"))
    case .character("g") where vggShowsRun: vggGrid.toggle()
    case .character("a") where !vggRun.running:
      vggAlgorithm = vggAlgorithm == .direct ? .winograd : .direct
      message = "next run: \(vggAlgorithm.rawValue) — \(vggAlgorithm.cost)"
    case .character("c"): vggChannel += 1
    case .character("C"): vggChannel = max(0, vggChannel - 1)
    case .down, .character("j"):
      if vggShowsRun { vggSelected = min(vggSelected + 1, 22) } else { vggScroll += 1 }
    case .up, .character("k"):
      if vggShowsRun { vggSelected = max(vggSelected - 1, 0) } else { vggScroll = max(0, vggScroll - 1) }
    case .right, .character("l"): vggColumn += 8
    case .left, .character("h"): vggColumn = max(0, vggColumn - 8)
    case .home: vggScroll = 0
    default: break
    }
    return nil
  }
}
