import ConvTourLessons

/// A training step's epochs: `p` plays them (the loss chart grows, the panes show each epoch's
/// weights, gradients and updates), `]` / `[` step through them. The play's clock is the
/// terminal layer's: it calls `advancePlay()` `playFramesPerSecond` times a second.
extension LessonScreenState {
  /// Frames a second while playing; each frame moves `playStride` kept epochs, so any number of
  /// epochs plays in at most about `playSeconds` seconds, and 100 or fewer at 20 a second.
  public static let playFramesPerSecond = 20
  static let playSeconds = 5

  /// The epochs a training step can show: those it kept snapshots of, or all (chart only) when
  /// it kept none. Empty on any other step.
  public var playedEpochs: [Int] {
    guard let record, let losses = record.losses else { return [] }
    return record.epochs.isEmpty ? Array(1...max(1, losses.count)) : record.epochs.map(\.epoch)
  }

  /// Whether the current step trains (a repeat) and is shown at op level.
  public var showsEpochs: Bool { record?.losses != nil && detail == .op }

  /// The epoch shown (1-based), on a training step.
  public var shownEpoch: Int? {
    let epochs = playedEpochs
    guard !epochs.isEmpty else { return nil }
    return epochs[min(epochPosition ?? epochs.count - 1, epochs.count - 1)]
  }

  /// The snapshot of the epoch shown, when the step kept it.
  public var shownSnapshot: EpochSnapshot? {
    guard let record, let epoch = shownEpoch else { return nil }
    return record.epochs.first { $0.epoch == epoch }
  }

  /// Kept epochs moved per frame of play.
  var playStride: Int {
    let frames = Self.playFramesPerSecond * Self.playSeconds
    return max(1, (playedEpochs.count + frames - 1) / frames)
  }

  /// "epoch 12 of 300 · J = 0.1234 · playing — any key pauses".
  public var epochStatus: String? {
    guard let epoch = shownEpoch, let losses = record?.losses, epoch <= losses.count else { return nil }
    let loss = NumberFormat.readable(losses[epoch - 1], places: max(4, places))
    let state =
      playing
      ? "playing — any key pauses"
      : epoch == playedEpochs.last
        ? "the last epoch — p plays from epoch 1, [ ] step" : "paused — p plays, [ ] step"
    return "epoch \(epoch) of \(losses.count)\(Chrome.separator)loss \(loss)\(Chrome.separator)\(state)"
  }

  /// `p`: plays the epochs from the one shown (from the first when the last is shown).
  mutating func play() {
    let epochs = playedEpochs
    guard !epochs.isEmpty, detail == .op else {
      message = "p plays the epochs of a training step (a repeat); ← goes back a step"
      return
    }
    if (epochPosition ?? epochs.count - 1) >= epochs.count - 1 { epochPosition = 0 }
    playing = true
  }

  /// `]` / `[`: the next or previous kept epoch.
  mutating func moveEpoch(by offset: Int) {
    let epochs = playedEpochs
    guard !epochs.isEmpty, detail == .op else {
      message = "] and [ step through the epochs of a training step (a repeat)"
      return
    }
    epochPosition = max(0, min(epochs.count - 1, (epochPosition ?? epochs.count - 1) + offset))
  }

  /// One frame of play: `playStride` epochs on; the play stops at the last.
  public mutating func advancePlay() {
    guard playing else { return }
    let last = playedEpochs.count - 1
    let next = min(last, (epochPosition ?? last) + playStride)
    epochPosition = next
    if next >= last { playing = false }
  }
}
