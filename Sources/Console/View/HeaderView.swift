import KeyStoreEngine

/// The top of the screen: where the stores come from, how many are in each state, the global keys.
enum HeaderView {
    static func draw(_ state: AppState, _ rect: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        var title = StyledLine(" cks ", .appName)
        title.append("  Custom key stores", .title)
        frame.put(title, x: 0, y: rect.y)

        var info = StyledLine()
        if state.readOnly {
            info.append(" READ-ONLY ", .readOnlyBanner)
            info.append("  ")
        }
        let backend = state.backend
        if !state.following {
            info.append("not live: r reloads", .warning)
            info.append("  ")
        }
        info.append([backend.name, backend.region, backend.accountId].filter { !$0.isEmpty }.joined(separator: " \(glyphs.dot) "), .headerInfo)
        if state.switchesRegions, !showsGlobalHints(state) {
            // Too narrow for the global hints: the key that switches Region stays in sight beside the Region.
            info.append("  ")
            info.append("R", .keyHint)
            info.append(" region", .keyLabel)
        }
        frame.put(info, x: max(TextWidth.of(" cks   Custom key stores") + 2, rect.maxX - info.width - 1), y: rect.y)

        frame.put(counts(state), x: 1, y: rect.y + 1, limit: rect.maxX - 1)
        if showsGlobalHints(state) {
            let hints = globalHints(state)
            frame.put(hints, x: rect.maxX - hints.width - 1, y: rect.y + 1)
        }

        let count = state.table.order.count
        if state.screen == .list, count > Layout(state).tableRows {
            let position = "\((state.table.selectedIndex ?? 0) + 1) of \(count)"
            frame.put(position, x: rect.maxX - TextWidth.of(position) - 1, y: rect.y + 2, style: Style(.dim))
        }
        if !state.table.filter.isEmpty, state.screen == .list, state.prompt?.kind != .filter {
            var line = StyledLine("/ ", .keyHint)
            line.append(state.table.filter, .strong)
            line.append("   \(state.table.order.count) of \(state.stores.count) stores   ", .dim)
            line.append("Esc", .keyHint)
            line.append(" clears", .keyLabel)
            frame.put(line, x: 1, y: rect.y + 2, limit: rect.maxX)
        }
    }

    /// `7 stores   ● 3 connected   ⠹ 1 connecting   ✗ 2 failed`
    static func counts(_ state: AppState) -> StyledLine {
        guard case .loaded = state.storesStatus else {
            if case .failed = state.storesStatus { return StyledLine("stores could not be loaded", .bad) }
            return StyledLine("loading key stores\(state.glyphs.ellipsis)", .dim)
        }
        let tally = state.table.measures.counts
        let total = state.stores.count
        var line = StyledLine(total == 1 ? "1 store" : "\(total) stores", .strong)
        let now = state.now.timeIntervalSinceReferenceDate
        for connection in [ConnectionState.connected, .connecting, .disconnecting, .disconnected, .failed] {
            guard let count = tally[connection], count > 0 else { continue }
            line.append("  ")
            line.append(Badge.symbol(connection, glyphs: state.glyphs, now: now) + " \(count) ", Badge.role(connection))
            line.append(connection.rawValue.lowercased(), Badge.role(connection))
        }
        return line
    }

    /// True when the keys that work everywhere fit beside the counts; otherwise the footer shows them.
    static func showsGlobalHints(_ state: AppState) -> Bool {
        counts(state).width + globalHints(state).width + 5 <= state.size.width
    }

    /// The keys that work on every screen, from the binding table (`R region` only where there are Regions).
    static func globalHints(_ state: AppState) -> StyledLine {
        var line = StyledLine()
        for binding in KeyBindings.table where binding.context == .screens {
            if binding.command == .switchRegion, !state.switchesRegions { continue }
            if !line.spans.isEmpty { line.append("  ") }
            line.append(binding.keys[0].label(state.glyphs), .keyHint)
            line.append(" " + binding.hint, .keyLabel)
        }
        return line
    }
}
