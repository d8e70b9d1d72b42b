/// Element counts as a reader writes them: 2,517,630,976.
enum ShapeCount {
  static func grouped(_ n: Int) -> String { ShapeTable.grouped(n) }
}
