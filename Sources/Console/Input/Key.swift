/// A key press, decoded from the terminal.
public enum Key: Hashable, Sendable {
    case character(Character)
    /// Ctrl with a letter: `.control("l")` is Ctrl-L.
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)

    /// How the help overlay and the footer name the key.
    func label(_ glyphs: Glyphs) -> String {
        switch self {
        case let .character(c): c == " " ? "Space" : String(c)
        case let .control(c): "Ctrl-" + String(c).uppercased()
        case .up: glyphs.up
        case .down: glyphs.down
        case .left: glyphs.isASCII ? "Left" : "←"
        case .right: glyphs.isASCII ? "Right" : "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: glyphs.enter
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case let .function(n): "F\(n)"
        }
    }

    /// The character a text field takes from this key, if it is printable.
    var printable: Character? {
        if case let .character(c) = self { return c }
        return nil
    }
}
