import Foundation

/// A folder of images with one subfolder per class, as torchvision's `ImageFolder` reads it: the
/// classes are the subfolders' names sorted, the class index their position; each class's images
/// are the files under its folder (subfolders too, links followed) whose names end in one of
/// torchvision's image extensions (any case), walked in sorted order; other files are ignored.
/// PNG, JPEG and binary PPM are decoded (by content, as `convert("RGB")` gives them); a file with
/// another image extension (BMP, TIFF, WebP, PGM) is refused by name. No split of its own: a
/// seeded one is made.
public enum DatasetImageFolder {
  /// torchvision's `IMG_EXTENSIONS`.
  public static let extensions = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"]
  /// How deep a class folder's subfolders are walked, and how many files are taken at most.
  static let maxDepth = 8
  static let maxFiles = 1_000_000

  /// The class folders of `root`, sorted; empty when it has none.
  static func classes(of root: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return names.filter { isDirectory(root + "/" + $0) }.sorted(by: codePointOrder)
  }

  static func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
  }

  /// The image files of one class in torchvision's order: `sorted(os.walk(folder))` (the
  /// folders by path, in code-point order), each folder's files sorted.
  static func files(in folder: String, into found: inout [String]) throws {
    var folders: [(path: String, files: [String])] = []
    var total = 0
    func walk(_ path: String, depth: Int) throws {
      guard depth <= maxDepth else {
        throw DatasetError(file: path, problem: "folders nested more than \(maxDepth) deep (a link loop?)")
      }
      let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      var files: [String] = []
      for name in names {
        let full = path + "/" + name
        if isDirectory(full) {
          try walk(full, depth: depth + 1)
        } else if extensions.contains(where: { name.lowercased().hasSuffix($0) }) {
          files.append(name)
        }
      }
      folders.append((path, files.sorted(by: codePointOrder)))
      total += 1 + files.count
      guard total <= maxFiles else {
        throw DatasetError(file: folder, problem: "more than \(maxFiles) images and folders")
      }
    }
    try walk(folder, depth: 0)
    for (path, files) in folders.sorted(by: { codePointOrder($0.path, $1.path) }) {
      found += files.map { path + "/" + $0 }
    }
  }

  static func codePointOrder(_ a: String, _ b: String) -> Bool {
    Array(a.utf8).lexicographicallyPrecedes(b.utf8)
  }

  public static func read(
    root: String, budget: DatasetBudget = .standard, split: DatasetSeededSplit = .standard
  ) throws -> Dataset {
    let names = classes(of: root)
    guard !names.isEmpty else {
      throw DatasetError(file: root, problem: "no class folders: an image folder holds one folder per class")
    }
    var pictures: [RGBImage] = []
    var labels: [Int] = []
    var used = 0
    for (label, name) in names.enumerated() {
      var found: [String] = []
      try files(in: root + "/" + name, into: &found)
      guard !found.isEmpty else {
        throw DatasetError(
          file: root + "/" + name,
          problem: "no image in this class folder (extensions: \(extensions.joined(separator: " ")))")
      }
      for path in found {
        let image: RGBImage
        do { image = try ImageInput.decode(path: path) } catch let error as ImageError {
          throw DatasetError(file: error.file, problem: error.problem)
        }
        let size = image.pixels.count + MemoryLayout<RGBImage>.stride
        try budget.check(size, used: used, file: path, what: "the images so far")
        used += size
        pictures.append(image)
        labels.append(label)
      }
    }
    let all = DatasetSplit(images: .pictures(pictures), labels: labels)
    let (train, test, note) = try split.apply(all, file: root)
    return Dataset(
      name: "image folder", classNames: names, train: train, test: test,
      origin: ["image folder \(root): \(all.count) images in \(names.count) classes", note], source: root)
  }
}
