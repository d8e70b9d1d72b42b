import CZip

#if canImport(Glibc)
  import Glibc
#endif

/// torch.save's zip layout (PyTorch ≥ 1.6), read with libzip: `ARCHIVE/data.pkl`, the state dict
/// pickled (TorchPickle; storages as persistent ids ('storage', torch.FloatStorage, key, location,
/// size)), `ARCHIVE/data/KEY`, each storage's raw little-endian elements, and `ARCHIVE/byteorder`
/// ("little"; absent in older files). The archive's folder is named after the file's stem or
/// "archive": whichever single folder holds `data.pkl`. Every entry's size is checked against
/// the pickle and the file's length before anything is read from it.
struct TorchZipFile {
  /// The first bytes of a zip archive: a local file header.
  static let signature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
  /// The largest `data.pkl` read.
  static let pickleLimit = 64 << 20

  private let owner: ZipArchive
  private var archive: OpaquePointer { owner.pointer }
  private let fileSize: Int
  let stateDict: TorchStateDict
  /// Each storage's entry in the archive.
  private var entries: [String: zip_uint64_t] = [:]

  /// Opens the archive on a duplicate of `file`'s descriptor (libzip closes it).
  init(file: BinaryFile.Reader) throws {
    fileSize = file.size
    let descriptor = dup(file.descriptor)
    guard descriptor >= 0 else {
      throw TorchPickleFailure("cannot read: \(String(cString: strerror(errno)))")
    }
    var code: Int32 = 0
    guard let archive = zip_fdopen(descriptor, ZIP_CHECKCONS, &code) else {
      _ = close(descriptor)
      throw TorchPickleFailure("not a readable zip archive: \(Self.message(code))")
    }
    owner = ZipArchive(pointer: archive)
    let folder = try Self.folder(archive)
    let byteorder = try Self.read(
      archive, "\(folder)/byteorder", limit: 16, fileSize: fileSize, required: false)
    guard byteorder == nil || byteorder == Array("little".utf8) else {
      throw TorchPickleFailure("\(folder)/byteorder is not \"little\": big-endian files are not supported")
    }
    let pickleBytes = try Self.read(
      archive, "\(folder)/data.pkl", limit: Self.pickleLimit, fileSize: fileSize)!
    var machine = PickleMachine(bytes: pickleBytes, client: TorchPickle(layout: .zip, fileSize: fileSize))
    let object: PickleValue
    do { object = try machine.load() } catch let error as PickleError {
      throw TorchPickleFailure("\(folder)/data.pkl: byte \(error.offset): \(error.problem)")
    }
    stateDict = try TorchStateDict(object, memory: machine.memory, pickle: machine.client)
    for (key, storage) in stateDict.storages {
      let name = "\(folder)/data/\(key)"
      let index = zip_name_locate(archive, name, 0)
      guard index >= 0 else { throw TorchPickleFailure("storage \(key): entry \(name) is missing") }
      let size = try Self.size(archive, zip_uint64_t(index), name, fileSize: fileSize)
      guard size == storage.count * storage.dtype.size else {
        throw TorchPickleFailure(
          "storage \(key): entry \(name) holds \(size) bytes; \(storage.count) elements of \(storage.dtype) take \(storage.count * storage.dtype.size)"
        )
      }
      entries[key] = zip_uint64_t(index)
    }
  }

  /// Fills `buffer` with the storage's bytes from `byteOffset` on.
  func read(storage key: String, byteOffset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
    guard let index = entries[key], let entry = zip_fopen_index(archive, index, 0) else {
      throw TorchPickleFailure(
        "storage \(key): cannot open its entry: \(String(cString: zip_strerror(archive)))")
    }
    defer { zip_fclose(entry) }
    var skip = byteOffset
    var scratch = [UInt8](repeating: 0, count: min(skip, 1 << 16))
    while skip > 0 {
      let got = scratch.withUnsafeMutableBytes {
        zip_fread(entry, $0.baseAddress!, zip_uint64_t(min(skip, $0.count)))
      }
      guard got > 0 else { throw Self.readFailure(key, entry) }
      skip -= Int(got)
    }
    var done = 0
    while done < buffer.count {
      let got = zip_fread(entry, buffer.baseAddress! + done, zip_uint64_t(buffer.count - done))
      guard got > 0 else { throw Self.readFailure(key, entry) }
      done += Int(got)
    }
  }

