/// The sizes a lesson may ask for, which the parser enforces on the file and the run on what it
/// computes: one place for both, so that the format does not depend on the interpreter.
public enum LessonLimits {
  /// The most values a tensor with values may hold on the reference path (Double, plain loops):
  /// 50 million, 400 MB. Larger tensors are declared `= shape`.
  public static let largestTensor = 50_000_000
  /// Shapes of at most 2⁵⁰ elements (shape-only tensors).
  public static let largestShape = 1 << 50
  /// The most epochs a repeat may run.
  public static let mostEpochs = 1_000_000
}
