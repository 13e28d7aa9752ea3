import KeyStoreEngine

extension Reducer {
    /// A key press: dialogs first, then the prompt, then the screen's bindings.
    static func handleKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        state.status = nil
        if let command = KeyBindings.command(for: key, in: [.anywhere]) {
            return perform(command, &state)
        }
        guard Layout.fits(state.size) else {
            if KeyBindings.command(for: key, in: [.screens]) == .quit { state.exitStatus = 0 }
            return []
        }
        if let entry = state.codeRequests.first { return handleCodeKey(key, entry, &state) }
        if let modal = state.modal { return handleModalKey(key, modal, &state) }
        if let prompt = state.prompt { return handlePromptKey(key, prompt, &state) }
        guard let command = KeyBindings.command(for: key, in: screenContexts(state)) else {
            sayUnbound(key, &state)
            return []
        }
        return perform(command, &state)
    }

    /// A key that does nothing here says so, rather than nothing at all.
    static func sayUnbound(_ key: Key, _ state: inout AppState) {
        let place = switch screenContexts(state).first {
        case .log?: "in the event log"
        case .detail?: "in the detail"
        default: "in the list"
        }
        state.status = .init(text: "\(key.label(state.glyphs)) does nothing \(place); ? lists every key.", kind: .info)
    }

    /// The binding contexts of the screen under the dialogs, most specific first.
    static func screenContexts(_ state: AppState) -> [BindingContext] {
        if state.log.focused, state.log.visible { return [.log, .screens] }
        switch state.screen {
        case .list: return [.list, .screens]
        case .detail: return [.detail, .screens]
        }
    }

    static func perform(_ command: Command, _ state: inout AppState) -> [Effect] {
        switch command {
        case .forceQuit:
            state.exitStatus = 0
        case .quit:
            if state.runningWorkflows.isEmpty { state.exitStatus = 0 } else { state.modal = .quit(focus: 0) }
        case .redraw:
            return [.redrawAll]
        case .help:
            state.modal = .help(scroll: 0)
        case .commandLine:
            state.prompt = .init(kind: .command, text: "")
        case .filter:
            state.prompt = .init(kind: .filter, text: state.table.filter)
        case .moveDown, .moveUp, .pageDown, .pageUp, .top, .bottom:
            move(command, &state)
        case .open:
            if state.log.focused, state.log.visible {
                if let index = state.log.cursor ?? state.log.entries.indices.last { state.modal = .logEntry(index: index, scroll: 0) }
            } else if let store = state.selectedStore {
                return openDetail(store.id, &state)
            }
        case .back:
            if case .detail = state.screen {
                state.screen = .list
                state.detailScroll = 0
                state.selectedKeyId = nil
            } else if !state.table.filter.isEmpty {
                state.table.filter = ""
                rebuildTable(&state)
            }
        case .actions:
            return openActionsMenu(&state)
        case .connect, .disconnect, .edit, .delete, .repair:
            guard let store = state.focusedStore else {
                state.status = .init(text: "No store is selected.", kind: .info)
                return []
            }
            return request(command, store, &state)
        case .create:
            return requestCreate(&state)
        case .nextKey, .previousKey:
            selectKey(by: command == .nextKey ? 1 : -1, &state)
            revealSelectedKey(&state)
        case .enableKey, .disableKey, .scheduleKeyDeletion, .cancelKeyDeletion:
            return requestKeyAction(command, &state)
        case .sortNext:
            // `s` steps through the columns on screen; `:sort` reaches the others.
            let shown = StoreTableView.columns(for: state, width: state.size.width).map(\.column)
            let columns = SortColumn.allCases.filter { shown.contains($0) || $0 == state.table.sort.column }
            let next = columns[((columns.firstIndex(of: state.table.sort.column) ?? -1) + 1) % columns.count]
            state.table.sort = SortOrder(column: next, ascending: next != .created)
            rebuildTable(&state)
            state.status = .init(text: "Sorted by \(next.title.lowercased()).", kind: .info)
        case .sortReverse:
            state.table.sort.ascending.toggle()
            rebuildTable(&state)
        case .toggleLog:
            state.log.visible.toggle()
            if !state.log.visible { state.log.focused = false }
            state.log.chosen = state.log.visible
        case .focusNext:
            if state.log.focused {
                state.log.focused = false
            } else {
                if !state.log.visible { state.log.chosen = true }
                state.log.visible = true
                state.log.focused = true
                state.log.cursor = state.log.entries.isEmpty ? nil : state.log.entries.count - 1
            }
        case .copy:
            return copy(&state)
        case .refresh:
            var effects: [Effect] = state.following ? [.loadStores, .loadClusters] : [.followEvents, .loadClusters]
            if case let .detail(id) = state.screen, state.stores[id]?.type == .externalKeyStore {
                effects += [.loadProxyObservation(storeId: id), .loadKeys(storeId: id)]
            }
            return effects
        case .switchRegion:
            return openRegionPicker(&state)
        case .switchTab:
            showTab(state.tab == .awsCloudHSM ? .externalKeyStore : .awsCloudHSM, &state)
        case .cloudHSMTab:
            showTab(.awsCloudHSM, &state)
        case .externalTab:
            showTab(.externalKeyStore, &state)
        case .createKey:
            guard let store = state.focusedStore else {
                state.status = .init(text: "No store is selected: a KMS key is created in a store.", kind: .info)
                return []
            }
            return requestCreateKey(store, &state)
        case .select, .cancel, .nextItem, .previousItem, .nextButton, .previousButton, .submit, .deleteBackward, .clearField,
             .toggleSecret:
            break
        }
        return []
    }

    /// Shows a tab of the list, with the selection, filter and sort it had.
    static func showTab(_ type: CustomKeyStoreType, _ state: inout AppState) {
        state.tab = type
    }

    static func request(_ command: Command, _ store: CustomKeyStore, _ state: inout AppState) -> [Effect] {
        switch command {
        case .connect: requestConnect(store, &state)
        case .disconnect: requestDisconnect(store, &state)
        case .edit: requestEdit(store, &state)
        case .delete: requestDelete(store, &state)
        case .repair: requestRepair(store, &state)
        default: []
        }
    }

    static func openDetail(_ id: String, _ state: inout AppState) -> [Effect] {
        var effects = showDetail(id, &state)
        if state.repairs[id]?.stage == .edit, state.modal == nil, let store = state.stores[id] {
            effects += openRepairEdit(store, &state)
        }
        return effects
    }

    /// Shows a store's detail and asks for what it shows: its keys, history, clusters and, for an external key
    /// store, its proxy's health and requests.
    static func showDetail(_ id: String, _ state: inout AppState) -> [Effect] {
        if state.screen != .detail(storeId: id) { state.selectedKeyId = nil }
        state.screen = .detail(storeId: id)
        state.detailScroll = 0
        state.select(storeId: id)
        var effects: [Effect] = [.loadKeys(storeId: id), .loadHistory(storeId: id), .loadClusters]
        if state.stores[id]?.type == .externalKeyStore {
            if state.proxyObservations[id] == nil { state.proxyObservations[id] = .loading }
            effects.append(.loadProxyObservation(storeId: id))
        }
        return effects
    }

    private static func move(_ command: Command, _ state: inout AppState) {
        let layout = Layout(state)
        if state.log.focused, state.log.visible {
            let count = state.log.entries.count
            guard count > 0 else { return }
            let current = state.log.cursor ?? count - 1
            let page = max(1, (layout.log?.height ?? 2) - 1)
            state.log.cursor = clampedMove(command, from: current, count: count, page: page)
            return
        }
        switch state.screen {
        case .list:
            let count = state.table.order.count
            guard count > 0 else { return }
            let current = state.table.selectedIndex ?? 0
            let index = clampedMove(command, from: current, count: count, page: layout.tableRows)
            state.table.selectedId = state.table.order[index]
        case .detail:
            let lines = DetailDocument(state: state, width: layout.body.width).lines.count
            let visible = max(1, layout.body.height - 2)
            state.detailScroll = clampedMove(command, from: state.detailScroll, count: max(1, lines - visible + 1), page: visible)
        }
    }

    static func clampedMove(_ command: Command, from index: Int, count: Int, page: Int) -> Int {
        let target = switch command {
        case .moveDown: index + 1
        case .moveUp: index - 1
        case .pageDown: index + page
        case .pageUp: index - page
        case .top: 0
        case .bottom: count - 1
        default: index
        }
        return max(0, min(count - 1, target))
    }

    private static func copy(_ state: inout AppState) -> [Effect] {
        if state.log.focused, state.log.visible {
            let entries = state.log.entries
            guard let index = state.log.cursor ?? entries.indices.last else { return [] }
            guard let command = entries[index].copyText else {
                state.status = .init(text: "This event has no command to copy; commands start with $.", kind: .info)
                return []
            }
            state.status = .init(text: "Copied: \(command)", kind: .success)
            return [.copyToClipboard(command)]
        }
        guard let store = state.focusedStore else { return [] }
        state.status = .init(text: "Copied \(store.id) to the clipboard.", kind: .success)
        return [.copyToClipboard(store.id)]
    }
}
