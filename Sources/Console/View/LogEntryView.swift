import Foundation

/// One entry of the event log in full: its time, store and kind, then its whole text wrapped, so that a long
/// error and the fix it names can be read (Enter in the log).
enum LogEntryView {
    static func box(_ state: AppState) -> Rect {
        let screen = Rect(x: 0, y: 0, width: state.size.width, height: state.size.height)
        return screen.centered(width: min(screen.width - 4, 100), height: screen.height - 4)
    }

    static func lines(index: Int, _ state: AppState) -> [StyledLine] {
        guard state.log.entries.indices.contains(index) else { return [] }
        let entry = state.log.entries[index]
        let glyphs = state.glyphs
        let width = max(10, box(state).width - 4)
        let kind = switch entry.kind {
        case .event: "event"
        case .command: "command run here"
        case .error: "error"
        }
        var lines: [StyledLine] = [
            .field("Time", StyledLine(Formatting.dateTime(entry.time, state.timeZone), .logTime), labelWidth: 8),
            .field("Store", StyledLine(entry.storeName ?? "-", .logStore), labelWidth: 8),
            .field("Kind", StyledLine(kind, entry.kind == .error ? .logError : .normal), labelWidth: 8),
            "",
        ]
        let role: StyleRole = switch entry.kind {
        case .event: .normal
        case .command: .logCommand
        case .error: .logError
        }
        lines += TextWidth.wrap(glyphs.plain(entry.text), to: width).map { StyledLine($0, role) }
        if entry.copyText != nil {
            lines.append("")
            lines.append(StyledLine("y", .keyHint) + StyledLine(" copies the command", .keyLabel))
        }
        return lines
    }

    static func visibleRows(index: Int, _ state: AppState) -> Int {
        max(1, min(box(state).height, lines(index: index, state).count + 2) - 2)
    }

    static func draw(index: Int, scroll: Int, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let lines = lines(index: index, state)
        let full = box(state)
        let rect = full.centered(width: full.width, height: min(full.height, lines.count + 2))
        let title = StyledLine("Event \(index + 1) of \(state.log.entries.count)", .title)
            + StyledLine("  \(glyphs.dot) Esc closes", .dim)
        let inside = frame.box(rect, title: title, glyphs: glyphs)
        let top = max(0, min(scroll, lines.count - inside.height))
        for (offset, line) in lines.dropFirst(top).prefix(inside.height).enumerated() {
            frame.put(line, x: inside.x, y: inside.y + offset, limit: inside.maxX)
        }
    }
}
