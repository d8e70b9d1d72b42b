import ConvTourEngine
import ConvTourIO
import Foundation
import Testing

/// `convtour vgg16 train` at a small input size (32×32, so a debug build takes seconds): the
/// update is exactly W − η·g of the gradients `vgg16 run --backward` computes, and bad input is
/// one line with exit status 2.
@Suite("vgg16 train")
struct VGG16TrainTests {
  func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("convtour-\(UUID().uuidString)-\(name)")
  }

  let common = ["vgg16", "train", "--size", "32", "--batch", "2", "--labels", "3", "5", "--seed", "7"]

  @Test(
    "one step with momentum 0 is W − η·g, in Float32 rounded once as torch rounds it, for every parameter")
  func oneStep() throws {
    let (start, trained, dump) = (temporary("w0"), temporary("w1"), temporary("grads"))
    defer { for f in [start, trained, dump] { try? FileManager.default.removeItem(at: f) } }
    // η = 0 saves the starting weights; η = 0.01 one step from them.
    let zero = try Binary.run(common + ["--steps", "1", "--lr", "0", "--save-weights", start.path])
    #expect(zero.status == 0, "\(zero.stderr)")
    let step = try Binary.run(common + ["--steps", "1", "--lr", "0.01", "--save-weights", trained.path])
    #expect(step.status == 0, "\(step.stderr)")
    #expect(step.stdout.contains("loss per step") == false)  // one step: no curve
    let run = try Binary.run([
      "vgg16", "run", "--size", "32", "--batch", "2", "--labels", "3", "5", "--seed", "7", "--backward",
      "--dump", dump.path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let (w0, w1, grads) = try (
      Safetensors.read(path: start.path), Safetensors.read(path: trained.path),
      Safetensors.read(path: dump.path)
    )
    #expect(w0.count == 32 && w1.count == 32)
    for (name, w) in w0 {
      let g = try #require(grads["\(name).grad"], "no gradient for \(name)")
      let updated = try #require(w1[name])
      let eta: Float = 0.01
      // torch.optim.SGD's param.add_(grad, alpha=-lr): one fused multiply-add, rounded once.
      let exact = zip(w.values, g.values).map { $0.addingProduct(-eta, $1) }
      #expect(updated.values == exact, "\(name)")
    }
  }

  @Test("the loss falls over steps, and the curve is drawn")
  func learns() throws {
    let result = try Binary.run(common + ["--steps", "3", "--lr", "0.01"])
    #expect(result.status == 0, "\(result.stderr)")
    let losses = result.stdout.split(separator: "\n").filter {
      $0.hasPrefix("   ") && $0.contains("█") || $0.contains("#")
    }
    .compactMap { Double($0.split(separator: " ")[1]) }
    #expect(losses.count == 3)
    #expect(losses == losses.sorted(by: >))
    #expect(result.stdout.contains("loss per step"))
  }

  @Test("bad input: one line, exit 2")
  func badInput() throws {
    for (arguments, fragment) in [
      (["--steps", "1", "--lr=-1"], "--lr must be a finite number ≥ 0"),
      (["--steps", "1", "--lr", "nan"], "--lr must be a finite number ≥ 0"),
      (["--steps", "0", "--lr", "0.1"], "--steps must be from 1"),
      (["--steps", "1", "--lr", "0.1", "--momentum", "1"], "--momentum must be from 0 to below 1"),
    ] {
      let result = try Binary.run(common + arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr.contains(fragment), "\(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1)
    }
    let mismatch = try Binary.run([
      "vgg16", "train", "--size", "32", "--batch", "2", "--labels", "3", "--steps", "1", "--lr", "0.1",
    ])
    #expect(mismatch.status == 2)
    #expect(mismatch.stderr.contains("--labels gives 1 class for 2 examples"))
  }

  @Test("a loss that becomes infinite stops before its update; the last finite weights are saved")
  func divergence() throws {
    let saved = temporary("diverged")
    defer { try? FileManager.default.removeItem(at: saved) }
    let result = try Binary.run(common + ["--steps", "5", "--lr", "1e30", "--save-weights", saved.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("at step 2: stopped before its update"), "\(result.stderr)")
    let weights = try Safetensors.read(path: saved.path)
    #expect(weights.values.allSatisfy { $0.values.allSatisfy(\.isFinite) })
  }
}
