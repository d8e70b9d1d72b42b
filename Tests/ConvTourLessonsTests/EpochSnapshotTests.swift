import ConvTourEngine
import Testing

@testable import ConvTourLessons

@Suite("A repeat keeps each epoch's parameters, gradients and updates for the tour")
struct EpochSnapshotTests {
  @Test("every epoch kept: W at its start, ∂W, W − η·∂W; each update is the next epoch's W")
  func everyEpoch() throws {
    let r = try run(fitOneWeight + "step: T\n  run: losses = repeat(steps: 4, epochs: 50, loss: L)\n")
    let record = try #require(r.records.last)
    #expect(record.epochStride == 1)
    #expect(record.epochs.map(\.epoch) == Array(1...50))
    let first = record.epochs[0]
    #expect(first.parameters.map(\.name) == ["w"])
    #expect(first.gradients.map(\.name) == ["g"])
    #expect(first.updated.map(\.name) == ["w_new"])
    // Epoch 1 is the steps as written: w = 0.5, g = −27, w_new = 0.77.
    #expect(first.parameters[0].value?.values == [0.5])
    #expect(first.gradients[0].value?.values == [-27])
    #expect(first.updated[0].value?.values == r.records[3].writes[0].value?.values)
    for (a, b) in zip(record.epochs, record.epochs.dropFirst()) {
      #expect(a.updated[0].value?.values == b.parameters[0].value?.values)
      // g = 2x(w·x − y) with x = 3, y = 6, from the epoch's own w.
      let w = b.parameters[0].value!.values[0]
      #expect(abs(b.gradients[0].value!.values[0] - 6 * (3 * w - 6)) < 1e-12)
    }
    #expect(record.epochs.map(\.loss) == record.losses!)
    #expect(record.epochs.last!.updated[0].value?.values == r.tensor("w_new")?.values)
  }

  @Test("beyond the bound, every s-th epoch and the last; none when one epoch alone is too many")
  func stride() {
    let bound = LessonRun.mostSnapshotValues
    #expect(LessonRun.snapshotStride(perEpoch: 27, epochs: 300) == 1)
    let stride = LessonRun.snapshotStride(perEpoch: 10_000, epochs: 1000)
    #expect(stride > 1)
    // Epochs 1, 1 + s, … and the last fit the bound.
    #expect(((1000 - 1) / stride + 2) * 10_000 <= bound)
    #expect(LessonRun.snapshotStride(perEpoch: bound + 1, epochs: 2) == 0)
  }

  @Test("a repeat whose epochs are too many to keep all keeps every s-th and the last")
  func strided() throws {
    // W of 300,000 values: 900,000 per snapshot, so only epoch 1 and the last fit.
    let body = """
      tensor x [300000] = fill(1)
      tensor w [300000] = fill(0.5)
      step: F
        run: p = multiply(x, w)
      step: S
        run: L = sum(p)
      step: G
        run: g = grad(L, wrt: w)
      step: U
        run: w_new = sgd(w, g, lr: 0.000001)
      step: T
        run: losses = repeat(steps: 4, epochs: 5, loss: L)

      """
    let record = try #require(try run(body).records.last)
    #expect(record.epochStride == 5)
    #expect(record.epochs.map(\.epoch) == [1, 5])
  }

  @Test("the budget counts the snapshots a repeat keeps")
  func budget() throws {
    let lesson = { (epochs: Int) in
      try LessonParser.parse(
        header + fitOneWeight + "step: T\n  run: l = repeat(steps: 4, epochs: \(epochs), loss: L)\n",
        file: "t.lesson")
    }
    let small = LessonBudget.estimate(try lesson(10)).bytes
    let large = LessonBudget.estimate(try lesson(1000)).bytes
    // 990 more epochs: their losses (8 bytes) and their snapshots (w, g, w_new: 24 bytes).
    #expect(large - small == 990 * (8 + 24))
  }
}
