/// Copies and clears of a few dozen floats, inline: im2col of a small image moves thousands of
/// runs of 5 to 60 floats per example, where a call to memmove or memset for each costs more than
/// the copy. Longer runs go to the library.
extension FastPath {
  /// to[0..<count] = from[0..<count] (the two do not overlap).
  @inline(__always)
  static func copy(_ from: UnsafePointer<Float>, to: UnsafeMutablePointer<Float>, count: Int) {
    guard count < 64 else {
      to.update(from: from, count: count)
      return
    }
    let (source, target) = (UnsafeRawPointer(from), UnsafeMutableRawPointer(to))
    var k = 0
    while k + 8 <= count {
      target.storeBytes(
        of: source.loadUnaligned(fromByteOffset: 4 * k, as: SIMD8<Float>.self), toByteOffset: 4 * k,
        as: SIMD8<Float>.self)
      k += 8
    }
    if k + 4 <= count {
      target.storeBytes(
        of: source.loadUnaligned(fromByteOffset: 4 * k, as: SIMD4<Float>.self), toByteOffset: 4 * k,
        as: SIMD4<Float>.self)
      k += 4
    }
    if k < count { to[k] = from[k] }
    if k + 1 < count { to[k + 1] = from[k + 1] }
    if k + 2 < count { to[k + 2] = from[k + 2] }
  }

  /// to[0..<count] = 0.
  @inline(__always)
  static func clear(_ to: UnsafeMutablePointer<Float>, count: Int) {
    guard count < 64 else {
      to.update(repeating: 0, count: count)
      return
    }
    let target = UnsafeMutableRawPointer(to)
    var k = 0
    while k + 8 <= count {
      target.storeBytes(of: SIMD8<Float>(), toByteOffset: 4 * k, as: SIMD8<Float>.self)
      k += 8
    }
    if k + 4 <= count {
      target.storeBytes(of: SIMD4<Float>(), toByteOffset: 4 * k, as: SIMD4<Float>.self)
      k += 4
    }
    if k < count { to[k] = 0 }
    if k + 1 < count { to[k + 1] = 0 }
    if k + 2 < count { to[k + 2] = 0 }
  }
}
