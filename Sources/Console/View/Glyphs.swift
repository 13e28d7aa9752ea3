/// The symbols the console draws, in a UTF-8 set and a plain ASCII set (`--ascii`, or a non-UTF-8 locale).
public struct Glyphs: Sendable, Hashable {
    var connected: String
    var disconnected: String
    var failed: String
    var spinner: [String]
    var check: String
    var cross: String
    var pending: String
    var pointer: String
    var changed: String
    var sortAscending: String
    var sortDescending: String
    var ellipsis: String
    var arrow: String
    var dot: String
    var horizontal: String
    var vertical: String
    var topLeft: String
    var topRight: String
    var bottomLeft: String
    var bottomRight: String
    var enter: String
    var up: String
    var down: String
    var secret: String
    var warning: String
    var barFull: String
    var barEmpty: String
    /// Before a time that is a lower bound.
    var atLeast: String
    var isASCII: Bool

    public static let unicode = Glyphs(
        connected: "●", disconnected: "○", failed: "✗", spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
        check: "✓", cross: "✗", pending: "·", pointer: "▸", changed: "◆", sortAscending: "▲", sortDescending: "▼",
        ellipsis: "…", arrow: "→", dot: "·", horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮",
        bottomLeft: "╰", bottomRight: "╯", enter: "⏎", up: "↑", down: "↓", secret: "•", warning: "!", barFull: "█", barEmpty: "░",
        atLeast: "≥", isASCII: false
    )

    public static let ascii = Glyphs(
        connected: "*", disconnected: "o", failed: "x", spinner: ["|", "/", "-", "\\"],
        check: "+", cross: "x", pending: ".", pointer: ">", changed: "*", sortAscending: "^", sortDescending: "v",
        ellipsis: "~", arrow: "->", dot: "-", horizontal: "-", vertical: "|", topLeft: "+", topRight: "+",
        bottomLeft: "+", bottomRight: "+", enter: "Enter", up: "Up", down: "Down", secret: "*", warning: "!", barFull: "#", barEmpty: ".",
        atLeast: ">=", isASCII: true
    )

    /// The spinner frame for a moment: ten frames a second.
    func spinnerFrame(at seconds: Double) -> String {
        let index = Int((seconds * 10).rounded(.down)) % spinner.count
        return spinner[(index + spinner.count) % spinner.count]
    }

    /// Text from the engine made safe for this set: in ASCII mode, arrows, dashes and ellipses become ASCII.
    func plain(_ text: String) -> String {
        guard isASCII else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "→": result += "->"
            case "—", "–": result += "-"
            case "…": result += "..."
            case "≥": result += ">="
            case "·", "•": result += "-"
            case "‘", "’": result += "'"
            case "“", "”": result += "\""
            default:
                if scalar.isASCII { result.unicodeScalars.append(scalar) } else { result += "?" }
            }
        }
        return result
    }
}
