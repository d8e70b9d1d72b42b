extension SafetensorsHeader.Entry {
  /// Parses one tensor's entry, `{"dtype": "F32", "shape": [2, 3], "data_offsets": [BEGIN, END]}`
  /// (other keys are ignored, as the reference implementation does), and checks it on its own:
  /// a known dtype, non-negative integer dimensions whose product fits in `Int`, offsets in order,
  /// and exactly as many bytes between them as the shape's elements take.
  init(name: String, json: SafetensorsJSON, path: String) throws {
    func failure(_ problem: String) -> SafetensorsError {
      SafetensorsError(file: path, tensor: name, problem: problem)
    }
    guard case .object(let members) = json else {
      throw failure("entry must be an object with dtype, shape and data_offsets, found \(json.summary)")
    }
    let fields = Dictionary(members, uniquingKeysWith: { first, _ in first })

    guard let dtypeField = fields["dtype"] else { throw failure("missing dtype") }
    guard case .string(let dtype) = dtypeField else {
      throw failure("dtype must be a string, found \(dtypeField.summary)")
    }
    guard SafetensorsDType.bits[dtype] != nil else { throw failure("unknown dtype \"\(dtype)\"") }

    guard let shapeField = fields["shape"] else { throw failure("missing shape") }
    guard case .array(let dimensions) = shapeField else {
      throw failure("shape must be an array of non-negative integers, found \(shapeField.summary)")
    }
    var shape: [Int] = []
    var elementCount = 1
    for (axis, dimension) in dimensions.enumerated() {
      guard let size = dimension.integer, size >= 0 else {
        throw failure("shape: dimension \(axis) is \(dimension.summary), not a non-negative integer")
      }
      shape.append(size)
      // Left to right, as Shape.count multiplies: an accepted shape never traps there.
      let (product, overflow) = elementCount.multipliedReportingOverflow(by: size)
      guard !overflow else {
        throw failure("shape \(Self.describe(dimensions)) has too many elements to count")
      }
      elementCount = product
    }

    guard let offsetsField = fields["data_offsets"] else { throw failure("missing data_offsets") }
    guard case .array(let offsets) = offsetsField, offsets.count == 2 else {
      throw failure(
        "data_offsets must be [BEGIN, END], two non-negative integers, found \(offsetsField.summary)")
    }
    guard let begin = offsets[0].integer, begin >= 0 else {
      throw failure("data_offsets: begin is \(offsets[0].summary), not a non-negative integer")
    }
    guard let end = offsets[1].integer, end >= 0 else {
      throw failure("data_offsets: end is \(offsets[1].summary), not a non-negative integer")
    }
    guard begin <= end else {
      throw failure("data_offsets [\(begin), \(end)] are out of order: end < begin")
    }
    let byteCount: Int
    switch SafetensorsDType.size(elements: elementCount, dtype: dtype) {
    case .bytes(let count): byteCount = count
    case .overflow: throw failure("shape \(shape) of \(dtype) has too many bytes to count")
    case .partialByte(let bits):
      throw failure("shape \(shape) of \(dtype) is \(bits) bits, not a whole number of bytes")
    }
    guard byteCount == end - begin else {
      let bits = SafetensorsDType.bits[dtype] ?? 0
      let size = bits % 8 == 0 ? "\(bits / 8) bytes" : "\(bits) bits"
      throw failure(
        "data_offsets [\(begin), \(end)] hold \(end - begin) bytes, but shape \(shape) of \(dtype) "
          + "needs \(byteCount) (\(elementCount) elements × \(size))")
    }
    self.init(name: name, dtype: dtype, shape: shape, elementCount: elementCount, begin: begin, end: end)
  }

  /// A shape as written in the file, e.g. `[4294967296, 4294967296]`.
  private static func describe(_ dimensions: [SafetensorsJSON]) -> String {
    "[" + dimensions.map(\.summary).joined(separator: ", ") + "]"
  }
}
