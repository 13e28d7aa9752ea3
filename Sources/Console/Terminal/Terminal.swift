import CNCursesW
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only code that talks to ncurses: it starts and restores the terminal, reads keys, and writes the
/// cells of a frame that differ from the last one it wrote.
@MainActor
final class Terminal {
    /// Why the terminal could not be started.
    struct StartError: Error {
        var message: String
    }

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let resolver: StyleResolver
    private var attributes: [Style: (attr_t, Int16)] = [:]
    private var pairs: [ResolvedPair: Int16] = [:]
    private var maximumPairs: Int
    private var previous: Frame?
    private var cursorVisible = false
    private var ended = false

    private struct ResolvedPair: Hashable {
        var foreground: Int
        var background: Int
    }

    /// Starts ncurses on the controlling terminal. `colors` false means no colour at all (NO_COLOR).
    init(theme: Theme, colors: Bool) throws(StartError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw StartError(message: "The console needs a terminal: run cks in one, or use cks list.")
        }
        guard let output = fdopen(dup(STDOUT_FILENO), "w"), let input = fdopen(dup(STDIN_FILENO), "r"),
              let screen = newterm(nil, output, input) else {
            let term = String(cString: getenv("TERM") ?? strdup("(unset)"))
            throw StartError(message: "ncurses cannot drive this terminal (TERM=\(term)).")
        }
        self.screen = screen
        set_term(screen)
        window = cn_stdscr()
        raw()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)
        curs_set(0)
        var colorCount = 0
        if colors, has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(cn_colors()) >= 256 ? 256 : (Int(cn_colors()) >= 16 ? 16 : 8)
        }
        maximumPairs = colorCount == 0 ? 0 : min(Int(cn_color_pairs()) - 1, 255)
        resolver = StyleResolver(theme: theme, colorCount: colorCount)
    }

    /// The bytes that put the terminal back as it was, for the crash handler (written without ncurses).
    func restoreSequence() -> [UInt8] {
        var bytes: [UInt8] = []
        for capability in ["sgr0", "clear", "cnorm", "rmkx", "rmcup"] {
            guard let value = tigetstr(capability), Int(bitPattern: value) != -1 else { continue }
            bytes += Array(String(cString: value).utf8)
        }
        return bytes
    }

    var size: Size {
        var rows: Int32 = 0, columns: Int32 = 0
        cn_getmaxyx(window, &rows, &columns)
        return Size(width: Int(columns), height: Int(rows))
    }

    /// Asks the tty its size (after SIGWINCH) and tells ncurses.
    func updateSize() {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 {
            resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        }
        previous = nil
    }

    /// Every key waiting, without blocking; `resized` is true when ncurses reported a new size.
    func readKeys() -> (keys: [Key], resized: Bool) {
        var keys: [Key] = []
        var resized = false
        var character: wint_t = 0
        while true {
            let result = wget_wch(window, &character)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if Int32(character) == cn_key_resize() {
                    resized = true
                } else if let key = Self.decodeFunctionKey(Int32(character)) {
                    keys.append(key)
                }
            } else if let key = Self.decodeCharacter(UInt32(character)) {
                keys.append(key)
            }
        }
        return (keys, resized)
    }

    /// Forgets what is on the screen, so the next draw repaints every cell (Ctrl-L).
    func invalidate() {
        clearok(window, true)
        previous = nil
    }

    /// Writes the cells that changed since the last frame, then shows them in one update.
    func draw(_ frame: Frame) {
        if previous?.width != frame.width || previous?.height != frame.height {
            werase(window)
            previous = nil
        }
        let changed = frame.changedCells(since: previous)
        for index in changed {
            write(frame.cells[index], x: index % frame.width, y: index / frame.width)
        }
        var wrote = !changed.isEmpty
        let wantsCursor = frame.cursor != nil
        if wantsCursor != cursorVisible {
            curs_set(wantsCursor ? 1 : 0)
            cursorVisible = wantsCursor
            wrote = true
        }
        if let cursor = frame.cursor {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            wrote = true
        }
        previous = frame
        if wrote {
            wnoutrefresh(window)
            doupdate()
        }
    }

    /// Puts text on the system clipboard through the terminal (OSC 52), which tmux and most terminals accept.
    func copyToClipboard(_ text: String) {
        let sequence = "\u{1B}]52;c;" + Base64.encode(Array(text.utf8)) + "\u{07}"
        let bytes = Array(sequence.utf8)
        _ = bytes.withUnsafeBufferPointer { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Ends ncurses and gives the terminal back as it was. The screen is blanked first: a terminal resized while
    /// the console ran may move lines of the alternate screen onto the shell's when it leaves it (tmux does).
    func end() {
        guard !ended else { return }
        ended = true
        werase(window)
        clearok(window, true)
        wrefresh(window)
        curs_set(1)
        endwin()
        delscreen(screen)
    }

    private func write(_ cell: Cell, x: Int, y: Int) {
        let (attributes, pair) = self.attributes(for: cell.style)
        var character = cchar_t()
        var scalars = cell.text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        scalars.append(0)
        setcchar(&character, scalars, attributes, pair, nil)
        mvwadd_wch(window, Int32(y), Int32(x), &character)
    }

    private func attributes(for style: Style) -> (attr_t, Int16) {
        if let known = attributes[style] { return known }
        let resolved = resolver.resolve(style)
        var value = cn_a_normal()
        if resolved.bold { value |= cn_a_bold() }
        if resolved.dim { value |= cn_a_dim() }
        if resolved.underline { value |= cn_a_underline() }
        if resolved.reverse { value |= cn_a_reverse() }
        let result = (value, pair(ResolvedPair(foreground: resolved.foreground, background: resolved.background)))
        attributes[style] = result
        return result
    }

    /// A colour pair for two colours, made once; pair 0 (the terminal's colours) when pairs run out.
    private func pair(_ colors: ResolvedPair) -> Int16 {
        if colors.foreground < 0, colors.background < 0 { return 0 }
        if let known = pairs[colors] { return known }
        guard pairs.count < maximumPairs else { return 0 }
        let number = Int16(pairs.count + 1)
        init_pair(number, Int16(colors.foreground), Int16(colors.background))
        pairs[colors] = number
        return number
    }

    private static func decodeCharacter(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 0..<32: return nil
        default: return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }

    private static func decodeFunctionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_NPAGE: .pageDown
        case KEY_PPAGE: .pageUp
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_BTAB: .backTab
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_ENTER: .enter
        case KEY_F0 + 1...KEY_F0 + 12: .function(Int(code - KEY_F0))
        default: nil
        }
    }
}

/// Base64 for OSC 52, without Foundation.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : "=")
            }
            index += 3
        }
        return output
    }
}
