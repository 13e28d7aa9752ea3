import KeyStoreEngine

extension Reducer {
    /// Keys typed into the `/` filter (applied live) or the `:` command line.
    static func handlePromptKey(_ key: Key, _ prompt: AppState.Prompt, _ state: inout AppState) -> [Effect] {
        var prompt = prompt
        if let character = key.printable {
            prompt.text.append(character)
            return updatePrompt(prompt, &state)
        }
        switch KeyBindings.command(for: key, in: [.prompt]) {
        case .deleteBackward?:
            if prompt.text.isEmpty {
                state.prompt = nil
                return []
            }
            prompt.text.removeLast()
            return updatePrompt(prompt, &state)
        case .clearField?:
            prompt.text = ""
            return updatePrompt(prompt, &state)
        case .submit?:
            state.prompt = nil
            if prompt.kind == .command { return run(prompt.text, &state) }
            if !state.table.filter.isEmpty, state.table.order.isEmpty {
                state.status = .init(text: "No store matches \"\(state.table.filter)\". Esc clears the filter.", kind: .info)
            }
        case .cancel?:
            state.prompt = nil
            if prompt.kind == .filter {
                state.table.filter = ""
                rebuildTable(&state)
            }
        default:
            break
        }
        return []
    }

    private static func updatePrompt(_ prompt: AppState.Prompt, _ state: inout AppState) -> [Effect] {
        state.prompt = prompt
        if prompt.kind == .filter {
            state.table.filter = prompt.text
            rebuildTable(&state)
        }
        return []
    }

    /// Runs a `:` command line.
    static func run(_ line: String, _ state: inout AppState) -> [Effect] {
        let command: ConsoleCommand
        switch ConsoleCommand.parse(line) {
        case let .success(parsed): command = parsed
        case let .failure(error):
            state.status = .init(text: error.message, kind: .error)
            return []
        }
        switch command {
        case .quit: return perform(.quit, &state)
        case .help: return perform(.help, &state)
        case .refresh: return perform(.refresh, &state)
        case .create: return requestCreate(&state)
        case let .region(name): return name.map { requestRegion($0, &state) } ?? openRegionPicker(&state)
        case .log:
            state.log.visible = true
            state.log.chosen = true
            return []
        case let .filter(text):
            state.table.filter = text
            state.screen = .list
            rebuildTable(&state)
            return []
        case let .sort(column, ascending):
            state.table.sort = SortOrder(column: column, ascending: ascending ?? (column != .created))
            rebuildTable(&state)
            let hidden = !StoreTableView.columns(for: state, width: state.size.width).contains { $0.column == column }
            state.status = .init(text: "Sorted by \(column.title.lowercased())\(state.table.sort.ascending ? "" : ", descending")"
                + (hidden ? " (a column this terminal is too narrow to show)." : "."), kind: .info)
            return []
        case let .connect(name): return withStore(name, &state) { requestConnect($0, &$1) }
        case let .disconnect(name): return withStore(name, &state) { requestDisconnect($0, &$1) }
        case let .edit(name): return withStore(name, &state) { requestEdit($0, &$1) }
        case let .delete(name): return withStore(name, &state) { requestDelete($0, &$1) }
        case let .open(name): return withStore(name, &state) { openDetail($0.id, &$1) }
        }
    }

    /// The store a command names, or the focused one when it names none.
    private static func withStore(_ name: String?, _ state: inout AppState,
                                  _ body: (CustomKeyStore, inout AppState) -> [Effect]) -> [Effect] {
        guard let name else {
            guard let store = state.focusedStore else {
                state.status = .init(text: "Name a store: the command needs one.", kind: .error)
                return []
            }
            return body(store, &state)
        }
        switch StoreLookup.find(name, in: state.stores.values) {
        case let .success(store):
            state.select(storeId: store.id)
            return body(store, &state)
        case let .failure(error):
            state.status = .init(text: error.message, kind: .error)
            return []
        }
    }
}
