/// The header of a NumPy `.npy` file, parsed and checked for a float32 array. The file is
///
///     bytes 0 ..< 6     the magic string "\x93NUMPY"
///     bytes 6, 7        the format version, major then minor: 1.0, 2.0 or 3.0
///     next 2 or 4       H, the header's length: UInt16 little-endian (1.0) or UInt32 (2.0, 3.0)
///     next H bytes      a Python dict literal, ASCII (UTF-8 in 3.0), padded with spaces, ending in "\n":
///                         {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
///     the rest          the elements, row-major (C order) unless fortran_order, as descr says
///
/// NumPy pads the header so that the data starts at a multiple of 64 bytes; a reader need not rely
/// on it. Only `descr` '<f4' (little-endian float32) in C order is accepted, and the data must be
/// exactly the shape's elements: every check runs before anything is allocated for the array.
struct NumpyHeader {
  /// The element types read: float32 (arrays, inputs) and int64 (a dataset's labels).
  struct Element: Sendable {
    var descr: String
    var name: String
    var size: Int
    static let float32 = Element(descr: "<f4", name: "float32", size: 4)
    static let int64 = Element(descr: "<i8", name: "int64", size: 8)
  }

  var shape: [Int]
  var elementCount: Int
  /// Where the elements start in the file.
  var dataStart: Int

  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  /// The longest header read: far beyond any float32 array's (NumPy itself refuses headers over
  /// 10,000 bytes unless told otherwise), and a bound on what a hostile file can make us allocate.
  static let maximumLength = 1_000_000

  /// Reads, parses and checks the header of `file`; `path` names it in errors.
  init(file: BinaryFile.Reader, path: String, element: Element = .float32) throws {
    func failure(_ problem: String) -> NumpyError { NumpyError(file: path, problem: problem) }
    let prefix = try file.bytes(min(file.size, 12), at: 0)
    guard prefix.count >= 6, Array(prefix[0..<6]) == Self.magic else {
      throw failure("not a .npy file: it does not start with \\x93NUMPY")
    }
    guard prefix.count >= 8 else {
      throw failure("the file is \(file.size) bytes long, too short for a .npy header")
    }
    let (major, minor) = (prefix[6], prefix[7])
    let lengthBytes: Int
    switch (major, minor) {
    case (1, 0): lengthBytes = 2
    case (2, 0), (3, 0): lengthBytes = 4
    default: throw failure(".npy format version \(major).\(minor) is not supported (only 1.0, 2.0, 3.0)")
    }
    let headerStart = 8 + lengthBytes
    guard prefix.count >= headerStart else {
      throw failure("the file is \(file.size) bytes long, too short for a .npy header")
    }
    var length = 0
    for i in 0..<lengthBytes {
      length |= Int(prefix[8 + i]) << (8 * i)
    }
    guard length <= file.size - headerStart else {
      throw failure("header length \(length) runs past the end of the file (\(file.size) bytes)")
    }
    guard length <= Self.maximumLength else {
      throw failure("header length \(length) exceeds the limit of \(Self.maximumLength) bytes")
    }
    dataStart = headerStart + length
    guard let text = String(validating: try file.bytes(length, at: headerStart), as: UTF8.self) else {
      throw failure("the header is not valid text")
    }
    let dict: NumpyLiteral
    do {
      dict = try NumpyLiteral.parse(text)
    } catch let error as NumpyLiteralError {
      throw failure("the header is not a Python literal: \(error.message) at character \(error.offset)")
    }
    let fields = try Self.fields(of: dict, path: path)
    try Self.checkDescr(fields.descr, path: path, element: element)
    guard case .bool(let fortranOrder) = fields.fortranOrder else {
      throw failure("fortran_order must be True or False, found \(fields.fortranOrder.shortRepr)")
    }
    guard !fortranOrder else {
      throw failure("fortran_order is True (column-major): only C-order arrays can be read")
    }
    (shape, elementCount) = try Self.shape(fields.shape, path: path)
    let available = file.size - dataStart
    let (needed, overflow) = elementCount.multipliedReportingOverflow(by: element.size)
    guard !overflow, needed <= available else {
      throw failure(
        "the data is truncated: shape \(fields.shape.shortRepr) of \(element.name) needs "
          + "\(overflow ? "more than \(Int.max)" : "\(needed)") bytes, the file holds \(available)")
    }
    guard needed == available else {
      throw failure(
        "\(available - needed) bytes follow the data: shape \(fields.shape.shortRepr) of \(element.name) needs "
          + "\(needed) bytes, the file holds \(available)")
    }
  }

