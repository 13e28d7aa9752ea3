import Foundation

/// The help overlay, generated from the key-binding table; what the backend cannot do (switch Region on the
/// simulator) is greyed.
enum HelpDocument {
    static func lines(_ state: AppState) -> [StyledLine] {
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
                lines.append(StyledLine("  " + TextWidth.fit(keys, to: 22), greyed ? .menuDisabled : .keyHint)
                    + StyledLine(binding.help, greyed ? .menuDisabled : .normal))
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
    static func draw(_ scroll: Int, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let rect = screen.centered(width: min(screen.width, 100), height: screen.height - 2)
        let title = StyledLine("Help", .title) + StyledLine("  \(glyphs.dot) Esc closes, j/k scroll", .dim)
        let inside = frame.box(rect, title: title, glyphs: glyphs)
        let lines = HelpDocument.lines(state)
        let top = max(0, min(scroll, lines.count - inside.height))
        for (offset, line) in lines.dropFirst(top).prefix(inside.height).enumerated() {
            frame.put(line, x: inside.x, y: inside.y + offset, limit: inside.maxX)
        }
    }
}
