/// The Region picker: the backend's Regions with their names, the current one marked, narrowed by typing.
enum RegionPickerView {
    static func draw(_ picker: RegionPicker, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let matches = picker.matches(state.regionChoices)
        let cursor = picker.cursor(in: matches)
        let width = min(screen.width - 4, 60)
        let textWidth = width - 4
        var notes: [StyledLine] = []
        if let endpoint = state.backend.endpoint {
            notes = TextWidth.wrap("Every Region goes to \(endpoint) (--endpoint-url); the Region only signs the requests.",
                                   to: textWidth).map { StyledLine(glyphs.plain($0), .dim) }
        }
        let room = screen.height - 2 - 2 - 2 - (notes.isEmpty ? 0 : notes.count + 1)
        let rows = max(1, min(max(1, matches.count), room))
        let height = 2 + 2 + rows + (notes.isEmpty ? 0 : notes.count + 1)
        let title = StyledLine("Switch Region", .title) + StyledLine(" \(glyphs.dot) \(state.backend.name)", .strong)
        let inside = frame.box(screen.centered(width: width, height: min(height, screen.height - 2)), title: title, glyphs: glyphs)

        let count = StyledLine(cursor.map { "\($0 + 1) of \(matches.count)" } ?? "0 of \(state.regionChoices.count)", .dim)
        frame.put("/ ", x: inside.x, y: inside.y, style: Style(.keyHint))
        if picker.filter.isEmpty {
            frame.put("type to filter: eu, tokyo\(glyphs.ellipsis)", x: inside.x + 2, y: inside.y, style: Style(.dim),
                      limit: inside.maxX - count.width - 1)
            frame.cursor = (inside.x + 2, inside.y)
        } else {
            let end = frame.put(picker.filter, x: inside.x + 2, y: inside.y, style: Style(.strong), limit: inside.maxX - count.width - 1)
            frame.cursor = (end, inside.y)
        }
        frame.put(count, x: inside.maxX - count.width, y: inside.y)

        let listTop = inside.y + 2
        if matches.isEmpty {
            frame.put(glyphs.plain("No Region matches \"\(picker.filter)\"; Backspace widens the list."), x: inside.x, y: listTop,
                      style: Style(.dim), limit: inside.maxX)
        }
        let top = max(0, min((cursor ?? 0) - rows / 2, matches.count - rows))
        for (offset, region) in matches.dropFirst(top).prefix(rows).enumerated() {
            let y = listTop + offset
            let focused = top + offset == cursor
            if focused {
                frame.fill(Rect(x: inside.x - 1, y: y, width: inside.width + 2, height: 1), style: Style(.normal, selected: true))
                frame.put(glyphs.pointer, x: inside.x - 1, y: y, style: Style(.accent, selected: true))
            }
            frame.put(entry(region, current: region == state.backend.region, glyphs: glyphs), x: inside.x + 1, y: y,
                      limit: inside.maxX, selected: focused)
        }
        for (index, note) in notes.enumerated() {
            frame.put(note, x: inside.x, y: listTop + rows + 1 + index, limit: inside.maxX)
        }
    }

    /// `● us-east-1        US East (N. Virginia)   current`
    static func entry(_ region: String, current: Bool, glyphs: Glyphs) -> StyledLine {
        var line = StyledLine(current ? glyphs.connected + " " : "  ", .accent)
        line.append(TextWidth.fit(region, to: 17), current ? .accent : .strong)
        line.append(TextWidth.fit(RegionNames.name(of: region) ?? "", to: 27), .normal)
        if current { line.append("current", .accent) }
        return line
    }
}
