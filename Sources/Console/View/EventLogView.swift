/// The event log pane: every engine event with its time, and each action's `aws kms …` command.
enum EventLogView {
    /// The store name's column: 18 wide, narrower on narrow terminals so that the text keeps its room.
    static func storeColumn(_ width: Int) -> Int { min(18, max(8, (width - 12) / 5)) }

    static func draw(_ state: AppState, _ rect: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let log = state.log
        let title = StyledLine("Events", log.focused ? .accent : .sectionTitle)
        let trailing = log.focused
            ? StyledLine("y", .keyHint) + StyledLine(" copies the command", .keyLabel)
            : StyledLine("Tab", .keyHint) + StyledLine(" focus  ", .keyLabel) + StyledLine("l", .keyHint) + StyledLine(" hide", .keyLabel)
        frame.rule(y: rect.y, x: 0, width: rect.width, title: title, trailing: trailing, glyphs: glyphs)

        let rows = rect.height - 1
        guard !log.entries.isEmpty else {
            frame.put("Nothing yet: events from the engine and the commands you run appear here.", x: 2, y: rect.y + 1,
                      style: Style(.dim), limit: rect.maxX - 1)
            return
        }
        let cursor = log.focused ? (log.cursor ?? log.entries.count - 1) : nil
        let last = max(rows, (cursor ?? log.entries.count - 1) + 1)
        let first = max(0, min(log.entries.count, last) - rows)
        for (offset, index) in (first..<min(log.entries.count, first + rows)).enumerated() {
            let y = rect.y + 1 + offset
            let selected = index == cursor
            if selected { frame.fill(Rect(x: 0, y: y, width: rect.width, height: 1), style: Style(.normal, selected: true)) }
            frame.put(line(log.entries[index], state), x: 1, y: y, limit: rect.maxX - 1, selected: selected)
        }
    }

    static func line(_ entry: LogEntry, _ state: AppState) -> StyledLine {
        let glyphs = state.glyphs
        var line = StyledLine(Formatting.time(entry.time, state.timeZone) + "  ", .logTime)
        line.append(TextWidth.fit(entry.storeName ?? "", to: storeColumn(state.size.width), ellipsis: glyphs.ellipsis) + "  ", .logStore)
        let role: StyleRole = switch entry.kind {
        case .event: .normal
        case .command: .logCommand
        case .error: .logError
        }
        line.append(glyphs.plain(entry.text), role)
        return line
    }
}
