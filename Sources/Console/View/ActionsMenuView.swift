/// The "Key store actions" menu: every action, the forbidden ones greyed with the rules' reason.
enum ActionsMenuView {
    static let narrowest = 40
    static let widest = 64

    static func draw(_ menu: ActionsMenu, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let items = Reducer.menuItems(for: menu.storeId, in: state)
        let title = StyledLine("Key store actions", .title)
            + StyledLine(menu.storeId.flatMap { state.stores[$0] }.map { " \(glyphs.dot) \($0.name)" } ?? "", .strong)
        // As wide as the titles and reasons need, up to `widest`: a longer reason wraps under its action.
        let reasonIndent = "   "
        let needed = items.map { item in
            max(3 + TextWidth.of(item.title), item.disabledReason.map { reasonIndent.count + TextWidth.of(glyphs.plain($0)) } ?? 0)
        }.max() ?? 0
        let width = min(screen.width - 4, max(narrowest, min(widest, max(needed + 4, title.width + 6))))
        var lines: [(line: StyledLine, item: Int?)] = []
        for (index, item) in items.enumerated() {
            if item.kind == .create, index > 0 { lines.append((StyledLine(String(repeating: glyphs.horizontal, count: 12), .border), nil)) }
            let enabled = item.disabledReason == nil
            var line = StyledLine(String(item.hotkey), enabled ? .menuHotkey : .menuDisabled)
            line.append("  " + item.title, enabled ? .menuItem : .menuDisabled)
            lines.append((line, index))
            if let reason = item.disabledReason {
                for text in TextWidth.wrap(glyphs.plain(reason), to: max(10, width - 4 - reasonIndent.count)) {
                    lines.append((StyledLine(reasonIndent + text, .menuReason), nil))
                }
            }
        }
        let height = min(screen.height - 2, lines.count + 2)
        let rect = screen.centered(width: width, height: height)
        let inside = frame.box(rect, title: title, glyphs: glyphs)
        for (row, entry) in lines.prefix(inside.height).enumerated() {
            let y = inside.y + row
            let focused = entry.item == menu.cursor
            if focused {
                frame.fill(Rect(x: inside.x - 1, y: y, width: inside.width + 2, height: 1), style: Style(.normal, selected: true))
                frame.put(glyphs.pointer, x: inside.x - 1, y: y, style: Style(.accent, selected: true))
            }
            frame.put(entry.line, x: inside.x + 1, y: y, limit: inside.maxX, selected: focused)
        }
    }
}
