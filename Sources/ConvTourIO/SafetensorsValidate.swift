extension Safetensors {
  /// Compares a file's tensors (from `header(path:)`) with the F32 tensors a network expects and
  /// throws the first difference, naming the tensor: walking `expected` in order, the first tensor
  /// that is missing, not F32, or of another shape; then a tensor the network does not use (the
  /// first such name in sorted order). `file` names the file in the error.
  public static func validate(
    _ header: [String: (dtype: String, shape: [Int])], expected: [(name: String, shape: [Int])],
    file: String
  ) throws {
    for (name, shape) in expected {
      guard let found = header[name] else {
        throw SafetensorsError(file: file, tensor: name, problem: "missing (expected F32 of shape \(shape))")
      }
      guard found.dtype == "F32" else {
        throw SafetensorsError(file: file, tensor: name, problem: "dtype \(found.dtype), expected F32")
      }
      guard found.shape == shape else {
        throw SafetensorsError(file: file, tensor: name, problem: "shape \(found.shape), expected \(shape)")
      }
    }
    let expectedNames = Set(expected.map(\.name))
    if let extra = header.keys.sorted().first(where: { !expectedNames.contains($0) }) {
      let found = header[extra].map { "\($0.dtype) of shape \($0.shape)" } ?? ""
      throw SafetensorsError(
        file: file, tensor: extra, problem: "unexpected tensor (\(found)): the network has no such parameter")
    }
  }
}
