import ConvTourEngine
import ConvTourLessons
import Foundation
import Testing

@testable import ConvTourPresentation

/// Every explanation agrees with its own formula (issue 22 §1): for every layer kind — convolutions
/// of kernels 1, 3, 5, strides 1 and 2, paddings 0–2; max-pool and average pool, overlapping or
/// not; fc; flatten → fc; softmax and both losses — forward, δ (through pools, the transposed
/// convolution, fc) and ∂J/∂W, the printed formula with the element's own indices and each term's
/// summation indices substituted gives exactly the indices of the terms listed: in the text
/// (`explain`'s report), on the screen (the explorer's rendered cells) and in JSON.
@Suite("Formulas and their terms")
struct FormulaIndicesTests {
  /// Small networks that between them hold every layer kind and geometry.
  static func networks() throws -> [VGG16Architecture] {
    func conv(_ k: Int, _ f: Int, _ s: Int, _ p: Int) -> [LayerSpec] {
      [LayerSpec(.convolution(outputs: k, kernel: f, stride: s, padding: p)), LayerSpec(.relu)]
    }
    let a = try VGG16Architecture(
      name: "a", input: [2, 16, 16],
      specs: conv(3, 3, 1, 1) + conv(3, 5, 2, 2) + [LayerSpec(.maxPool(kernel: 2, stride: 2))]
        + conv(2, 1, 1, 0) + conv(3, 3, 1, 2) + [LayerSpec(.averagePool(kernel: 3, stride: 2))]
        + [LayerSpec(.flatten), LayerSpec(.fullyConnected(outputs: 5)), LayerSpec(.relu)]
        + [LayerSpec(.fullyConnected(outputs: 4))],
      loss: .softmaxCrossEntropy)
    let b = try VGG16Architecture(
      name: "b", input: [2, 9, 9],
      specs: conv(3, 3, 2, 1) + [LayerSpec(.averagePool(kernel: 2, stride: 2))] + [
        LayerSpec(.flatten), LayerSpec(.fullyConnected(outputs: 3)),
      ],
      loss: .squaredDistance(target: 1))
    let c = try VGG16Architecture(
      name: "c", input: [1, 11, 11],
      specs: [LayerSpec(.maxPool(kernel: 3, stride: 2))] + conv(2, 5, 1, 1) + conv(2, 3, 2, 0)
        + [LayerSpec(.flatten), LayerSpec(.fullyConnected(outputs: 3))],
      loss: .softmaxCrossEntropy)
    return [a, b, c]
  }

  static func record(_ a: VGG16Architecture) throws -> VGGRunRecord {
    var tensors = VGG16Parameters.random(a, seed: 7).tensors
    var random = SeededRandom(seed: 4)
    for (name, t) in tensors where name.hasSuffix("bias") {
      tensors[name] = Tensor32(Tensor.random(t.shape, using: &random).map { $0 * 0.1 })
    }
    let parameters = try VGG16Parameters(architecture: a, tensors: tensors)
    let x = Tensor32(Tensor.random([1] + a.input, using: &random))
    let recorder = VGG16Recorder()
    let labels = [1]
    let result = try VGG16Network(parameters: parameters).run(
      x, labels: labels, backward: true, observer: recorder.record)
    return try VGGRunRecord(
      source: .init(labels: labels), parameters: parameters, x: x, labels: labels, recorder: recorder,
      result: result, backward: true)
  }

  /// Elements to explain: the corners and a diagonal of every channel (0-based, example 1).
  static func elements(_ shape: [Int]) -> [[Int]] {
    guard shape.count == 4 else { return (0..<shape[1]).map { [0, $0] } }
    var picked: [[Int]] = []
    let (h, w) = (shape[2], shape[3])
    for c in 0..<shape[1] {
      for (i, j) in [(0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1), (h / 2, w / 2), (1 % h, 2 % w)] {
        picked.append([0, c, i, j])
      }
    }
    return picked
  }

  /// The weights to explain: every tap of filter 1, channel 1, and the last filter's last tap.
  static func weights(_ shape: [Int]) -> [[Int]] {
    if shape.count == 2 { return [[0, 0], [shape[0] - 1, shape[1] - 1], [shape[0] / 2, shape[1] / 2]] }
    var picked: [[Int]] = []
    for l in 0..<shape[2] { for m in 0..<shape[3] { picked.append([0, 0, l, m]) } }
    return picked + [[shape[0] - 1, shape[1] - 1, shape[2] - 1, shape[3] - 1]]
  }

