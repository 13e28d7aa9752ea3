import KeyStoreEngine

/// Draws whatever dialog is open over the screen.
enum ModalView {
    static func draw(_ modal: Modal, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        switch modal {
        case let .actions(menu): ActionsMenuView.draw(menu, state, screen, into: &frame)
        case let .disconnect(dialog): DisconnectDialogView.draw(dialog, state, screen, into: &frame)
        case let .delete(dialog): DeleteDialogView.draw(dialog, state, screen, into: &frame)
        case let .connectAfterRepair(id, focus): drawConnectAfterRepair(id, focus, state, screen, into: &frame)
        case let .form(form): FormView.draw(form, state, screen, into: &frame)
        case let .help(scroll): HelpView.draw(scroll, state, screen, into: &frame)
        case let .quit(focus): drawQuit(focus, state, screen, into: &frame)
        }
    }

    /// A dialog box sized for its lines and buttons, centred; returns the inside.
    static func dialog(_ title: StyledLine, lines: [StyledLine], in screen: Rect, width wanted: Int, state: AppState,
                       into frame: inout Frame, danger: Bool = false) -> Rect {
        let width = min(screen.width - 4, max(wanted, title.width + 8))
        let height = min(screen.height - 2, lines.count + 4)
        let rect = screen.centered(width: width, height: height)
        let inside = frame.box(rect, title: title, glyphs: state.glyphs, border: danger ? .bad : .border)
        for (index, line) in lines.prefix(max(0, inside.height - 2)).enumerated() {
            frame.put(line, x: inside.x, y: inside.y + 1 + index, limit: inside.maxX)
        }
        return inside
    }

    private static func drawQuit(_ focus: Int, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let running = state.runningWorkflows
        var lines: [StyledLine] = [StyledLine(running.count == 1 ? "This is still running:" : "These are still running:", .normal)]
        for workflow in running.prefix(6) {
            lines.append(StyledLine("  ") + WorkflowTrayView.line(workflow, state, width: 66))
        }
        lines.append("")
        lines += TextWidth.wrap("They go on after you quit: KMS (and the simulator, whose workflows are durable) finishes them without cks. Open cks again or run `cks list` to see how they end.", to: 66).map { StyledLine($0, .normal) }
        lines.append("")
        let inside = dialog(StyledLine("Quit cks?", .title), lines: lines, in: screen, width: 72, state: state, into: &frame)
        frame.buttons([("Quit", false, true), ("Stay", false, true)], focus: focus, row: inside.maxY - 1, right: inside.maxX)
    }

    private static func drawConnectAfterRepair(_ id: String, _ focus: Int, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let name = state.stores[id]?.name ?? id
        let width = min(screen.width - 4, 90)
        var lines = TextWidth.wrap("The last step of the repair: connect \(name) again, once the cause is fixed. Its progress shows below the table.", to: width - 4)
            .map { StyledLine($0, .normal) }
        lines.append("")
        lines.append(StyledLine("$ " + AWSCommandLine.connect(id, backend: state.backend), .logCommand).truncated(to: width - 4, ellipsis: state.glyphs.ellipsis))
        lines.append("")
        let inside = dialog(StyledLine("Connect \(name) now?", .title), lines: lines, in: screen, width: width, state: state, into: &frame)
        frame.buttons([("Later", false, true), ("Connect", false, true)], focus: focus, row: inside.maxY - 1, right: inside.maxX)
    }
}

