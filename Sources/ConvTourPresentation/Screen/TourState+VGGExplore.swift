extension TourState {
  /// The VGG-16 run view's keys for stepping into a finished run's elements: `s` (or Enter) puts
  /// a cursor on the selected layer's map and explains the element under it; then the explorer
  /// has the keys (arrows move, s explains, Esc leaves). True when the key was one of these.
  mutating func handleVGGExplore(_ key: Key) -> Bool {
    guard vggShowsRun, let record = vggRun.record, let shape = record.recorder.outputs[vggSelected]?.shape
    else { return false }
    if vggExplorer.active {
      guard vggExplorer.handle(key, record: record) else { return false }
      vggChannel = vggExplorer.channel
      return true
    }
    switch key {
    case .character("s"), .enter:
      vggExplorer.layer = vggSelected
      vggExplorer.channel = shape.count == 4 ? ((vggChannel % shape[1]) + shape[1]) % shape[1] : 0
      vggExplorer.active = true
      vggExplorer.clamp(to: shape)
      if key == .character("s") {
        vggExplorer.scroll = 0
        vggExplorer.explain(record)
      }
      message = vggExplorer.message
      return true
    default:
      return false
    }
  }
}
