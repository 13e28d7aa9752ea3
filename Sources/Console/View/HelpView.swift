import Foundation

/// The help overlay, generated from the key-binding table; what the backend cannot do (switch Region on the
/// simulator) is greyed.
enum HelpDocument {
    /// The help's lines for a width: each binding's sentence wraps under its own column, never cut.
    static func lines(_ state: AppState, width: Int) -> [StyledLine] {
        let glyphs = state.glyphs
        var lines: [StyledLine] = []
        for context in BindingContext.allCases {
            let bindings = KeyBindings.table.filter { $0.context == context }
            guard !bindings.isEmpty else { continue }
            if !lines.isEmpty { lines.append("") }
            lines.append(StyledLine(context.title, .sectionTitle))
            for binding in bindings {
                let keys = binding.keys.map { $0.label(glyphs) }.joined(separator: " ")
                let greyed = binding.command == .switchRegion && !state.switchesRegions
                let keyColumn = min(24, max(8, width / 3))
                let indent = String(repeating: " ", count: keyColumn)
                let keyRole: StyleRole = greyed ? .menuDisabled : .keyHint
                var label = "  " + TextWidth.fit(keys, to: keyColumn - 3) + " "
                if TextWidth.of(keys) > keyColumn - 3 {
                    // Keys wider than their column get a line of their own; the sentence goes under it.
                    lines.append(StyledLine("  " + keys, keyRole))
                    label = indent
                }
                let help = TextWidth.wrap(binding.help, to: max(8, width - keyColumn))
                for (row, text) in help.enumerated() {
                    lines.append(StyledLine(row == 0 ? label : indent, keyRole) + StyledLine(text, greyed ? .menuDisabled : .normal))
                }
            }
        }
        lines.append("")
        lines.append(StyledLine("Commands after :", .sectionTitle))
        for command in ConsoleCommand.summary.split(separator: ",") {
            lines.append(StyledLine("  :" + command.trimmingCharacters(in: .whitespaces), .keyHint))
        }
        return lines
    }
}

/// Draws the help in a large box; j/k scroll it.
enum HelpView {
    /// The box on a screen of the state's size.
    static func box(_ state: AppState) -> Rect {
        let screen = Rect(x: 0, y: 0, width: state.size.width, height: state.size.height)
        return screen.centered(width: min(screen.width, 100), height: screen.height - 2)
    }

    /// The columns of text inside the box.
    static func textWidth(_ state: AppState) -> Int { max(0, box(state).width - 4) }

    /// The rows of text inside the box.
    static func visibleRows(_ state: AppState) -> Int { max(1, box(state).height - 2) }

    static func draw(_ scroll: Int, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let rect = box(state)
        let title = StyledLine("Help", .title) + StyledLine("  \(glyphs.dot) Esc closes, j/k scroll", .dim)
        let inside = frame.box(rect, title: title, glyphs: glyphs)
        let lines = HelpDocument.lines(state, width: inside.width)
        let top = max(0, min(scroll, lines.count - inside.height))
        for (offset, line) in lines.dropFirst(top).prefix(inside.height).enumerated() {
            frame.put(line, x: inside.x, y: inside.y + offset, limit: inside.maxX)
        }
    }
}
