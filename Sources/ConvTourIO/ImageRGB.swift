/// An 8-bit RGB image, as PIL's `convert("RGB")` holds it.
///
/// Layout: row-major from the top-left corner, channels interleaved, so channel `c` (0 red,
/// 1 green, 2 blue) of the pixel in row `y`, column `x` is `pixels[(y * width + x) * 3 + c]`;
/// `pixels.count == width * height * 3`.
public struct RGBImage: Equatable, Sendable {
  public var width: Int
  public var height: Int
  public var pixels: [UInt8]

  public init(width: Int, height: Int, pixels: [UInt8]) {
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// The three channels of the pixel in row `y`, column `x`.
  public func pixel(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
    let i = (y * width + x) * 3
    return (pixels[i], pixels[i + 1], pixels[i + 2])
  }
}