  private static func readFailure(_ key: String, _ entry: OpaquePointer) -> TorchPickleFailure {
    TorchPickleFailure("storage \(key): cannot read its entry: \(String(cString: zip_file_strerror(entry)))")
  }

  /// The single folder holding a `data.pkl`.
  private static func folder(_ archive: OpaquePointer) throws -> String {
    var folders: [String] = []
    for index in 0..<max(0, zip_get_num_entries(archive, 0)) {
      guard let raw = zip_get_name(archive, zip_uint64_t(index), 0) else { continue }
      let parts = String(cString: raw).split(separator: "/", omittingEmptySubsequences: false)
      if parts.count == 2, parts[1] == "data.pkl" { folders.append(String(parts[0])) }
      if folders.count > 1 { break }
    }
    guard folders.count == 1 else {
      throw TorchPickleFailure(
        folders.isEmpty
          ? "the zip archive has no FOLDER/data.pkl: not a torch.save file"
          : "the zip archive has more than one data.pkl")
    }
    return folders[0]
  }

  /// An entry's uncompressed size, checked: a stored entry no larger than the file, a compressed
  /// one no more than deflate's 1032 : 1 of its compressed bytes.
  private static func size(_ archive: OpaquePointer, _ index: zip_uint64_t, _ name: String, fileSize: Int)
    throws -> Int
  {
    var stat = zip_stat_t()
    zip_stat_init(&stat)
    guard zip_stat_index(archive, index, 0, &stat) == 0,
      stat.valid & UInt64(ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD)
        == UInt64(ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD)
    else { throw TorchPickleFailure("entry \(name): no size: \(String(cString: zip_strerror(archive)))") }
    let stored = stat.comp_method == UInt16(ZIP_CM_STORE)
    guard stat.comp_size <= UInt64(fileSize),
      stored ? stat.size == stat.comp_size : stat.size / 1032 <= stat.comp_size
    else {
      throw TorchPickleFailure(
        "entry \(name): \(stat.size) bytes from \(stat.comp_size) in a file of \(fileSize): impossible")
    }
    return Int(stat.size)
  }

  /// A whole entry, at most `limit` bytes; nil when it is absent and not `required`.
  private static func read(
    _ archive: OpaquePointer, _ name: String, limit: Int, fileSize: Int, required: Bool = true
  ) throws -> [UInt8]? {
    let index = zip_name_locate(archive, name, 0)
    guard index >= 0 else {
      if required { throw TorchPickleFailure("entry \(name) is missing") }
      return nil
    }
    let size = try Self.size(archive, zip_uint64_t(index), name, fileSize: fileSize)
    guard size <= limit else {
      throw TorchPickleFailure("entry \(name) is \(size) bytes; at most \(limit) are read")
    }
    guard let entry = zip_fopen_index(archive, zip_uint64_t(index), 0) else {
      throw TorchPickleFailure("entry \(name): cannot open: \(String(cString: zip_strerror(archive)))")
    }
    defer { zip_fclose(entry) }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
      let got = bytes.withUnsafeMutableBytes {
        zip_fread(entry, $0.baseAddress! + done, zip_uint64_t(size - done))
      }
      guard got > 0 else {
        throw TorchPickleFailure("entry \(name): cannot read: \(String(cString: zip_file_strerror(entry)))")
      }
      done += Int(got)
    }
    return bytes
  }

  private static func message(_ code: Int32) -> String {
    var error = zip_error_t()
    zip_error_init_with_code(&error, code)
    defer { zip_error_fini(&error) }
    return String(cString: zip_error_strerror(&error))
  }
}

/// An open libzip archive, discarded (closing its descriptor) when the last reference goes.
final class ZipArchive {
  let pointer: OpaquePointer

  init(pointer: OpaquePointer) { self.pointer = pointer }

  deinit { zip_discard(pointer) }
}