  /// The dict's three entries; NumPy requires exactly these keys.
  private static func fields(
    of dict: NumpyLiteral, path: String
  ) throws -> (descr: NumpyLiteral, fortranOrder: NumpyLiteral, shape: NumpyLiteral) {
    guard case .dict(let items) = dict else {
      throw NumpyError(file: path, problem: "the header is not a dict: \(dict.shortRepr)")
    }
    var values: [String: NumpyLiteral] = [:]
    for (key, value) in items {
      guard case .string(let name) = key, ["descr", "fortran_order", "shape"].contains(name) else {
        throw NumpyError(file: path, problem: "the header has an unexpected key \(key.shortRepr)")
      }
      guard values.updateValue(value, forKey: name) == nil else {
        throw NumpyError(file: path, problem: "the header has the key '\(name)' twice")
      }
    }
    guard let descr = values["descr"], let fortranOrder = values["fortran_order"], let shape = values["shape"]
    else {
      let missing = ["descr", "fortran_order", "shape"].filter { values[$0] == nil }
      throw NumpyError(file: path, problem: "the header lacks '\(missing.joined(separator: "', '"))'")
    }
    return (descr, fortranOrder, shape)
  }

  /// `element`'s descr only ('<f4' by default); anything else is named, e.g. "dtype '<f8' (float64)".
  private static func checkDescr(_ descr: NumpyLiteral, path: String, element: Element) throws {
    let only = "only \(element.name) ('\(element.descr)')"
    guard case .string(let text) = descr else {
      throw NumpyError(file: path, problem: "structured dtype \(descr.shortRepr) is not supported: \(only)")
    }
    guard text != element.descr else { return }
    let problem: String
    let bigEndian = ">" + element.descr.dropFirst()
    if text == bigEndian {
      problem =
        "big-endian \(element.name) ('\(bigEndian)') is not supported: only little-endian '\(element.descr)'"
    } else if let name = Self.typeName(text) {
      problem = "dtype '\(text)' (\(name)) is not supported: \(only)"
    } else {
      problem = "dtype '\(text)' is not supported: \(only)"
    }
    throw NumpyError(file: path, problem: problem)
  }

  /// NumPy's name for a simple descr such as '<f8' or '|u1', with "big-endian" where it applies.
  private static func typeName(_ descr: String) -> String? {
    let scalars = Array(descr.unicodeScalars)
    guard scalars.count >= 3, "<>|=".unicodeScalars.contains(scalars[0]),
      let size = Int(String(String.UnicodeScalarView(scalars[2...])))
    else { return nil }
    let kinds: [Unicode.Scalar: String] = [
      "f": "float", "i": "int", "u": "uint", "c": "complex", "b": "bool", "S": "bytes", "U": "str",
    ]
    guard let kind = kinds[scalars[1]] else { return nil }
    let bits = ["bool", "bytes", "str"].contains(kind) ? "" : String(size * 8)
    return (scalars[0] == ">" ? "big-endian " : "") + kind + bits
  }

  /// A tuple of non-negative integers whose product, taken left to right as `Shape.count` takes
  /// it, fits in `Int`.
  private static func shape(_ value: NumpyLiteral, path: String) throws -> ([Int], Int) {
    guard case .tuple(let dimensions) = value else {
      throw NumpyError(file: path, problem: "shape must be a tuple of integers, found \(value.shortRepr)")
    }
    var shape: [Int] = []
    var count = 1
    for (axis, dimension) in dimensions.enumerated() {
      guard let size = dimension.integer, size >= 0 else {
        throw NumpyError(
          file: path,
          problem:
            "shape \(value.shortRepr): dimension \(axis) is \(dimension.shortRepr), "
            + "not a non-negative integer"
        )
      }
      let (product, overflow) = count.multipliedReportingOverflow(by: size)
      guard !overflow else {
        throw NumpyError(file: path, problem: "shape \(value.shortRepr) has too many elements to count")
      }
      shape.append(size)
      count = product
    }
    return (shape, count)
  }
}