  /// Element `at` of layer k's output explained forward, and backward unless it is the softmax.
  static func explained(
    _ record: VGGRunRecord, layer k: Int, output: Tensor32, at: [Int]
  ) throws -> (VGG16Explanation, VGG16DeltaExplanation?) {
    let forward = try VGG16Explain.forward(
      record.parameters, layer: k, input: record.input(of: k)!, output: output, at: at)
    let delta =
      record.parameters.architecture.layers[k].kind == .softmax
      ? nil
      : try VGG16Explain.backward(
        record.parameters, layer: k, recorder: record.recorder, labels: record.labels, at: at)
    return (forward, delta)
  }

  /// body(network, record, layer k, element at, its forward and δ explanations) for every
  /// element `elements` picks of every layer of every network.
  static func forEachExplained(
    _ body: (NetworkArchitecture, VGGRunRecord, Int, [Int], VGG16Explanation, VGG16DeltaExplanation?) throws
      -> Void
  ) throws {
    for a in try networks() {
      let record = try self.record(a)
      for k in a.layers.indices {
        let output = record.recorder.outputs[k]!
        for at in elements(output.shape) {
          let (forward, delta) = try explained(record, layer: k, output: output, at: at)
          try body(a, record, k, at, forward, delta)
        }
      }
    }
  }

  func expectFits(_ lines: [String], _ element: [Int], _ what: String) {
    let (checked, failures) = IndexFormulaChecker.checkText(lines, element: element)
    #expect(checked > 0, "\(what): no terms checked")
    #expect(failures.isEmpty, "\(what): \(failures.prefix(3).joined(separator: "\n"))")
  }

  @Test("text: every element's forward and δ terms fit their formulas, each group expanded")
  func text() throws {
    try Self.forEachExplained { a, record, k, at, forward, delta in
      for expand in [nil, 0, 1, 2, 3] as [Int?] {
        let report = ElementReport(
          architecture: a, forward: forward, delta: delta, top: 100_000, expand: expand)
        expectFits(
          report.render().components(separatedBy: "\n"), Array(at.dropFirst()).map { $0 + 1 },
          "\(a.name) \(a.layers[k].name) \(at) expand \(expand ?? -1)")
      }
    }
  }

  @Test("text: ∂J/∂W's terms fit its formula, for every convolution and fc")
  func weightText() throws {
    for a in try Self.networks() {
      let record = try Self.record(a)
      for (k, layer) in a.layers.enumerated() {
        guard let shape = layer.weightShape else { continue }
        for at in Self.weights(shape) {
          let w = try VGG16Explain.weightGradient(
            record.parameters, layer: k, input: record.x, recorder: record.recorder, at: at)
          let lines = WeightReport(architecture: a, weight: w, top: 100_000).render().components(
            separatedBy: "\n")
          expectFits(lines, at.map { $0 + 1 }, "\(a.name) \(layer.name) W\(at)")
        }
      }
    }
  }

  @Test("screen: the explorer's explanation and w view, read back from the cells, fit their formulas")
  func screen() throws {
    for a in try Self.networks() {
      let record = try Self.record(a)
      for k in a.layers.indices {
        let shape = record.recorder.outputs[k]!.shape
        for at in Self.elements(shape) {
          var explorer = VGGExplorer(layer: k)
          explorer.active = true
          if shape.count == 4 {
            (explorer.channel, explorer.row, explorer.column) = (at[1], at[2], at[3])
          } else {
            explorer.column = at[1]
          }
          for expand in [nil, 0] as [Int?] {
            explorer.expand = expand
            explorer.explain(record)
            #expect(explorer.lines != nil, "\(a.name) \(a.layers[k].name): \(explorer.message ?? "")")
            expectFits(
              drawn(explorer), Array(at.dropFirst()).map { $0 + 1 },
              "screen \(a.name) \(a.layers[k].name) \(at)")
          }
          guard let weights = a.layers[k].weightShape, at == Self.elements(shape)[0] else { continue }
          explorer.explainWeight(record)
          let index =
            weights.count == 4 ? [at[1], 0, weights[2] / 2, weights[3] / 2] : [at[1], 0]
          expectFits(drawn(explorer), index.map { $0 + 1 }, "screen w \(a.name) \(a.layers[k].name)")
        }
      }
    }
  }

  /// The explanation as the screen draws it, wide enough that no line wraps, row by row.
  func drawn(_ explorer: VGGExplorer) -> [String] {
    let rows = (explorer.lines?.count ?? 0) + 1
    var screen = Screen(width: 300, height: rows)
    VGGExplorerView.explanation(explorer, on: &screen, top: 0, left: 0, rows: rows, columns: 300)
    return (0..<rows).map { screen.text(row: $0) }
  }

