/// Text for a terminal without Unicode (LC_ALL=C): every character has an ASCII spelling,
/// never "?". A run of superscripts reads ^(…) or ^x (w⁽²⁾ → w^(2), e^zᵀ → Wᵀ → W^T), a run of
/// subscripts _… (w₁,₁ → w_1,1); Greek and mathematical signs are spelled out or approximated.
enum AsciiSpelling {
  static func text(_ s: String) -> String {
    var out = ""
    var previous: Kind = .plain
    let characters = Array(s)
    for (k, ch) in characters.enumerated() {
      if ch.isASCII {
        // A comma between subscripts stays in the run: w₁,₁ → w_1,1.
        let inSubscripts =
          ch == "," && previous == .subscript && k + 1 < characters.count
          && subscripts[characters[k + 1]] != nil
        out.append(ch)
        if !inSubscripts { previous = .plain }
        continue
      }
      if let sup = superscripts[ch] {
        if previous != .superscript { out += "^" }
        out += sup
        previous = .superscript
      } else if let sub = subscripts[ch] {
        if previous != .subscript { out += "_" }
        out += sub
        previous = .subscript
      } else {
        out += others[ch] ?? "."
        previous = .plain
      }
    }
    return out
  }

  enum Kind { case plain, superscript, `subscript` }

  static let superscripts: [Character: String] = [
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
    "⁽": "(", "⁾": ")", "⁺": "+", "⁻": "-", "ⁿ": "n", "ᵀ": "T", "ᵒ": "o", "ˡ": "l", "ⁱ": "i",
  ]
  static let subscripts: [Character: String] = [
    "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
    "₊": "+", "₋": "-", "₍": "(", "₎": ")", "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₗ": "l", "ₘ": "m", "ₙ": "n",
    "ₓ": "x", "ₒ": "o", "ₐ": "a", "ₑ": "e",
  ]
  static let others: [Character: String] = [
    "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "█": "#", "▓": "#", "▒": "+", "░": ".",
    "▀": "^", "▄": "_", "·": ".", "−": "-", "×": "x", "Σ": "S", "Δ": "D", "∂": "d", "→": "->", "←": "<-",
    "↑": "^", "↓": "v", "≈": "~", "±": "+-", "⊙": "*", "ŷ": "y^", "σ": "s", "δ": "d", "ε": "eps", "…": "...",
    "—": "-", "–": "-", "°": "deg", "½": "1/2", "ô": "o", "÷": "/", "‖": "||", "“": "\"", "”": "\"",
    "′": "'", "ℓ": "l", "ℝ": "R", "↦": "|->", "∇": "grad ", "∈": " in ", "∗": "*", "≠": "!=", "≤": "<=",
    "≥": ">=", "⊘": "/", "⋆": "*", "⌊": "floor(", "⌋": ")", "▏": "|", "▶": ">", "◀": "<", "⟨": "<",
    "⟩": ">", "\u{0303}": "~",
  ]
}
