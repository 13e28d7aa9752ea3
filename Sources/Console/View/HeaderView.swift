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
        var regionKey = StyledLine()
        if state.switchesRegions, !headerHints(state).commands.contains(.switchRegion) {
            // Too narrow for the global hints: the key that switches Region stays in sight beside the Region.
            regionKey = StyledLine("  ") + StyledLine("R", .keyHint) + StyledLine(" region", .keyLabel)
        }
        // Narrower, the backend's name goes, then the Region: the account ID stays whole.
        let start = TextWidth.of(" cks   Custom key stores") + 2
        let accountId = backend.accountId
        let choices = [[backend.name, backend.region, accountId], [backend.region, accountId], [accountId]]
        // A credential note shortens before the backend's words go.
        let notes = credentialNote(state).map { [$0.full + StyledLine("  "), $0.short + StyledLine("  ")] } ?? [StyledLine()]
        let lines = choices.flatMap { parts in
            notes.map { note in
                info + note + StyledLine(parts.filter { !$0.isEmpty }.joined(separator: " \(glyphs.dot) "), .headerInfo) + regionKey
            }
        }
        let line = lines.first { $0.width <= rect.maxX - 1 - start } ?? lines[lines.count - 1]
        frame.put(line, x: max(start, rect.maxX - line.width - 1), y: rect.y, limit: rect.maxX)

        let fitted = headerHints(state)
        frame.put(fitted.counts, x: 1, y: rect.y + 1, limit: rect.maxX - 1)
        if !fitted.commands.isEmpty {
            let hints = globalHints(state, only: fitted.commands)
            frame.put(hints, x: rect.maxX - hints.width - 1, y: rect.y + 1)
        }

        let count = state.table.order.count
        if state.screen == .list {
            // The selected store's ID when the table has no room for its column; where it is in a long table.
            var parts: [String] = []
            if let id = state.table.selectedId, !state.table.order.isEmpty,
               !StoreTableView.columns(for: state, width: rect.width).contains(where: { $0.column == .id }) {
                parts.append(id)
            }
            if count > Layout(state).tableRows { parts.append("\((state.table.selectedIndex ?? 0) + 1) of \(count)") }
            let position = parts.joined(separator: "  ")
            if !position.isEmpty {
                frame.put(position, x: rect.maxX - TextWidth.of(position) - 1, y: rect.y + 2, style: Style(.dim))
            }
        }
        if !state.table.filter.isEmpty, state.screen == .list, state.prompt?.kind != .filter {
            var line = StyledLine("/ ", .keyHint)
            line.append(state.table.filter, .strong)
            // Of the tab shown: the filter applies to its table only.
            let kind = state.tab == .externalKeyStore ? "external key stores" : "CloudHSM key stores"
            line.append("   \(state.table.order.count) of \(state.table.measures.total) \(kind)   ", .dim)
            line.append("Esc", .keyHint)
            line.append(" clears", .keyLabel)
            frame.put(line, x: 1, y: rect.y + 2, limit: rect.maxX)
        }
    }

    /// What the header says of the backend's credentials when they are in trouble (the reason is in the log), in
    /// full and short.
    static func credentialNote(_ state: AppState) -> (full: StyledLine, short: StyledLine)? {
        switch state.credentialStatus {
        case let .refreshFailing(_, until)?:
            let time = Formatting.time(until, state.timeZone)
            return (StyledLine("\(state.glyphs.warning) credentials not refreshing, valid until \(time): see log", .warning),
                    StyledLine("\(state.glyphs.warning) credentials until \(time)", .warning))
        case .failed?:
            return (StyledLine("\(state.glyphs.failed) credentials failed: see log", .bad),
                    StyledLine("\(state.glyphs.failed) credentials failed", .bad))
        case .valid?, nil:
            return nil
        }
    }

    /// `7 stores  ● 3 connected  ⠹ 1 connecting  ✗ 2 failed`; shorter levels keep only the symbols and numbers
    /// (level 1: of connected and disconnected, level 2: of every state but failed, level 3: "7" for "7 stores").
    /// The failed count always keeps its word: it is the one that needs attention.
    static func counts(_ state: AppState, level: Int = 0) -> StyledLine {
        guard case .loaded = state.storesStatus else {
            if case .failed = state.storesStatus { return StyledLine("stores could not be loaded", .bad) }
            return StyledLine("loading key stores\(state.glyphs.ellipsis)", .dim)
        }
        let tally = state.table.measures.counts
        let total = state.stores.count
        var line = StyledLine(level >= 3 ? "\(total)" : (total == 1 ? "1 store" : "\(total) stores"), .strong)
        let now = state.now.timeIntervalSinceReferenceDate
        for connection in [ConnectionState.connected, .connecting, .disconnecting, .disconnected, .failed] {
            guard let count = tally[connection], count > 0 else { continue }
            let worded = switch connection {
            case .failed: true
            case .connected, .disconnected: level < 1
            default: level < 2
            }
            line.append("  ")
            line.append(Badge.symbol(connection, glyphs: state.glyphs, now: now) + " \(count)", Badge.role(connection))
            if worded { line.append(" " + connection.rawValue.lowercased(), Badge.role(connection)) }
        }
        return line
    }

    /// The counts line and the global keys shown beside it, for the width: the whole counts and every global
    /// key when they fit; otherwise shorter counts; then only `? help`. Keys left out here go to the footer.
    static func headerHints(_ state: AppState) -> (counts: StyledLine, commands: [Command]) {
        let width = state.size.width
        let all = globalBindings(state).map(\.command)
        let help = all.filter { $0 == .help }
        for commands in [all, help] {
            let hints = globalHints(state, only: commands).width
            for level in 0...3 {
                let line = counts(state, level: level)
                if line.width + hints + 5 <= width { return (line, commands) }
            }
        }
        for level in 0...3 {
            let line = counts(state, level: level)
            if line.width + 2 <= width || level == 3 { return (line, []) }
        }
        return (counts(state, level: 3), [])
    }

    /// True when every key that works everywhere is in the header; otherwise the footer shows the rest.
    static func showsGlobalHints(_ state: AppState) -> Bool {
        headerHints(state).commands.count == globalBindings(state).count
    }

    /// The bindings that work on every screen (`R region` only where there are Regions).
    static func globalBindings(_ state: AppState) -> [KeyBinding] {
        KeyBindings.table.filter { binding in
            binding.context == .screens && (binding.command != .switchRegion || state.switchesRegions)
        }
    }

    /// The keys that work on every screen, from the binding table; `only` keeps some commands.
    static func globalHints(_ state: AppState, only commands: [Command]? = nil) -> StyledLine {
        var line = StyledLine()
        for binding in globalBindings(state) {
            if let commands, !commands.contains(binding.command) { continue }
            if !line.spans.isEmpty { line.append("  ") }
            line.append(binding.keys[0].label(state.glyphs), .keyHint)
            line.append(" " + binding.hint, .keyLabel)
        }
        return line
    }
}
