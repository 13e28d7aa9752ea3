/// The detail screen: a fixed title line, then a scrolling window over the `DetailDocument`.
enum DetailView {
    static func draw(_ state: AppState, storeId: String, _ rect: Rect, into frame: inout Frame) {
        guard rect.height > 1, let store = state.stores[storeId] else { return }
        let glyphs = state.glyphs
        let separator = glyphs.isASCII ? "> " : "› "
        var title = StyledLine("Custom key stores ", .dim)
        if store.type == .externalKeyStore { title.append(separator + "External key stores ", .dim) }
        title.append(separator, .dim)
        title.append(store.name, .title)
        title.append("   ")
        title = title + Badge.line(store, glyphs: glyphs, now: state.now.timeIntervalSinceReferenceDate)

        let lines = DetailDocument(state: state, width: rect.width).lines
        let visible = rect.height - 2
        let top = max(0, min(state.detailScroll, lines.count - visible))
        for (offset, line) in lines.dropFirst(top).prefix(visible).enumerated() {
            frame.put(line, x: 2, y: rect.y + 2 + offset, limit: rect.maxX - 1)
        }
        // The scroll position has its own place at the end of the title line: the title is cut before it.
        var titleEnd = rect.maxX - 1
        if lines.count > visible {
            let position = top + visible >= lines.count ? "end" : "\(Int(Double(top + visible) / Double(lines.count) * 100))%"
            let x = rect.maxX - TextWidth.of(position) - 1
            frame.put(position, x: x, y: rect.y, style: Style(.dim))
            titleEnd = x - 2
        }
        frame.put(title, x: 2, y: rect.y, limit: titleEnd)
    }
}
