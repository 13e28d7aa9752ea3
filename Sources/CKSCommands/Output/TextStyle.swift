import Foundation
import KeyStoreEngine

/// Colours and symbols for terminal output: colour only on a terminal and not under NO_COLOR,
/// Unicode symbols only under a UTF-8 locale.
struct TextStyle: Sendable {
    var colour: Bool
    var unicode: Bool

    static func forStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> TextStyle {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let tty = isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
        let locale = environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? ""
        let utf8 = locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
        return TextStyle(colour: tty && !noColor, unicode: utf8)
    }

    static let plain = TextStyle(colour: false, unicode: false)

    func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String { paint(text, "1") }
    func dim(_ text: String) -> String { paint(text, "2") }
    func green(_ text: String) -> String { paint(text, "32") }
    func red(_ text: String) -> String { paint(text, "31") }
    func yellow(_ text: String) -> String { paint(text, "33") }
    func cyan(_ text: String) -> String { paint(text, "36") }

    var tick: String { unicode ? "✓" : "+" }
    var cross: String { unicode ? "✗" : "x" }
    var arrow: String { unicode ? "▸" : ">" }

    /// Symbol + word for a connection state, coloured by meaning.
    func badge(_ state: ConnectionState, errorCode: ConnectionErrorCode? = nil) -> String {
        let symbol: String = switch state {
        case .connected: unicode ? "●" : "*"
        case .connecting: unicode ? "◐" : "~"
        case .disconnected: unicode ? "○" : "o"
        case .disconnecting: unicode ? "◑" : "~"
        case .failed: unicode ? "✗" : "x"
        }
        var text = "\(symbol) \(state.rawValue)"
        if let errorCode { text += " (\(errorCode.rawValue))" }
        return switch state {
        case .connected: green(text)
        case .connecting, .disconnecting: yellow(text)
        case .disconnected: dim(text)
        case .failed: red(text)
        }
    }
}
