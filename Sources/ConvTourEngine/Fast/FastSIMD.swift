/// SIMD helpers shared by the fast path's Winograd kernels: unaligned loads and stores of
/// Float vectors, lane-wise maximum, interleaving.
extension FastWinograd.Plan {
  @inline(__always)
  static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always)
  static func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
  }

  @inline(__always)
  static func store<V: SIMD>(_ value: V, _ p: UnsafeMutablePointer<Float>) where V.Scalar == Float {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: V.self)
  }

  /// max(a, b) lane by lane.
  @inline(__always)
  static func maximum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
    a.replacing(with: b, where: a .< b)
  }

  /// (a₀, b₀, a₁, b₁, a₂, b₂, a₃, b₃).
  @inline(__always)
  static func interleave(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD8<Float> {
    var r = SIMD8<Float>()
    r.evenHalf = a
    r.oddHalf = b
    return r
  }
}
