import ConvTourEngine
import Foundation
import Testing

@testable import ConvTourIO

/// `.npy` files written once by NumPy 2.4.6 (`np.save`, or `np.lib.format.write_array` for
/// versions 2.0 and 3.0) and embedded here; writing reproduces `np.save` byte for byte.
@Suite("NumPy .npy: reading and writing")
struct NumpyTests {
  /// np.save(f, np.array([[1, -2.5, 3], [0.125, 65504, -0.0]], dtype=np.float32))
  static let matrix =
    "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAg"
    + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAgwAAAQEAAAAA+"
    + "AOB/RwAAAIA="
  /// np.save(f, np.array(42.5, dtype=np.float32)) — a scalar, shape ().
  static let scalar =
    "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAg"
    + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAACpC"
  /// np.save(f, np.array([1.5, -2, 4], dtype=np.float32)) — a 1-tuple shape, (3,).
  static let vector =
    "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAg"
    + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAgEA="
  /// The same array through write_array(version=(2, 0)) and (3, 0): a UInt32 header length.
  static let vectorVersion2 =
    "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAg"
    + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAgEA="
  static let vectorVersion3 =
    "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAg"
    + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAgEA="
  /// np.save(f, np.zeros((0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100), np.float32)): no data, and
  /// a header already at a multiple of 64 bytes, which NumPy pads by a full 64 more.
  static let emptyFullPadding =
    "k05VTVBZAQC2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDEsIDEsIDEs"
    + "IDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEwMCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg"
    + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAK"

  static func tensors() throws -> [(base64: String, tensor: Tensor32)] {
    [
      (matrix, try Tensor32(shape: [2, 3], values: [1, -2.5, 3, 0.125, 65504, -0.0])),
      (scalar, try Tensor32(shape: [], values: [42.5])),
      (vector, try Tensor32(shape: [3], values: [1.5, -2, 4])),
      (emptyFullPadding, Tensor32(zeros: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100])),
    ]
  }

  @Test func readsNumpysFiles() throws {
    try TestFiles.withDirectory { directory in
      for (index, (base64, tensor)) in try Self.tensors().enumerated() {
        let path = try TestFiles.write(TestFiles.base64(base64), named: "\(index).npy", in: directory)
        #expect(try Numpy.readFloat32(path: path) == tensor)
      }
      let matrix = try TestFiles.write(TestFiles.base64(Self.matrix), named: "m.npy", in: directory)
      #expect(try Numpy.readFloat32(path: matrix).values[5].sign == .minus)
    }
  }

  @Test func readsVersions2And3() throws {
    try TestFiles.withDirectory { directory in
      for (version, base64) in [(2, Self.vectorVersion2), (3, Self.vectorVersion3)] {
        let path = try TestFiles.write(TestFiles.base64(base64), named: "v\(version).npy", in: directory)
        #expect(try Numpy.readFloat32(path: path) == (try Tensor32(shape: [3], values: [1.5, -2, 4])))
      }
    }
  }

  @Test func writesWhatNumpyWrites() throws {
    try TestFiles.withDirectory { directory in
      for (index, (base64, tensor)) in try Self.tensors().enumerated() {
        let path = directory + "/\(index).npy"
        try Numpy.writeFloat32(tensor, to: path)
        #expect(try TestFiles.read(path) == TestFiles.base64(base64), "shape \(tensor.shape)")
      }
    }
  }

  @Test func roundTrip() throws {
    try TestFiles.withDirectory { directory in
      let shapes: [[Int]] = [[], [1], [7], [1, 3, 224, 224], [2, 0, 5], [123_456_789_012, 0]]
      for (index, shape) in shapes.enumerated() {
        var tensor = Tensor32(zeros: shape)
        for i in tensor.values.indices {
          tensor.values[i] = Float(i) * 0.37 - 1000
        }
        let path = directory + "/\(index).npy"
        try Numpy.writeFloat32(tensor, to: path)
        #expect(try Numpy.readFloat32(path: path) == tensor)
        #expect((try TestFiles.read(path).count - 4 * tensor.count) % 64 == 0, "data aligned to 64")
      }
    }
  }

  /// A header too long for format 1.0's UInt16 length moves to 2.0, as NumPy does.
  @Test func longHeaderUsesVersion2() throws {
    let shape = Array(repeating: 1, count: 25_000) + [0]
    let header = NumpyHeader.encode(shape: shape)
    #expect(Array(header[6..<8]) == [2, 0])
    #expect(header.count % 64 == 0)
    #expect(header.last == UInt8(ascii: "\n"))
    try TestFiles.withDirectory { directory in
      let path = directory + "/long.npy"
      try Numpy.writeFloat32(Tensor32(zeros: shape), to: path)
      #expect(try Numpy.readFloat32(path: path).shape == shape)
    }
  }

  @Test func errorDescription() {
    #expect("\(NumpyError(file: "x.npy", problem: "bad"))" == "x.npy: bad")
  }
}
