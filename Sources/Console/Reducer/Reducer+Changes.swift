import Foundation
import KeyStoreEngine

/// Asking for a change: every path (menu, direct key, `:` command) goes through these, and through
/// `KeyStoreRules.verdict`, so a forbidden action is refused with the rules' reason everywhere.
extension Reducer {
    static let readOnlyReason = "read-only mode"

    static func menuItems(for storeId: String?, in state: AppState) -> [MenuItem] {
        var items: [MenuItem] = []
        if let store = storeId.flatMap({ state.stores[$0] }) {
            func reason(_ action: KeyStoreAction, keyCount: Int = 0) -> String? {
                state.readOnly ? readOnlyReason : KeyStoreRules.verdict(for: action, on: store, keyCount: keyCount).reason
            }
            items.append(MenuItem(kind: .connect, title: "Connect", hotkey: "c", disabledReason: reason(.connect)))
            items.append(MenuItem(kind: .disconnect, title: "Disconnect", hotkey: "d", disabledReason: reason(.disconnect)))
            let renameReason = reason(.rename)
            let settingsReason = reason(.editSettings)
            let accessReason = store.type == .externalKeyStore ? reason(.editProxyAccess) : renameReason
            let editable = renameReason == nil || settingsReason == nil || accessReason == nil
            items.append(MenuItem(kind: .edit, title: "Edit", hotkey: "e", disabledReason: editable ? nil : renameReason))
            items.append(MenuItem(kind: .createKey, title: "Create a KMS key in this store", hotkey: "N",
                                  disabledReason: reason(.createKey)))
            items.append(MenuItem(kind: .repair, title: "Repair", hotkey: "f", disabledReason: repairReason(store, state)))
            var deleteReason = reason(.delete, keyCount: state.keyCount(of: store.id) ?? 0)
            if deleteReason == nil, state.keyCount(of: store.id) == nil { deleteReason = "counting its KMS keys…" }
            items.append(MenuItem(kind: .delete, title: "Delete", hotkey: "x", disabledReason: deleteReason))
        }
        items.append(MenuItem(kind: .create, title: state.tab == .externalKeyStore ? "Create external key store" : "Create key store",
                              hotkey: "n", disabledReason: state.readOnly ? readOnlyReason : nil))
        return items
    }

    static func openActionsMenu(_ state: inout AppState) -> [Effect] {
        let store = state.focusedStore
        let items = menuItems(for: store?.id, in: state)
        state.modal = .actions(ActionsMenu(storeId: store?.id, cursor: items.firstIndex { $0.disabledReason == nil } ?? 0))
        return store.map { [.loadKeys(storeId: $0.id)] } ?? []
    }

    static func requestConnect(_ store: CustomKeyStore, _ state: inout AppState) -> [Effect] {
        guard !refuseInReadOnly(&state) else { return [] }
        switch KeyStoreRules.verdict(for: .connect, on: store) {
        case .allowed:
            return startWorkflow(.connect, store, &state)
        case let .noEffect(reason):
            state.status = .init(text: "\(store.name): \(reason).", kind: .info)
        case let .denied(reason, _):
            state.status = .init(text: "Cannot connect \(store.name): \(reason).", kind: .error)
        }
        return []
    }

    static func requestDisconnect(_ store: CustomKeyStore, forRepair: Bool = false, _ state: inout AppState) -> [Effect] {
        guard !refuseInReadOnly(&state) else { return [] }
        if let reason = KeyStoreRules.verdict(for: .disconnect, on: store).reason {
            state.status = .init(text: "Cannot disconnect \(store.name): \(reason).", kind: .error)
            return []
        }
        state.modal = .disconnect(DisconnectConfirmation(storeId: store.id, forRepair: forRepair))
        return [.loadKeys(storeId: store.id)]
    }

    static func requestEdit(_ store: CustomKeyStore, notice: String? = nil, focusOn: FormState.FieldID? = nil,
                            prefill: [FormState.FieldID: String] = [:], _ state: inout AppState) -> [Effect] {
        guard !refuseInReadOnly(&state) else { return [] }
        let renameReason = KeyStoreRules.verdict(for: .rename, on: store).reason
        let settingsReason = KeyStoreRules.verdict(for: .editSettings, on: store).reason
        if store.type == .externalKeyStore {
            let accessReason = KeyStoreRules.verdict(for: .editProxyAccess, on: store).reason
            if let renameReason, settingsReason != nil, accessReason != nil {
                state.status = .init(text: "Cannot edit \(store.name): \(renameReason).", kind: .error)
                return []
            }
            state.modal = .form(Forms.editExternal(store, renameReason: renameReason, settingsReason: settingsReason,
                                                   accessReason: accessReason, notice: notice, focusOn: focusOn, prefill: prefill))
            return []
        }
        if let renameReason, settingsReason != nil {
            state.status = .init(text: "Cannot edit \(store.name): \(renameReason).", kind: .error)
            return []
        }
        state.modal = .form(Forms.edit(store, renameReason: renameReason, settingsReason: settingsReason,
                                       clusters: state.clusters, stores: state.stores, notice: notice, focusOn: focusOn,
                                       prefill: prefill))
        return [.loadClusters]
    }

