/// The matrices of Winograd's minimal filtering F(m×m, 3×3) (Lavin & Gray 2015), written once:
///   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
/// for a 3×3 filter g and an (m + 2)×(m + 2) input tile d. The kernels in FastWinogradF2.swift
/// and FastWinogradF4.swift are these products unrolled; tests check them against this data, and
/// the data against the direct correlation.
enum WinogradMatrices {
  struct Transform {
    /// Output tile side m; the input tile is α = m + 2 on a side.
    var m: Int
    /// Bᵀ [α, α].
    var inputT: [[Double]]
    /// G [α, 3].
    var filter: [[Double]]
    /// Aᵀ [m, α].
    var outputT: [[Double]]
  }

  /// F(2×2, 3×3): interpolation points 0, ±1, ∞.
  static let f2 = Transform(
    m: 2,
    inputT: [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
    filter: [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]],
    outputT: [[1, 1, 1, 0], [0, 1, -1, -1]])

  /// F(4×4, 3×3): interpolation points 0, ±1, ±2, ∞.
  static let f4 = Transform(
    m: 4,
    inputT: [
      [4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0],
      [0, 2, -1, -2, 1, 0],
      [0, 4, 0, -5, 0, 1],
    ],
    filter: [
      [1.0 / 4, 0, 0], [-1.0 / 6, -1.0 / 6, -1.0 / 6], [-1.0 / 6, 1.0 / 6, -1.0 / 6],
      [1.0 / 24, 1.0 / 12, 1.0 / 6], [1.0 / 24, -1.0 / 12, 1.0 / 6], [0, 0, 1],
    ],
    outputT: [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]])
}
