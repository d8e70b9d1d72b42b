import ConvTourIO
import ConvTourLessons
import Foundation

/// Finds and reads the lesson files: `--lessons DIR`, then $CONVTOUR_LESSONS, then the
/// `Lessons/` of the repository this binary was built from, then an installed share folder
/// (`<prefix>/share/convtour/Lessons` beside `<prefix>/bin/convtour`).
struct LessonLibrary {
  /// The folder the lessons came from.
  var folder: URL
  /// The lessons that loaded, in file-name order.
  var lessons: [Lesson]
  /// The files that did not: each error names file:line:column.
  var errors: [LessonError]
  /// What the student should know about lessons that loaded, one line each, by lesson id: a
  /// dataset taken instead of the one asked ($CONVTOUR_CIFAR10 set but not CIFAR-10).
  var warnings: [String: [String]] = [:]

  /// One line: the folder given and what is wrong with it, or every folder looked in.
  struct NotFound: Error, CustomStringConvertible {
    var looked: [String]
    /// The folder given with --lessons or $CONVTOUR_LESSONS ("--lessons /x"), if one was.
    var given: (origin: String, path: String)? = nil
    var description: String {
      if let given {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: given.path, isDirectory: &isFolder)
        let problem =
          !exists ? "no such folder" : !isFolder.boolValue ? "not a folder" : "no .lesson files in it"
        return "convtour: \(given.origin) \(given.path): \(problem); give a folder of .lesson files"
      }
      return "convtour: no lessons found; looked in: " + looked.joined(separator: ", ")
        + "; give a folder of .lesson files with --lessons or $CONVTOUR_LESSONS"
    }
  }

  /// The folders to try, in order, with where each came from.
  static func candidates(explicit: String?) -> [(URL, String)] {
    var result: [(URL, String)] = []
    if let explicit { result.append((URL(fileURLWithPath: explicit), "--lessons")) }
    if let env = ProcessInfo.processInfo.environment["CONVTOUR_LESSONS"], !env.isEmpty {
      result.append((URL(fileURLWithPath: env), "$CONVTOUR_LESSONS"))
    }
    // This file is Sources/convtour/LessonLibrary.swift in the repository.
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    result.append((repository.appendingPathComponent("Lessons"), "the repository"))
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let share = executable.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("share/convtour/Lessons")
    result.append((share, "the installed share folder"))
    return result
  }

  /// Lesson files in a folder: `*.lesson`, sorted by name.
  static func files(in folder: URL) -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".lesson") }.sorted().map { folder.appendingPathComponent($0) }
  }

  /// Loads from the first folder that holds lesson files. An explicit folder (flag or
  /// environment) that holds none is an error of its own, not a reason to look elsewhere.
  /// The tour's default budget counts element traces: its element level computes a step's
  /// elements all at once.
  static func load(explicit: String?, budget: LessonBudget = .withElements) throws -> LessonLibrary {
    var looked: [String] = []
    for (folder, origin) in candidates(explicit: explicit) {
      let files = self.files(in: folder)
      looked.append("\(folder.path) (\(origin))")
      if files.isEmpty {
        if origin == "--lessons" || origin == "$CONVTOUR_LESSONS" {
          throw NotFound(looked: looked, given: (origin, folder.path))
        }
        continue
      }
      return read(files, folder: folder, budget: budget)
    }
    throw NotFound(looked: looked)
  }

  /// The largest lesson file read: 16 MB (the largest lesson here is under 20 KB).
  static let largestFile = 16 << 20

  /// A lesson over `budget` (its memory and operations estimated before it runs) is a load error.
  static func read(_ files: [URL], folder: URL, budget: LessonBudget = .standard) -> LessonLibrary {
    var lessons: [Lesson] = []
    var errors: [LessonError] = []
    var warnings: [String: [String]] = [:]
    var ids: [String: String] = [:]
    for file in files {
      let name = displayName(file)
      let start = SourceLocation(file: name, line: 1, column: 1)
      let data: [UInt8]
      do { data = try RegularFile.read(file.path, limit: Self.largestFile, what: "a lesson file") } catch {
        errors.append(LessonError(start, error.message))
        continue
      }
      guard let text = String(validating: data, as: UTF8.self) else {
        errors.append(LessonError(start, "expected UTF-8 text"))
        continue
      }
      do {
        let (lesson, warned) = try LessonData(folder: folder).resolve(
          try LessonParser.parse(text, file: name))
        try budget.check(lesson)
        if let other = ids[lesson.id] {
          errors.append(LessonError(start, "the id \(lesson.id) is already used by \(other)"))
          continue
        }
        ids[lesson.id] = name
        lessons.append(lesson)
        if !warned.isEmpty { warnings[lesson.id] = warned }
      } catch let error as LessonError {
        errors.append(error)
      } catch {
        errors.append(LessonError(start, "\(error)"))
      }
    }
    return LessonLibrary(folder: folder, lessons: lessons, errors: errors, warnings: warnings)
  }

  /// A path relative to the current folder when it lies inside it, for short messages.
  static func displayName(_ file: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath + "/"
    return file.path.hasPrefix(cwd) ? String(file.path.dropFirst(cwd.count)) : file.path
  }

  /// Prints every load error to standard error.
  func reportErrors() {
    for error in errors { printError(error.description) }
  }

  /// Prints the warnings of `lessons` (those a command works on) to standard error, one line each.
  func reportWarnings(for lessons: [Lesson]) {
    for lesson in lessons {
      for warning in warnings[lesson.id] ?? [] { printError("convtour: " + warning) }
    }
  }

  /// Every warning, one line each, in the lessons' order (the tour's menu shows them).
  var allWarnings: [String] { lessons.flatMap { warnings[$0.id] ?? [] } }

  /// The lessons named by `ids` (all when empty); unknown ids are an error listing the known ones.
  func select(_ ids: [String]) throws -> [Lesson] {
    if ids.isEmpty || ids == ["all"] { return lessons }
    return try ids.map { id in
      guard let lesson = lessons.first(where: { $0.id == id }) else {
        let unread =
          errors.isEmpty
          ? "" : " (\(errors.count) lesson file\(errors.count == 1 ? "" : "s") did not load, above)"
        throw UsageError(
          "convtour: unknown lesson \"\(id)\"\(unread); the lessons are: \(lessons.map(\.id).joined(separator: ", "))"
        )
      }
      return lesson
    }
  }
}

/// A mistake on the command line or in a lesson: printed as one line, exit code 2.
struct UsageError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