  @Test("JSON: the formulas and the factors' indices agree, forward, δ, its window, and ∂J/∂W")
  func json() throws {
    for a in try Self.networks() {
      let record = try Self.record(a)
      for k in a.layers.indices {
        let output = record.recorder.outputs[k]!
        for at in Self.elements(output.shape) {
          let (forward, delta) = try Self.explained(record, layer: k, output: output, at: at)
          let text = ElementJSON(architecture: a, forward: forward, delta: delta).value().rendered()
          let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
          let element = try #require(object["index"] as? [Int])
          let what = "json \(a.name) \(a.layers[k].name) \(at)"
          expectJSONFits(object["formula"], object["terms"], element, what)
          if let d = object["delta"] as? [String: Any] {
            expectJSONFits(d["formula"], d["terms"], element, what + " δ")
            if d["window"] != nil {
              expectJSONFits(d["window_formula"], d["window"], element, what + " window")
            }
          }
        }
      }
      for (k, layer) in a.layers.enumerated() {
        guard let shape = layer.weightShape else { continue }
        for at in Self.weights(shape) {
          let w = try VGG16Explain.weightGradient(
            record.parameters, layer: k, input: record.x, recorder: record.recorder, at: at)
          let text = WeightReport(architecture: a, weight: w).json().rendered()
          let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
          expectJSONFits(object["formula"], object["terms"], at.map { $0 + 1 }, "json \(layer.name) W\(at)")
        }
      }
    }
  }

  func expectJSONFits(_ formula: Any?, _ terms: Any?, _ element: [Int], _ what: String) {
    guard let text = formula as? String, let f = IndexFormulaChecker.formula(text) else {
      Issue.record("\(what): no formula in \(String(describing: formula))")
      return
    }
    let list = (terms as? [[String: Any]]) ?? []
    var checked = 0
    for term in list {
      var references: [IndexFormulaChecker.Reference] = []
      for factor in (term["factors"] as? [[String: Any]]) ?? [] {
        references.append(.init(role: factor["role"] as! String, index: factor["index"] as! [Int]))
        if let map = factor["map"] as? [String: Any] {
          references.append(.init(role: map["layer"] as! String, index: map["index"] as! [Int]))
        }
      }
      guard !references.isEmpty else { continue }
      checked += 1
      if let why = IndexFormulaChecker.check(f, element: element, term: references) {
        Issue.record("\(what): \(why)")
        return
      }
    }
    // An element in no window of a pool (a gap) has one term without factors: 0.
    let gap = list.count == 1 && ((list[0]["factors"] as? [Any]) ?? []).isEmpty
    #expect(checked > 0 || gap, "\(what): no terms checked")
  }

  @Test("a flattened input a[j] is shown with the (c, i, j) of the layer before the flatten")
  func flattenedInput() throws {
    let a = try Self.networks()[0]
    let record = try Self.record(a)
    let fc = try #require(a.layers.firstIndex { $0.name == "fc1" })
    let forward = try VGG16Explain.forward(
      record.parameters, layer: fc, input: record.input(of: fc)!, output: record.recorder.outputs[fc]!,
      at: [0, 0])
    let text = ElementReport(architecture: a, forward: forward, delta: nil, top: 100).render()
    // avgpool1's output is 3×2×2: a[5] is its channel 2, row 1, column 1.
    #expect(text.contains("a[5] (avgpool1[2, 1, 1])"))
    #expect(text.contains("a[j] = avgpool1[c, i′, j′] with j = (c−1)·4+(i′−1)·2+j′"))
    let json = ElementJSON(architecture: a, forward: forward, delta: nil).value().rendered()
    #expect(json.contains("\"layer\": \"avgpool1\""))
  }

  @Test("the checker itself: a term off by one from its formula fails, the right one passes")
  func checkerFails() throws {
    let f = try #require(
      IndexFormulaChecker.formula(
        "z[k, i, j] = Σ_c Σ_l,m s[c, i+l−1, j+m−1]·W[k, c, l, m] + b[k] (l, m = 1…3): 3 channels"))
    let right = IndexFormulaChecker.references("s[1, 10, 10]·W[3, 1, 1, 1] = 1·2")
    let wrong = IndexFormulaChecker.references("s[1, 9, 9]·W[3, 1, 1, 1] = 1·2")
    #expect(IndexFormulaChecker.check(f, element: [3, 10, 10], term: right) == nil)
    #expect(IndexFormulaChecker.check(f, element: [3, 10, 10], term: wrong) != nil)
    let strided = try #require(
      IndexFormulaChecker.formula(
        "δ[c, i, j] = Σ_k Σ_l,m δz[k, (i+1−l)/2+1, (j+1−m)/2+1]·W[k, c, l, m] (l, m = 1…3)"))
    let term = IndexFormulaChecker.references("δz[1, 2, 2]·W[1, 1, 2, 2]")
    #expect(IndexFormulaChecker.check(strided, element: [1, 3, 3], term: term) == nil)
    // At (4, 4), (4+1−2)/2 is not whole: no output reads it with that tap.
    #expect(IndexFormulaChecker.check(strided, element: [1, 4, 4], term: term) != nil)
  }
}
