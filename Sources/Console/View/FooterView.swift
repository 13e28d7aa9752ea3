/// The bottom line: the prompt being typed, or the last message, or the keys of the current screen.
enum FooterView {
    static func draw(_ state: AppState, _ rect: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        if let prompt = state.prompt {
            let sigil = prompt.kind == .filter ? "/" : ":"
            frame.put(sigil, x: 1, y: rect.y, style: Style(.keyHint))
            let end = frame.put(prompt.text, x: 2, y: rect.y, style: Style(.strong), limit: rect.maxX - 1)
            frame.cursor = (min(end, rect.maxX - 1), rect.y)
            var hints = hintLine([.prompt], state)
            if prompt.kind == .filter {
                hints = StyledLine("\(state.table.order.count) of \(state.stores.count) match   ", .dim) + hints
            }
            if end + hints.width + 4 < rect.maxX { frame.put(hints, x: rect.maxX - hints.width - 1, y: rect.y) }
            if prompt.kind == .command, prompt.text.isEmpty {
                frame.put(glyphs.plain("connect NAME · disconnect NAME · sort state · filter TEXT · q"), x: 3, y: rect.y,
                          style: Style(.dim), limit: rect.maxX - hints.width - 3)
            }
            return
        }
        if let status = state.status {
            let role: StyleRole = switch status.kind {
            case .info: .statusInfo
            case .success: .statusSuccess
            case .error: .statusError
            }
            let mark = status.kind == .error ? glyphs.cross + " " : (status.kind == .success ? glyphs.check + " " : "")
            let text = glyphs.plain(mark + status.text)
            if status.kind == .error, TextWidth.of(text) > rect.width - 2 {
                // Cut: the whole error is the newest entry of the event log.
                let hint = StyledLine("  Tab", .keyHint) + StyledLine(" then ", .keyLabel) + StyledLine(glyphs.enter, .keyHint)
                    + StyledLine(" shows it whole", .keyLabel)
                let end = frame.put(text, x: 1, y: rect.y, style: Style(role), limit: max(2, rect.maxX - 1 - hint.width))
                frame.put(hint, x: end, y: rect.y, limit: rect.maxX - 1)
            } else {
                frame.put(text, x: 1, y: rect.y, style: Style(role), limit: rect.maxX - 1)
            }
            return
        }
        let end = frame.put(hintLine(contexts(state), state, width: rect.width - 2), x: 1, y: rect.y, limit: rect.maxX - 1)
        if state.modal == nil {
            // The global keys the header had no room for (`R region` stays beside the Region there).
            let inHeader = HeaderView.headerHints(state).commands
            let rest = HeaderView.globalBindings(state).map(\.command).filter { !inHeader.contains($0) && $0 != .switchRegion }
            if !rest.isEmpty {
                let global = HeaderView.globalHints(state, only: rest)
                let x = rect.maxX - global.width - 1
                if x > end + 2 { frame.put(global, x: x, y: rect.y) }
            }
        }
    }

    /// The contexts whose hints the footer shows now.
    static func contexts(_ state: AppState) -> [BindingContext] {
        switch state.modal {
        case .actions?: return [.menu]
        case .disconnect?, .delete?, .keyDeletion?, .quit?, .connectAfterRepair?, .simulatedFix?: return [.dialog]
        case .form?: return [.form]
        case .help?: return [.help]
        case .logEntry?: return [.entry]
        case .regionPicker?: return [.picker]
        case nil: return Reducer.screenContexts(state).filter { $0 != .screens }
        }
    }

    /// The hints of some contexts; with a width, the last whole hints that do not fit are left out.
    static func hintLine(_ contexts: [BindingContext], _ state: AppState, width: Int? = nil) -> StyledLine {
        let repairable: Bool = {
            guard case let .detail(id) = state.screen else { return false }
            return state.stores[id]?.connectionState == .failed || state.repairs[id] != nil
        }()
        var line = StyledLine()
        for hint in KeyBindings.footerHints(for: contexts, repairable: repairable, glyphs: state.glyphs) {
            var next = line
            if !next.spans.isEmpty { next.append("   ") }
            next.append(hint.keys, .keyHint)
            next.append(" " + hint.hint, .keyLabel)
            if let width, next.width > width, !line.spans.isEmpty { break }
            line = next
        }
        return line
    }
}
