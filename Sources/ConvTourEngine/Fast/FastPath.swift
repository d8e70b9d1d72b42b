import COpenBLAS
import Dispatch
import Foundation

/// Settings of the fast path: Float32 kernels on OpenBLAS's `cblas_sgemm`.
///
/// The fast path does its own threading: it splits each layer into independent pieces (tiles
/// of output pixels, groups of channels, ranges of rows) and runs one piece per worker, each
/// calling a single-threaded sgemm on data that stays in its core's cache. OpenBLAS's own
/// threads are therefore set to 1.
public enum FastPath {
  /// The number of cores, read once.
  static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// How many workers a layer is split across: all cores unless the command line set it (once,
  /// before any work) or `withWorkers` overrides it for the current task.
  public static var workers: Int {
    get { workersOverride ?? workerCount.value }
    set { workerCount.value = max(1, newValue) }
  }

  private static let workerCount = Box(cores)

  /// Runs `body` with `count` workers in this task only, leaving the process-wide count alone:
  /// tests run the same op at several worker counts side by side. The count is read when an op
  /// starts, on the calling task, never inside its workers.
  public static func withWorkers<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
    try $workersOverride.withValue(max(1, count), operation: body)
  }

  @TaskLocal private static var workersOverride: Int?

  /// OpenBLAS runs single-threaded inside the workers; set once, before the first product.
  static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()

  /// Runs `body(worker)` for every worker at once and returns when all are done.
  static func forEachWorker(_ count: Int = workers, _ body: (Int) -> Void) {
    _ = singleThreadedBLAS
    guard count > 1 else {
      body(0)
      return
    }
    withoutActuallyEscaping(body) { body in
      nonisolated(unsafe) let body = body
      DispatchQueue.concurrentPerform(iterations: count) { w in body(w) }
    }
  }

  /// The slice of 0..<count that worker w of `workers` takes.
  static func share(_ count: Int, _ w: Int, _ workers: Int) -> Range<Int> {
    (count * w / workers)..<(count * (w + 1) / workers)
  }

  /// The lanes a layer's work is cut into where pieces are summed or sized by the BLAS: a fixed
  /// number, whatever the worker count, so that no result depends on how many workers computed
  /// it (a sgemm's rounding can depend on the size of its blocks, and sums of the pieces follow
  /// their number). The workers take lanes w, w + workers, …: 1, 2 and 4 workers are balanced.
  static let lanes = 4

  /// Runs body(lane, worker) for every lane, the workers taking lanes w, w + workers, …, all at
  /// once; `worker` picks the worker's own scratch.
  static func forEachLane(_ body: (_ lane: Int, _ worker: Int) -> Void) {
    let active = min(workers, lanes)
    forEachWorker(active) { w in
      for lane in Swift.stride(from: w, to: lanes, by: active) { body(lane, w) }
    }
  }

  /// Runs body(range, worker) for every lane whose share of 0..<count is not empty.
  static func forEachLaneShare(_ count: Int, _ body: (Range<Int>, _ worker: Int) -> Void) {
    forEachLane { lane, w in
      let range = share(count, lane, lanes)
      if !range.isEmpty { body(range, w) }
    }
  }

  /// Runs body(share) for every worker whose share of 0..<count is not empty, all at once.
  static func forEachShare(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
    forEachWorker(workers) { w in
      let range = share(count, w, workers)
      if !range.isEmpty { body(range) }
    }
  }

  /// target[i] += Σ_v sources[v·count + i] over `accumulators` private accumulators of the
  /// workers, laid one after the other; the workers take ranges of i. With `clearing`, the
  /// accumulators are zeroed for their next use.
  static func addAccumulators(
    _ sources: UnsafeMutablePointer<Float>, accumulators: Int, count: Int,
    into target: UnsafeMutablePointer<Float>,
    clearing: Bool
  ) {
    guard accumulators > 0 else { return }
    let workers = self.workers
    forEachWorker(workers) { w in
      let range = share(count, w, workers)
      for v in 0..<accumulators {
        let source = sources + v * count
        for i in range { target[i] += source[i] }
        if clearing { (source + range.lowerBound).update(repeating: 0, count: range.count) }
      }
    }
  }

  /// C = alpha·op(A)·op(B) + beta·C for row-major matrices, op(X) = X or Xᵀ.
  /// A is m×k after op, B is k×n after op, C is m×n; `lda`, `ldb` are the stored row lengths.
  @inline(__always)
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// y = op(A)·x for a row-major m×n matrix A (row length `lda`), op(A) = A or Aᵀ.
  @inline(__always)
  static func gemv(
    transpose: Bool, m: Int, n: Int, a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
    y: UnsafeMutablePointer<Float>
  ) {
    cblas_sgemv(
      CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), 1, a, Int32(lda), x, 1, 0, y,
      1)
  }

  /// Runs `body(i)` for i in 0..<count on all cores, in chunks large enough to be worth a thread.
  static func parallelFor(_ count: Int, minimumChunk: Int = 1, _ body: (Int) -> Void) {
    _ = singleThreadedBLAS
    let workers = min(count / max(1, minimumChunk), self.workers)
    guard workers > 1 else {
      for i in 0..<count { body(i) }
      return
    }
    // The body only runs during this call, and every worker touches its own indices.
    withoutActuallyEscaping(body) { body in
      nonisolated(unsafe) let body = body
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        for i in share(count, w, workers) { body(i) }
      }
    }
  }

  /// ∂L/∂z = ∂L/∂a ⊙ 1(a > 0) in place, from ReLU's output a (a > 0 exactly when z > 0).
  /// Eight at a time without branches: which elements are zeroed follows the data, and a branch
  /// per element would be mispredicted half the time.
  static func reluBackwardInPlace(_ delta: inout [Float], output a: [Float]) {
    precondition(a.count == delta.count, "ReLU backward: δ has \(delta.count) values, a \(a.count)")
    a.withUnsafeBufferPointer { ap in
      delta.withUnsafeMutableBufferPointer { d in
        let (source, target, count) = (
          UnsafeRawPointer(ap.baseAddress!), UnsafeMutableRawPointer(d.baseAddress!), d.count
        )
        let zero = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
          let offset = i * MemoryLayout<Float>.stride
          let value = target.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
          let active = source.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) .> zero
          target.storeBytes(
            of: zero.replacing(with: value, where: active), toByteOffset: offset, as: SIMD8<Float>.self)
          i += 8
        }
        for j in i..<count where !(ap[j] > 0) { d[j] = 0 }
      }
    }
  }

  /// Memory for a layer's output that every element is written to before it is read: no
  /// zero-fill. Large buffers ask the kernel for 2 MB pages first (madvise), so filling them
  /// takes hundreds of page faults instead of hundreds of thousands.
  static func uninitialized(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      adviseHugePages(buffer.baseAddress, bytes: count * MemoryLayout<Float>.stride)
      initialized = count
    }
  }

  /// Zeros, in memory that large buffers get as 2 MB pages.
  static func zeros(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      adviseHugePages(buffer.baseAddress, bytes: count * MemoryLayout<Float>.stride)
      buffer.baseAddress?.initialize(repeating: 0, count: count)
      initialized = count
    }
  }

  /// Whether large buffers ask for 2 MB pages: set once by the command line (`--huge-pages`),
  /// before any work. Off by default: where transparent huge pages are set to `madvise`, the
  /// kernel may stall to compact memory for them.
  public static var hugePages: Bool {
    get { hugePagesSetting.value }
    set { hugePagesSetting.value = newValue }
  }

  private static let hugePagesSetting = Box(false)

  /// Whether the small-filter convolutions run sixteen lanes wide (`WideKernels`, compiled for
  /// AVX-512): set once by the command line, before any work, when the processor has AVX-512 and
  /// OpenBLAS runs its AVX-512 kernels (so `OPENBLAS_CORETYPE=Haswell` keeps everything to AVX2).
  /// The results are the same bits either way. Off by default: never on a processor without it.
  public static var wideVectors: Bool {
    get { wideVectorsOverride ?? wideVectorsSetting.value }
    set { wideVectorsSetting.value = newValue }
  }

  private static let wideVectorsSetting = Box(false)

  /// Runs `body` with the sixteen-lane kernels on or off in this task only (read when an op
  /// starts, on the calling task): tests compare the two widths side by side.
  public static func withWideVectors<T>(_ on: Bool, _ body: () throws -> T) rethrows -> T {
    try $wideVectorsOverride.withValue(on, operation: body)
  }

  @TaskLocal private static var wideVectorsOverride: Bool?

  /// MADV_HUGEPAGE on the whole 2 MB pages inside a buffer of at least 4 MB, when `hugePages` is
  /// on (a hint: ignored where transparent huge pages are off).
  static func adviseHugePages(_ base: UnsafeMutablePointer<Float>?, bytes: Int) {
    guard hugePages, let base, bytes >= 4 << 20 else { return }
    let page = 2 << 20
    let start = (Int(bitPattern: base) + page - 1) / page * page
    let end = (Int(bitPattern: base) + bytes) / page * page
    guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(pointer, end - start, 14)  // MADV_HUGEPAGE
  }
}

/// A value shared by the workers, set from outside them.
final class Box<T>: @unchecked Sendable {
  var value: T
  init(_ value: T) { self.value = value }
}
