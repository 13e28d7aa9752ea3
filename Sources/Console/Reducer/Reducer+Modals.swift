import KeyStoreEngine

extension Reducer {
    static func handleModalKey(_ key: Key, _ modal: Modal, _ state: inout AppState) -> [Effect] {
        switch modal {
        case let .actions(menu): return handleMenuKey(key, menu, &state)
        case let .disconnect(dialog): return handleDisconnectKey(key, dialog, &state)
        case let .delete(dialog): return handleDeleteKey(key, dialog, &state)
        case let .keyDeletion(dialog): return handleKeyDeletionKey(key, dialog, &state)
        case let .connectAfterRepair(id, focus): return handleTwoButtonKey(key, focus, &state,
            update: { .connectAfterRepair(storeId: id, focus: $0) },
            confirm: { confirmConnectAfterRepair(id, &$0) },
            cancel: { state in
                state.repairs[id] = nil
                state.status = .init(text: "Saved. Connect the store when you are ready (c).", kind: .info)
            })
        case let .simulatedFix(id, focus): return handleTwoButtonKey(key, focus, &state,
            update: { .simulatedFix(storeId: id, focus: $0) },
            confirm: { confirmSimulatedFix(id, &$0) },
            cancel: { state in
                state.status = .init(text: "Repair paused: press f to apply the simulated fix, or fix the cause yourself and press c to connect.",
                                     kind: .info)
            })
        case let .quit(focus): return handleTwoButtonKey(key, focus, &state,
            update: { .quit(focus: $0) },
            confirm: { state in
                state.exitStatus = 0
                return []
            },
            cancel: { _ in },
            confirmIndex: 0)
        case let .form(form): return handleFormKey(key, form, &state)
        case let .help(scroll): return handleHelpKey(key, scroll, &state)
        case let .logEntry(index, scroll): return handleLogEntryKey(key, index: index, scroll: scroll, &state)
        case let .regionPicker(picker): return handleRegionPickerKey(key, picker, &state)
        }
    }

    private static func handleMenuKey(_ key: Key, _ menu: ActionsMenu, _ state: inout AppState) -> [Effect] {
        let items = menuItems(for: menu.storeId, in: state)
        var menu = menu
        if let character = key.printable, let index = items.firstIndex(where: { $0.hotkey == character }) {
            menu.cursor = index
            return choose(items[index], menu, &state)
        }
        switch KeyBindings.command(for: key, in: [.menu]) {
        case .nextItem?: menu.cursor = (menu.cursor + 1) % items.count
        case .previousItem?: menu.cursor = (menu.cursor - 1 + items.count) % items.count
        case .select?: return choose(items[min(menu.cursor, items.count - 1)], menu, &state)
        case .cancel?:
            state.modal = nil
            return []
        default: break
        }
        state.modal = .actions(menu)
        return []
    }

    private static func choose(_ item: MenuItem, _ menu: ActionsMenu, _ state: inout AppState) -> [Effect] {
        if let reason = item.disabledReason {
            state.modal = .actions(menu)
            state.status = .init(text: "\(item.title) is not possible now: \(reason).", kind: .error)
            return []
        }
        state.modal = nil
        if item.kind == .create { return requestCreate(&state) }
        guard let store = menu.storeId.flatMap({ state.stores[$0] }) else { return [] }
        switch item.kind {
        case .connect: return requestConnect(store, &state)
        case .disconnect: return requestDisconnect(store, &state)
        case .edit: return requestEdit(store, &state)
        case .createKey: return requestCreateKey(store, &state)
        case .repair: return requestRepair(store, &state)
        case .delete: return requestDelete(store, &state)
        case .create: return []
        }
    }

    private static func handleDisconnectKey(_ key: Key, _ dialog: DisconnectConfirmation, _ state: inout AppState) -> [Effect] {
        handleTwoButtonKey(key, dialog.focus, &state,
            update: { var next = dialog; next.focus = $0; return .disconnect(next) },
            confirm: { confirmDisconnect(dialog, &$0) },
            cancel: { state in if dialog.forRepair { state.repairs[dialog.storeId] = nil } })
    }

    /// Two buttons: `confirmIndex` is the one that acts; the other cancels, as does Esc.
    private static func handleTwoButtonKey(
        _ key: Key, _ focus: Int, _ state: inout AppState, update: (Int) -> Modal,
        confirm: (inout AppState) -> [Effect], cancel: (inout AppState) -> Void, confirmIndex: Int = 1
    ) -> [Effect] {
        switch KeyBindings.command(for: key, in: [.dialog]) {
        case .nextButton?, .previousButton?:
            state.modal = update(1 - focus)
        case .select?:
            if focus == confirmIndex { return confirm(&state) }
            state.modal = nil
            cancel(&state)
        case .cancel?:
            state.modal = nil
            cancel(&state)
        default:
            break
        }
        return []
    }

    private static func handleDeleteKey(_ key: Key, _ dialog: DeleteConfirmation, _ state: inout AppState) -> [Effect] {
        var dialog = dialog
        if let character = key.printable {
            dialog.focus = .name
            dialog.typedName.append(character)
            state.modal = .delete(dialog)
            return []
        }
        let order: [DeleteConfirmation.Focus] = [.cancel, .name, .delete]
        let position = order.firstIndex(of: dialog.focus) ?? 0
        switch (key, KeyBindings.command(for: key, in: [.dialog])) {
        case (.backspace, _):
            if !dialog.typedName.isEmpty { dialog.typedName.removeLast() }
            dialog.focus = .name
        case (.control("u"), _):
            dialog.typedName = ""
        case (_, .nextButton?):
            dialog.focus = order[(position + 1) % order.count]
        case (_, .previousButton?):
            dialog.focus = order[(position + order.count - 1) % order.count]
        case (_, .select?):
            switch dialog.focus {
            case .cancel:
                state.modal = nil
                return []
            case .name, .delete:
                let matches = dialog.typedName == state.stores[dialog.storeId]?.name
                if matches { return confirmDelete(dialog, &state) }
                state.status = .init(text: "Type the store's name exactly to delete it.", kind: .error)
            }
        case (_, .cancel?):
            state.modal = nil
            return []
        default:
            break
        }
        state.modal = .delete(dialog)
        return []
    }

    private static func handleLogEntryKey(_ key: Key, index: Int, scroll: Int, _ state: inout AppState) -> [Effect] {
        guard let command = KeyBindings.command(for: key, in: [.entry]) else { return [] }
        switch command {
        case .cancel:
            state.modal = nil
        case .copy:
            guard state.log.entries.indices.contains(index), let text = state.log.entries[index].copyText else {
                state.status = .init(text: "This event has no command to copy; commands start with $.", kind: .info)
                return []
            }
            state.status = .init(text: "Copied: \(text)", kind: .success)
            return [.copyToClipboard(text)]
        default:
            let lines = LogEntryView.lines(index: index, state).count
            let visible = LogEntryView.visibleRows(index: index, state)
            state.modal = .logEntry(index: index, scroll: clampedMove(command, from: scroll, count: max(1, lines - visible + 1), page: visible))
        }
        return []
    }

    private static func handleHelpKey(_ key: Key, _ scroll: Int, _ state: inout AppState) -> [Effect] {
        guard let command = KeyBindings.command(for: key, in: [.help]) else { return [] }
        if command == .cancel {
            state.modal = nil
            return []
        }
        let page = HelpView.visibleRows(state)
        let lines = HelpDocument.lines(state, width: HelpView.textWidth(state)).count
        state.modal = .help(scroll: clampedMove(command, from: scroll, count: max(1, lines - page + 1), page: page))
        return []
    }
}
