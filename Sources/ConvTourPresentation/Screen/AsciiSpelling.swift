/// Text for a terminal without Unicode (LC_ALL=C): every character has an ASCII spelling,
/// never "?". A run of superscripts reads ^(…) or ^x (w⁽²⁾ → w^(2), e^zᵀ → Wᵀ → W^T), a run of
/// subscripts _… (w₁,₁ → w_1,1); Greek and mathematical signs are spelled out or approximated,
/// never as a character that reads as something else: the product dot "·" is "*" (a "." reads as a
/// decimal point) and the chrome's separator `Chrome.dot` is "|" (see `Chrome`), "Σ" is "sum"
/// followed by a space before a letter, "…" is "...".
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
      } else if let spelled = others[ch] {
        out += spelled
        // "Σx" → "sum x", not "sumx"; "Σ_c" and "Σ(" stay together.
        if ch == "Σ", k + 1 < characters.count, characters[k + 1].isLetter,
          subscripts[characters[k + 1]] == nil
        {
          out += " "
        }
        previous = .plain
      } else if ch.unicodeScalars.count > 1 {
        // A letter with a combining mark (δ̃: δ and a tilde above), spelled scalar by scalar: d~.
        for scalar in ch.unicodeScalars { out += text(String(scalar)) }
        previous = .plain
      } else {
        out += "."
        previous = .plain
      }
    }
    return out
  }

  enum Kind { case plain, superscript, `subscript` }

  static let superscripts: [Character: String] = [
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
    "⁽": "(", "⁾": ")", "⁺": "+", "⁻": "-", "ⁿ": "n", "ᵀ": "T", "ᵒ": "o", "ˡ": "l", "ⁱ": "i",
    "ᴸ": "L", "ᵏ": "k", "ᵐ": "m", "ᵛ": "v",
  ]
  static let subscripts: [Character: String] = [
    "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
    "₊": "+", "₋": "-", "₍": "(", "₎": ")", "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₗ": "l", "ₘ": "m", "ₙ": "n",
    "ₓ": "x", "ₒ": "o", "ₐ": "a", "ₑ": "e",
  ]
  static let others: [Character: String] = [
    "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "█": "#", "▓": "#", "▒": "+", "░": ".",
    "▀": "^", "▄": "_", "·": "*", "−": "-", "×": "x", "Σ": "sum", "Δ": "D", "∂": "d", "→": "->", "←": "<-",
    "↑": "^", "↓": "v", "≈": "~", "±": "+-", "⊙": "*", "ŷ": "y^", "σ": "s", "δ": "d", "ε": "eps", "…": "...",
    "—": "-", "–": "-", "°": "deg", "½": "1/2", "ô": "o", "÷": "/", "‖": "||", "“": "\"", "”": "\"",
    "′": "'", "ℓ": "l", "ℝ": "R", "↦": "|->", "∇": "grad ", "∈": " in ", "∗": "*", "≠": "!=", "≤": "<=",
    "≥": ">=", "⊘": "/", "⋆": "*", "⌊": "floor(", "⌋": ")", "▏": "|", "▶": ">", "◀": "<", "⟨": "<",
    "⟩": ">", "\u{0303}": "~", "η": "eta", "θ": "theta", "α": "alpha", "β": "beta", "μ": "mu", "ξ": "xi",
    "π": "pi", "§": "S", "Ŷ": "Y^", "ẋ": "x'", "ẏ": "y'", "√": "sqrt", "∞": "inf", "⌈": "ceil(", "⌉": ")",
    "⅓": "1/3", "∃": "exists ", "∩": " and ", "∅": "{}", "↔": "<->",
    "┤": "+", "▪": "#", "◆": "*", Chrome.dot: Chrome.asciiDot,
  ]

  /// Whether `ch` is ASCII or has a spelling of its own (the rest read ".").
  static func spells(_ ch: Character) -> Bool {
    if ch.isASCII || superscripts[ch] != nil || subscripts[ch] != nil || others[ch] != nil { return true }
    return ch.unicodeScalars.count > 1 && ch.unicodeScalars.allSatisfy { spells(Character($0)) }
  }
}