    static func requestDelete(_ store: CustomKeyStore, _ state: inout AppState) -> [Effect] {
        guard !refuseInReadOnly(&state) else { return [] }
        if let reason = KeyStoreRules.verdict(for: .delete, on: store, keyCount: state.keyCount(of: store.id) ?? 0).reason {
            state.status = .init(text: "Cannot delete \(store.name): \(reason).", kind: .error)
            return []
        }
        state.modal = .delete(DeleteConfirmation(storeId: store.id))
        return [.loadKeys(storeId: store.id)]
    }

    /// Create key store, of the type of the shown tab (the KMS console's page has a button per tab).
    static func requestCreate(_ state: inout AppState) -> [Effect] {
        guard !refuseInReadOnly(&state) else { return [] }
        if state.tab == .externalKeyStore {
            state.modal = .form(Forms.createExternal())
            return []
        }
        state.modal = .form(Forms.create(clusters: state.clusters, stores: state.stores))
        return [.loadClusters]
    }

    /// "Create a KMS key in this key store": only in a CONNECTED store; an external key store asks for the external key.
    static func requestCreateKey(_ store: CustomKeyStore, _ state: inout AppState) -> [Effect] {
        guard !refuseInReadOnly(&state) else { return [] }
        if let reason = KeyStoreRules.verdict(for: .createKey, on: store).reason {
            state.status = .init(text: "Cannot create a KMS key in \(store.name): \(reason).", kind: .error)
            return []
        }
        state.modal = .form(Forms.createKey(in: store))
        return []
    }

    static func startWorkflow(_ kind: WorkflowKind, _ store: CustomKeyStore, _ state: inout AppState) -> [Effect] {
        let command = kind == .connect
            ? AWSCommandLine.connect(store.id, backend: state.backend)
            : AWSCommandLine.disconnect(store.id, backend: state.backend)
        logCommand(command, store: store.id, &state)
        for index in state.workflows.indices where state.workflows[index].storeId == store.id {
            state.workflows[index].interrupt(by: kind, now: state.now)
        }
        state.workflows.append(WorkflowProgress(storeId: store.id, kind: kind, origin: .console, startedAt: state.now))
        state.pendingRequests.append(.workflow(kind, storeId: store.id))
        pruneWorkflows(&state)
        let verb = kind == .connect ? "Connecting" : "Disconnecting"
        state.status = .init(text: "\(verb) \(store.name)… it runs in the background; keep browsing.", kind: .info)
        return [.startWorkflow(kind, storeId: store.id)]
    }

    static func confirmDisconnect(_ dialog: DisconnectConfirmation, _ state: inout AppState) -> [Effect] {
        state.modal = nil
        guard let store = state.stores[dialog.storeId] else { return [] }
        if let reason = KeyStoreRules.verdict(for: .disconnect, on: store).reason {
            state.status = .init(text: "Cannot disconnect \(store.name): \(reason).", kind: .error)
            return []
        }
        return startWorkflow(.disconnect, store, &state)
    }

    static func confirmDelete(_ dialog: DeleteConfirmation, _ state: inout AppState) -> [Effect] {
        guard let store = state.stores[dialog.storeId], dialog.typedName == store.name else { return [] }
        guard let keyCount = state.keyCount(of: store.id) else {
            state.status = .init(text: "Still counting the store's KMS keys; try again in a moment.", kind: .info)
            return []
        }
        if let reason = KeyStoreRules.verdict(for: .delete, on: store, keyCount: keyCount).reason {
            state.modal = nil
            state.status = .init(text: "Cannot delete \(store.name): \(reason).", kind: .error)
            return []
        }
        logCommand(AWSCommandLine.delete(store.id, backend: state.backend), store: store.id, &state)
        state.pendingRequests.append(.delete(storeId: store.id))
        return [.delete(storeId: store.id)]
    }

    /// True (and a message) when read-only mode forbids any change.
    static func refuseInReadOnly(_ state: inout AppState) -> Bool {
        guard state.readOnly else { return false }
        state.status = .init(text: "Not allowed: \(readOnlyReason) (cks was started with --read-only).", kind: .error)
        return true
    }
}
