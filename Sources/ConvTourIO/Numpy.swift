import ConvTourEngine

/// NumPy `.npy` files of float32 arrays: reading (format 1.0, 2.0 and 3.0; the layout and the
/// checks are in `NumpyHeader`) and writing (format 1.0, as `np.save` writes it, byte for byte).
public enum Numpy {
  /// Reads a little-endian float32 array in C order ('<f4', fortran_order False). The header is
  /// read and checked first; the elements are then read straight into the tensor's storage.
  ///
  /// `accept` sees the declared shape before any element is read or allocated; it throws to
  /// refuse a shape the caller cannot use (a huge array declared with matching sparse data is
  /// then refused without reading it).
  public static func readFloat32(path: String, accept: ([Int]) throws -> Void = { _ in }) throws -> Tensor32 {
    do {
      return try BinaryFile.withReader(path: path) { file in
        let header = try NumpyHeader(file: file, path: path)
        try accept(header.shape)
        let values = try LittleEndianFloat32.floats(count: header.elementCount) { buffer in
          try file.read(into: buffer, at: header.dataStart)
        }
        do {
          return try Tensor32(shape: header.shape, values: values)
        } catch {
          throw NumpyError(file: path, problem: "\(error)")
        }
      }
    } catch let failure as BinaryFile.Failure {
      throw NumpyError(file: path, problem: failure.message)
    }
  }

  /// The declared shape of a float32 array, from its header alone (checked as `readFloat32`
  /// checks it); no element is read.
  public static func shape(path: String) throws -> [Int] {
    do {
      return try BinaryFile.withReader(path: path) { try NumpyHeader(file: $0, path: path).shape }
    } catch let failure as BinaryFile.Failure {
      throw NumpyError(file: path, problem: failure.message)
    }
  }

  /// Writes `tensor` as `np.save` would write a float32 array of its shape: format 1.0 (2.0 when
  /// the header outgrows 1.0's 65,535 bytes), little-endian, C order. The file is written beside
  /// `path` and renamed over it.
  public static func writeFloat32(_ tensor: Tensor32, to path: String) throws {
    guard tensor.values.count == Shape.count(tensor.shape) else {
      throw NumpyError(
        file: path,
        problem:
          "the tensor has \(tensor.values.count) values for shape \(tensor.shape) (\(Shape.count(tensor.shape)))"
      )
    }
    let header = NumpyHeader.encode(shape: tensor.shape)
    do {
      try BinaryFile.writeAtomically(path: path) { sink in
        try sink.append(header)
        try LittleEndianFloat32.withBytes(of: tensor.values) { try sink.append($0) }
      }
    } catch let failure as BinaryFile.Failure {
      throw NumpyError(file: path, problem: failure.message)
    }
  }
}