/// The "Key store actions" menu: every action, the forbidden ones greyed with the rules' reason.
enum ActionsMenuView {
    static func draw(_ menu: ActionsMenu, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let items = Reducer.menuItems(for: menu.storeId, in: state)
        var lines: [(line: StyledLine, item: Int?)] = []
        for (index, item) in items.enumerated() {
            if item.kind == .create, index > 0 { lines.append((StyledLine(String(repeating: glyphs.horizontal, count: 12), .border), nil)) }
            let enabled = item.disabledReason == nil
            var line = StyledLine(String(item.hotkey), enabled ? .menuHotkey : .menuDisabled)
            line.append("  " + item.title, enabled ? .menuItem : .menuDisabled)
            lines.append((line, index))
            if let reason = item.disabledReason {
                lines.append((StyledLine("   " + glyphs.plain(reason), .menuReason), nil))
            }
        }
        let title = StyledLine("Key store actions", .title)
            + StyledLine(menu.storeId.flatMap { state.stores[$0] }.map { " \(glyphs.dot) \($0.name)" } ?? "", .strong)
        let contentWidth = max(lines.map(\.line.width).max() ?? 0, title.width + 2) + 4
        let width = min(screen.width - 4, max(44, contentWidth + 4))
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

/// "Disconnect this store?": what KMS will do, and the keys that become Unavailable with their last use.
enum DisconnectDialogView {
    static func draw(_ dialog: DisconnectConfirmation, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        guard let store = state.stores[dialog.storeId] else { return }
        let glyphs = state.glyphs
        let width = min(screen.width - 4, 96)
        let textWidth = width - 4
        var lines: [StyledLine] = []
        if dialog.forRepair {
            lines.append(StyledLine("Repair step 1 of 3: a FAILED store must be disconnected before it can be fixed.", .accent))
            lines.append("")
        }
        let cluster = store.cloudHsmClusterId.map { " from \($0)" } ?? ""
        let effect = store.connectionState == .failed
            ? "A FAILED store holds no connection: disconnecting clears the FAILED state and its error code, so that the store can be fixed and connected again."
            : "KMS logs kmsuser out and disconnects\(cluster); it deletes the network interfaces and the security group kms-\(store.id) it made. Cryptographic operations with the store's keys fail until it is connected again."
        lines += TextWidth.wrap(effect, to: textWidth).map { StyledLine($0, .normal) }
        lines.append("")
        switch state.keys[store.id] {
        case nil, .loading?:
            lines.append(StyledLine("Counting the store's KMS keys\(glyphs.ellipsis)", .dim))
        case let .failed(error)?:
            lines.append(StyledLine(glyphs.plain("The keys could not be listed: \(error.code.rawValue): \(error.message)"), .warning))
        case let .loaded(keys)?:
            lines += keyLines(keys, store: store, state: state, width: textWidth)
        }
        lines.append("")
        lines.append(StyledLine("$ " + AWSCommandLine.disconnect(store.id, backend: state.backend), .logCommand).truncated(to: textWidth, ellipsis: glyphs.ellipsis))
        lines.append("")
        let title = StyledLine("Disconnect ", .title) + StyledLine(store.name, .strong) + StyledLine("?", .title)
        let inside = ModalView.dialog(title, lines: lines, in: screen, width: width, state: state, into: &frame)
        frame.buttons([("Cancel", false, true), ("Disconnect", true, true)], focus: dialog.focus, row: inside.maxY - 1, right: inside.maxX)
    }

    static func keyLines(_ keys: [KMSKey], store: CustomKeyStore, state: AppState, width: Int) -> [StyledLine] {
        guard !keys.isEmpty else { return [StyledLine("The store holds no KMS keys: nothing becomes Unavailable.", .dim)] }
        let changing = keys.filter { KeyStoreRules.visibleKeyState(ownState: $0.keyState, storeState: .disconnected) != $0.keyState }
        var lines: [StyledLine] = []
        let summary = changing.count == 1 ? "1 KMS key becomes Unavailable" : "\(changing.count) KMS keys become Unavailable"
        lines.append(StyledLine(changing.isEmpty ? "Its \(keys.count) KMS keys are already unusable; they stay so." : summary + ":", changing.isEmpty ? .normal : .warning))
        let glyphs = state.glyphs
        lines.append(StyledLine("  " + TextWidth.column("KEY", 12) + TextWidth.column("DESCRIPTION", 22)
            + TextWidth.column("STATE", 30) + "LAST USED", .columnHeader))
        let shown = keys.sorted { ($0.lastUsage?.time ?? .distantPast) > ($1.lastUsage?.time ?? .distantPast) }
        for key in shown.prefix(8) {
            let after = KeyStoreRules.visibleKeyState(ownState: key.keyState, storeState: .disconnected)
            var line = StyledLine("  " + TextWidth.column(String(key.id.prefix(8)) + glyphs.ellipsis, 12))
            line.append(TextWidth.column(key.description, 22, ellipsis: glyphs.ellipsis), .dim)
            let transition = after == key.keyState ? key.keyState.rawValue : "\(key.keyState.rawValue) \(glyphs.arrow) \(after.rawValue)"
            line.append(TextWidth.column(transition, 30), after == key.keyState ? .dim : .warning)
            line.append(key.lastUsage.map { "\($0.operation), \(Formatting.ago($0.time, now: state.now))" } ?? "never used", .normal)
            lines.append(line.truncated(to: width, ellipsis: glyphs.ellipsis))
        }
        if keys.count > 8 { lines.append(StyledLine("  + \(keys.count - 8) more", .dim)) }
        return lines
    }
}

/// "Type the store's name to delete it": the focus starts on Cancel.
enum DeleteDialogView {
    static func draw(_ dialog: DeleteConfirmation, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        guard let store = state.stores[dialog.storeId] else { return }
        let glyphs = state.glyphs
        let width = min(screen.width - 4, 72)
        var lines = TextWidth.wrap("This deletes the custom key store \(store.id). It cannot be undone. The CloudHSM cluster, its HSMs and kmsuser are not deleted.", to: width - 4)
            .map { StyledLine($0, .normal) }
        lines.append("")
        var blocked: String?
        switch state.keys[store.id] {
        case let .loaded(keys)?:
            blocked = KeyStoreRules.verdict(for: .delete, on: store, keyCount: keys.count).reason
        case .failed?, nil, .loading?:
            lines.append(StyledLine("Counting the store's KMS keys\(glyphs.ellipsis)", .dim))
        }
        if let blocked { lines.append(StyledLine(glyphs.plain("Cannot delete: \(blocked)."), .bad)) }
        lines.append(StyledLine("Type ", .normal) + StyledLine(store.name, .strong) + StyledLine(" to confirm:", .normal))
        let fieldRow = lines.count
        lines.append("")
        lines.append("")
        let title = StyledLine("Delete ", .bad) + StyledLine(store.name, .strong) + StyledLine("?", .bad)
        let inside = ModalView.dialog(title, lines: lines, in: screen, width: width, state: state, into: &frame, danger: true)
        frame.textField(dialog.typedName, placeholder: "the store's name", x: inside.x, y: inside.y + 1 + fieldRow,
                        width: min(inside.width, 40), focused: dialog.focus == .name, secret: false, disabled: false, glyphs: glyphs)
        let matches = dialog.typedName == store.name && blocked == nil && state.keys[store.id]?.value != nil
        let focus: Int? = switch dialog.focus {
        case .cancel: 0
        case .delete: 1
        case .name: nil
        }
        frame.buttons([("Cancel", false, true), ("Delete", true, matches)], focus: focus, row: inside.maxY - 1, right: inside.maxX)
    }
}
