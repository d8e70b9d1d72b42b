import ConvTourEngine

/// The tensors with values a lesson run holds, by name. Reading one by `tensor(_:)` throws when
/// it is not there — a step that reads what no step computed is a lesson error at that step's
/// `run:` line, not a crash.
public struct TensorScope: Sendable {
  private var tensors: [String: Tensor] = [:]

  /// The tensor, or nil: for the places where a missing tensor is an answer (a shape-only one).
  public subscript(name: String) -> Tensor? {
    get { tensors[name] }
    set { tensors[name] = newValue }
  }

  /// The tensor `name`, which a step needs.
  public func tensor(_ name: String) throws -> Tensor {
    guard let t = tensors[name] else { throw Missing(name: name) }
    return t
  }

  /// The tensors, in order.
  public func tensors(_ names: [String]) throws -> [Tensor] { try names.map(tensor) }

  /// A tensor a step reads has no values here.
  public struct Missing: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var description: String {
      "\(name) has no values at this step: declare it with values or compute it in an earlier step"
    }
  }
}
