/// A small network's batch cut into lanes of examples, each lane run through the whole network —
/// forward, loss and backward — by one worker on its own.
///
/// Splitting each layer across the workers costs a hand-over per layer, and a small network's
/// layers (Tiny VGG, the textbook's ConvNet, LeNet-5) take tens of microseconds: the hand-overs
/// would cost as much as the arithmetic. Lanes of examples need one hand-over per pass.
/// The lanes are fixed — `count` of them, examples `share(M, lane, count)` — whatever the number
/// of workers, and their gradients are summed in lane order: results never depend on how many
/// workers computed them. J and ∂J/∂z divide by the whole batch's M, as PyTorch's mean does.
enum ExampleLanes {
  static let count = 4

  /// Networks of at most this many parameters are split: each lane keeps its own gradients, and
  /// VGG-16's 138 M would need 1.7 GB more for them (its layers are large enough to split anyway).
  static let maximumParameters = 1 << 22

  static func splits(_ architecture: NetworkArchitecture, examples: Int) -> Bool {
    examples >= 2 && architecture.parameterCount <= maximumParameters
  }

  /// The examples of lane `lane` of a batch of `examples`.
  static func examples(_ lane: Int, of examples: Int) -> Range<Int> {
    FastPath.share(examples, lane, count)
  }
}

extension FastNetwork {
  /// `run` on lanes of examples (`ExampleLanes`): worker w of W takes the lanes
  /// share(count, w, W), so that two examples go to two workers. With an observer, its events
  /// come after the pass, once per layer: tensors joined over the lanes, seconds summed over the
  /// lanes and divided by the workers (the wall-clock share of each layer).
  func runInLanes(
    _ x: Tensor32, _ request: Request, observer: ((Event) -> Void)?, cancel: () -> Bool
  ) throws -> Result {
    let m = x.shape[0]
    let lanes = ExampleLanes.count
    let workers = min(FastPath.workers, lanes)
    // Each lane writes only its own slot.
    let results = UnsafeMutablePointer<Result?>.allocate(capacity: lanes)
    results.initialize(repeating: nil, count: lanes)
    let events = UnsafeMutablePointer<[Event]>.allocate(capacity: lanes)
    events.initialize(repeating: [], count: lanes)
    let failures = UnsafeMutablePointer<Error?>.allocate(capacity: lanes)
    failures.initialize(repeating: nil, count: lanes)
    defer {
      results.deinitialize(count: lanes).deallocate()
      events.deinitialize(count: lanes).deallocate()
      failures.deinitialize(count: lanes).deallocate()
    }
    let stop = Box(false)  // a lane failed: the others stop between layers
    FastPath.forEachWorker(workers) { w in
      for lane in FastPath.share(lanes, w, workers) {
        let range = ExampleLanes.examples(lane, of: m)
        if range.isEmpty { continue }
        var laneRequest = request
        laneRequest.labels = request.labels.map { Array($0[range]) }
        FastPath.withWorkers(1) {
          do {
            results[lane] = try run(
              x.examples(range), laneRequest,
              observer: observer == nil ? nil : { events[lane].append($0) },
              cancel: { stop.value || cancel() })
          } catch {
            (failures[lane], stop.value) = (error, true)
          }
        }
      }
    }
    if let failure = (0..<lanes).lazy.compactMap({ failures[$0] }).first { throw failure }
    let parts = (0..<lanes).compactMap { results[$0] }
    if let observer {
      Self.replay((0..<lanes).map { events[$0] }.filter { !$0.isEmpty }, workers: workers, to: observer)
    }
    return try Self.joined(
      parts, batch: m, crossEntropy: architecture.loss == .softmaxCrossEntropy, workers: workers)
  }

  /// One result from the lanes' results, in lane order.
  static func joined(_ parts: [Result], batch m: Int, crossEntropy: Bool, workers: Int) throws -> Result {
    let first = parts[0]
    let lossSum = parts.reduce(0) { $0 + $1.lossSum }
    var gradients = first.gradients
    for (name, gradient) in first.gradients {
      var sum = gradient.values
      for part in parts.dropFirst() {
        let values = part.gradients[name]!.values
        for i in sum.indices { sum[i] += values[i] }
      }
      gradients[name]!.values = sum
    }
    func seconds(_ perLane: (Result) -> [Double]) -> [Double] {
      perLane(first).indices.map { k in parts.reduce(0) { $0 + perLane($1)[k] } / Double(workers) }
    }
    return Result(
      logits: try .joining(parts.map(\.logits)),
      probabilities: try .joining(parts.map(\.probabilities)),
      loss: first.loss == nil ? nil : Float(crossEntropy ? lossSum / Double(m) : lossSum),
      inputGradient: first.inputGradient == nil ? nil : try .joining(parts.map { $0.inputGradient! }),
      gradients: gradients,
      forwardSeconds: seconds(\.forwardSeconds), backwardSeconds: seconds(\.backwardSeconds),
      weightGradientSeconds: seconds(\.weightGradientSeconds),
      activations: try first.activations.indices.map { i in
        (first.activations[i].module, try .joining(parts.map { $0.activations[i].tensor }))
      },
      lossSum: lossSum)
  }

  /// The lanes' events, layer by layer, as one pass's: lanes run the same layers in the same order.
  static func replay(_ lanes: [[Event]], workers: Int, to observer: (Event) -> Void) {
    for (i, event) in lanes[0].enumerated() {
      var merged = event
      merged.seconds = lanes.reduce(0) { $0 + $1[i].seconds } / Double(workers)
      if event.tensor != nil { merged.tensor = try? Tensor32.joining(lanes.map { $0[i].tensor! }) }
      observer(merged)
    }
  }
}

extension Tensor32 {
  /// Examples `range` of a batch [M, …]: [range.count, …].
  func examples(_ range: Range<Int>) -> Tensor32 {
    let size = shape.dropFirst().reduce(1, *)
    var part = Tensor32(uninitialized: [range.count] + shape.dropFirst())
    part.values.withUnsafeMutableBufferPointer { target in
      values.withUnsafeBufferPointer { source in
        target.baseAddress!.update(
          from: source.baseAddress! + range.lowerBound * size, count: range.count * size)
      }
    }
    return part
  }

  /// Batches [M_i, …] of one shape joined along their first axis: [Σ M_i, …].
  static func joining(_ parts: [Tensor32]) throws -> Tensor32 {
    guard let first = parts.first else { return Tensor32(zeros: [0]) }
    let tail = Array(first.shape.dropFirst())
    guard parts.allSatisfy({ Array($0.shape.dropFirst()) == tail }) else {
      throw EngineError.shapeMismatch(
        op: "join", shapes: parts.map(\.shape), expected: "batches of one shape")
    }
    var joined = Tensor32(uninitialized: [parts.reduce(0) { $0 + $1.shape[0] }] + tail)
    var offset = 0
    joined.values.withUnsafeMutableBufferPointer { target in
      for part in parts {
        part.values.withUnsafeBufferPointer { source in
          (target.baseAddress! + offset).update(from: source.baseAddress!, count: source.count)
        }
        offset += part.values.count
      }
    }
    return joined
  }
}
