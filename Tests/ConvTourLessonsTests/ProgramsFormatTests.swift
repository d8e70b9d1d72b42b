import ConvTourEngine
import Testing

@testable import ConvTourLessons

/// The pieces of the lesson format that run the documents' programs: tensors declared by what
/// they are (`image(…)`, `init(…)`, `listing(…)`), the `train` step and the `accuracy` op.
@Suite("Lesson format: programs, datasets and training")
struct ProgramsFormatTests {
  @Test("listing(name:, line:) takes a quoted line's numbers, in order")
  func listingValues() throws {
    let r = try run(
      """
      listing code
        cite: 001_fccaba08b6e11e45.txt, 11.5
        line: self.hidden1.weight = nn.Parameter(torch.tensor([[-2., 1.], [3., -1.]]))
        line: x = torch.tensor([3., 1.5])
      tensor W [2, 2] = listing(name: code, line: "self.hidden1.weight =")
      tensor x [2] = listing(name: code, line: "x = torch.tensor(")
      """)
    #expect(r.tensor("W")?.values == [-2, 1, 3, -1])
    #expect(r.tensor("x")?.values == [3, 1.5])
  }

  @Test("listing(…): a missing listing, a line found twice or the wrong count is malformed")
  func listingErrors() {
    let listing = """
      listing code
        cite: 001_fccaba08b6e11e45.txt, 11.5
        line: a = torch.tensor([1., 2.])
        line: b = torch.tensor([1., 2.])

      """
    expectMalformed(
      "tensor W [2] = listing(name: nothing, line: \"a =\")", at: 1, 8, "unknown listing \"nothing\"")
    expectMalformed(listing + "tensor W [2] = listing(name: code, line: \"torch\")", at: 5, 8, "found 2")
    expectMalformed(
      listing + "tensor W [3] = listing(name: code, line: \"a =\")", at: 5, 8, "holds 2 numbers")
  }

  @Test("image(…) and init(…) are recorded for the loader; unresolved they are a step error")
  func externalTensors() throws {
    let lesson = try LessonParser.parse(
      header + """
        tensor x [1, 3, 32, 32] = image(data: "cifar-10 digits", split: train, index: 1, network: "textbook-convnet")
        tensor W [3, 3, 5, 5] = init(network: "textbook-convnet", parameter: "conv1.weight", seed: 0)
        """, file: "demo.lesson")
    guard case .external(let image) = lesson.tensors[0].values,
      case .external(let w) = lesson.tensors[1].values
    else {
      Issue.record("expected external tensors")
      return
    }
    #expect(image.kind == "image")
    #expect(
      image.arguments == [
        "data": "cifar-10 digits", "split": "train", "index": "1", "network": "textbook-convnet",
      ])
    #expect(w.arguments["parameter"] == "conv1.weight" && w.arguments["seed"] == "0")
    #expect(throws: LessonError.self) { try LessonRun(lesson) }
    expectMalformed("tensor x = image(index: 1)", at: 1, 8, "expected a shape")
  }

  @Test("train: one result per parameter, a quoted network, epochs and lr required")
  func trainParse() throws {
    let body = """
      tensor W [2, 2] = 1 2 3 4
      tensor b [2] = 0 0
      tensor X [4, 1, 1, 2] = 1 2 3 4 5 6 7 8
      tensor Y [4] = 0 1 0 1

      """
    let lesson = try LessonParser.parse(
      header + body + """
        step: Train
          run: W_t, b_t = train(W, b, images: X, labels: Y, network: "tiny", epochs: 3, batch: 2, lr: 0.1, momentum: 0.9, seed: 7)
        """, file: "demo.lesson")
    guard case .train(let t) = lesson.steps[0].action else {
      Issue.record("expected a train step")
      return
    }
    #expect(t.network == "tiny" && t.parameters == ["W", "b"] && t.outputs == ["W_t", "b_t"])
    #expect(t.epochs == 3 && t.batch == 2 && t.learningRate == 0.1 && t.momentum == 0.9 && t.seed == 7)
    #expect(lesson.trainedNetworks == ["tiny"])
    let step = "step: Train\n  run: "
    expectMalformed(
      body + step
        + "W_t = train(W, b, images: X, labels: Y, network: \"tiny\", epochs: 1, lr: 0.1, batch: 1)",
      at: 6, 14, "one result name per parameter")
    expectMalformed(
      body + step
        + "W_t, b_t = train(W, b, images: X, labels: Y, network: tiny, epochs: 1, lr: 0.1, batch: 1)",
      at: 6, 53, "expected network: \"NAME\"")
    expectMalformed(
      body + step + "W_t, b_t = train(W, b, images: X, labels: Y, network: \"tiny\", lr: 0.1, batch: 1)",
      at: 6, 19, "epochs")
  }

  @Test("train runs the named network on the fast path, and the loss on its data falls")
  func trainRuns() throws {
    // fc 2 → 2 on 1×1×2 "images": class 0 where x₁ > x₂.
    let net = try NetworkArchitecture(
      name: "tiny", input: [1, 1, 2],
      specs: [LayerSpec(.flatten), LayerSpec(.fullyConnected(outputs: 2), name: "fc", module: "fc")],
      loss: .softmaxCrossEntropy)
    var lesson = try LessonParser.parse(
      header + """
        tensor W [2, 2] = 0.1 0.2 0.3 0.4
        tensor b [2] = 0 0
        tensor X [4, 1, 1, 2] = 2 1 1 2 3 0 0 3
        tensor Y [4] = 0 1 0 1
        step: Before
          run: f = flatten(X, batched: yes)
        step: Scores
          run: z = fc(f, W, b)
        step: Accuracy
          run: a = accuracy(z, Y)
        step: Train
          run: W_t, b_t = train(W, b, images: X, labels: Y, network: "tiny", epochs: 20, batch: 2, lr: 0.5)
        step: After
          run: z_t = fc(f, W_t, b_t)
        step: Accuracy after
          run: a_t = accuracy(z_t, Y)
        """, file: "demo.lesson")
    #expect(throws: LessonError.self) { try LessonRun(lesson) }  // the network is not given
    lesson.networks["tiny"] = net
    let r = try LessonRun(lesson)
    #expect(r.tensor("a")?.values == [0.5])
    #expect(r.tensor("a_t")?.values == [1])
    #expect(r.tensor("W_t")?.shape == [2, 2])
  }

  @Test("accuracy: the share of rows whose largest score is at the label; no gradient")
  func accuracy() throws {
    let z = try Tensor(rows: [[1, 2, 0], [3, 1, 1], [0, 0, 5], [2, 2, 1]])
    let y = Tensor(vector: [1, 0, 1, 1])  // right, right, wrong, wrong (argmax of a tie is the first)
    #expect(try Accuracy().forward([z, y]).values == [0.5])
    #expect(throws: EngineError.self) {
      try Accuracy().backward([z, y], output: Tensor(scalar: 0.5), delta: Tensor(scalar: 1))
    }
    #expect(throws: EngineError.self) { try Accuracy().outputShape([[4, 3], [3]]) }
    let e = try Accuracy().explain([z, y], at: [])
    #expect(e.terms.map(\.value) == [1, 1, 0, 0] && e.value == 0.5)
  }
}
