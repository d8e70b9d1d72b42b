/// A JSON value written with its keys in the order given, so output is byte-identical run to run.
public indirect enum JSONValue: Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case integer(Int)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// Pretty-printed with two-space indents; arrays of numbers stay on one line.
  public func rendered() -> String {
    var out = ""
    write(into: &out, indent: 0)
    out.append("\n")
    return out
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: false
    default: true
    }
  }

  private func write(into out: inout String, indent: Int) {
    switch self {
    case .null: out.append("null")
    case .bool(let b): out.append(b ? "true" : "false")
    case .integer(let i): out.append(String(i))
    case .number(let x): out.append(JSONValue.format(x))
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out.append("[]")
      } else if items.allSatisfy(\.isScalar) {
        out.append("[")
        for (k, item) in items.enumerated() {
          if k > 0 { out.append(", ") }
          item.write(into: &out, indent: indent)
        }
        out.append("]")
      } else {
        out.append("[\n")
        for (k, item) in items.enumerated() {
          out.append(String(repeating: " ", count: indent + 2))
          item.write(into: &out, indent: indent + 2)
          out.append(k == items.count - 1 ? "\n" : ",\n")
        }
        out.append(String(repeating: " ", count: indent) + "]")
      }
    case .object(let members):
      if members.isEmpty {
        out.append("{}")
        return
      }
      out.append("{\n")
      for (k, (key, value)) in members.enumerated() {
        out.append(String(repeating: " ", count: indent + 2))
        JSONValue.quote(key, into: &out)
        out.append(": ")
        value.write(into: &out, indent: indent + 2)
        out.append(k == members.count - 1 ? "\n" : ",\n")
      }
      out.append(String(repeating: " ", count: indent) + "}")
    }
  }

  /// The shortest text that reads back as the same Double; integers without ".0";
  /// NaN and infinities (not JSON numbers) as null.
  static func format(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
  }

  static func quote(_ s: String, into out: inout String) {
    out.append("\"")
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out.append("\\\"")
      case "\\": out.append("\\\\")
      case "\n": out.append("\\n")
      case "\t": out.append("\\t")
      case "\r": out.append("\\r")
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out.append("\"")
  }
}
