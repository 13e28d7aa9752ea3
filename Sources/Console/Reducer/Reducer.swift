import Foundation
import KeyStoreEngine

/// Applies an action to the state and returns the work to do next. Pure: no I/O, no clock, no ncurses.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    let effects = Reducer.apply(action, to: &state)
    if state.log.chosen == nil { state.log.visible = Layout.opensLog(state) }
    Reducer.keepSelectionVisible(&state)
    return effects
}

/// The reducer's parts, one file per concern (keys, modals, forms, prompt, engine data, changes).
enum Reducer {
    /// The effects that start a console: follow the engine's events (then load the stores), load clusters.
    static func start(_ state: inout AppState) -> [Effect] {
        [.followEvents, .loadClusters]
    }

    static func apply(_ action: Action, to state: inout AppState) -> [Effect] {
        settlePending(action, &state)
        switch action {
        case let .key(key):
            return handleKey(key, &state)
        case let .resize(size):
            state.size = size
            return []
        case .tick:
            state.changedAt = state.changedAt.filter { state.now.timeIntervalSince($0.value) < AppState.changeMarkDuration }
            return []
        case let .signal(number):
            state.exitStatus = 128 + number
            return []
        case let .storesLoaded(stores):
            if case .loading = state.storesStatus {
                logCommand(AWSCommandLine.describe(nil, backend: state.backend), store: nil, &state)
                let count = stores.count == 1 ? "1 custom key store" : "\(stores.count) custom key stores"
                state.log.append(LogEntry(time: state.now, kind: .event, storeName: nil,
                                          text: "\(count) in \(state.backend.region); following changes live", copyText: nil))
            }
            state.stores = Dictionary(stores.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
            state.storesStatus = .loaded(true)
            rebuildTable(&state)
            leaveVanishedDetail(&state)
            return adoptTransientStores(&state)
        case let .storesFailed(error):
            if state.stores.isEmpty { state.storesStatus = .failed(error) }
            setError(error, doing: "DescribeCustomKeyStores", &state)
            return []
        case let .storeLoaded(store):
            state.stores[store.id] = store
            rebuildTable(&state)
            return []
        case let .storeVanished(id):
            removeStore(id, &state)
            return []
        case let .clustersLoaded(clusters):
            state.clusters = Dictionary(clusters.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
            state.cloudHSMTable.clustersChanged(stores: state.stores, clusters: state.clusters)
            state.externalTable.clustersChanged(stores: state.stores, clusters: state.clusters)
            refreshFormSuggestions(&state)
            // The fix of the shown store names the cluster's real subnets, zones and restored cluster.
            if state.simulatedRepairs, case let .detail(id) = state.screen {
                return [.loadRepairContext(storeId: id)] + xksRepairActionLookup(id, state)
            }
            return []
        case .clustersFailed:
            return []
        case let .keysLoaded(id, keys):
            state.keys[id] = .loaded(keys)
            return []
        case let .keyActionDone(action, storeId, keyId, deletionDate):
            return keyActionDone(action, storeId: storeId, keyId: keyId, deletionDate: deletionDate, &state)
        case let .keyActionFailed(action, storeId, keyId, error):
            return keyActionFailed(action, storeId: storeId, keyId: keyId, error, &state)
        case let .keysFailed(id, error):
            state.keys[id] = .failed(error)
            return []
        case let .historyLoaded(id, events):
            state.histories[id] = .loaded(events)
            refineStart(id, from: events, &state)
            return []
        case let .historyFailed(id, error):
            state.histories[id] = .failed(error)
            return []
        case let .eventsFollowed(after):
            state.eventCursor = after
            state.following = true
            return [.loadStores]
        case let .eventsFailed(error):
            state.following = false
            setError(error, doing: "Live updates stopped", &state)
            return []
        case let .engineEvent(event):
            return applyEvent(event, &state)
        case let .transitionLoaded(id, progress):
            transitionLoaded(id, progress, &state)
            return []
        case let .regionSwitched(backend, choices):
            return regionSwitched(backend, choices: choices, &state)
        case .workflowAccepted:
            return []
        case let .workflowRejected(kind, id, error):
            return workflowRejected(kind, id, error, &state)
        case let .workflowUpdate(kind, id, update):
            workflowUpdate(kind, id, update, &state)
            return []
        case let .created(id, name):
            return created(id, name, &state)
        case let .createFailed(error):
            formFailed(error, &state)
            return []
        case let .createInvalid(problem):
            formInvalid(problem, &state)
            return []
        case let .updated(id, newName):
            return updated(id, newName: newName, &state)
        case let .updateFailed(_, error):
            formFailed(error, &state)
            return []
        case let .deleted(id):
            let name = state.stores[id]?.name ?? id
            if case .delete = state.modal { state.modal = nil }
            removeStore(id, &state)
            state.status = .init(text: "Deleted key store \(name).", kind: .success)
            return []
        case let .proxyConfigurationRead(path, result, thenSubmit):
            return proxyConfigurationRead(path, result, thenSubmit: thenSubmit, &state)
        case let .keyCreated(id, key):
            return keyCreated(id, key, &state)
        case let .keyCreateFailed(_, error):
            formFailed(error, &state)
            return []
        case let .proxyObservationLoaded(id, observation):
            state.proxyObservations[id] = .loaded(observation)
            return []
        case let .proxyObservationFailed(id, error):
            state.proxyObservations[id] = .failed(error)
            return []
        case let .proxyHealthChanged(id):
            return proxyHealthChanged(id, &state)
        case let .repairContextLoaded(id, context):
            // The suggested password stays the one already shown.
            var context = context
            if let shown = state.repairContexts[id]?.password { context.password = shown }
            state.repairContexts[id] = context
            return []
        case let .simulatedRepairApplied(id, result):
            return simulatedRepairApplied(id, result, &state)
        case let .simulatedRepairFailed(id, error):
            return simulatedRepairFailed(id, error, &state)
        case let .xksRepairActionLoaded(id, code, action):
            return xksRepairActionLoaded(id, code, action, &state)
        case let .xksRepairActionFailed(id, code, error):
            return xksRepairActionFailed(id, code, error, &state)
        case let .credentialStatusChanged(status):
            return credentialStatusChanged(status, &state)
        case let .codeRequested(id, request):
            return codeRequested(id: id, request, &state)
        case let .deleteFailed(id, error):
            if case .delete = state.modal { state.modal = nil }
            logError(error, store: id, &state)
            setError(error, doing: nil, &state)
            return []
        }
    }

    // MARK: Helpers shared by the reducer's files

    /// Rebuilds both tabs' tables (each counts the stores of the other's type too, for the header).
    static func rebuildTable(_ state: inout AppState) {
        state.cloudHSMTable.rebuild(stores: state.stores, clusters: state.clusters)
        state.externalTable.rebuild(stores: state.stores, clusters: state.clusters)
    }

    static func removeStore(_ id: String, _ state: inout AppState) {
        state.stores[id] = nil
        state.keys[id] = nil
        state.repairs[id] = nil
        state.proxyObservations[id] = nil
        rebuildTable(&state)
        leaveVanishedDetail(&state)
    }

    static func leaveVanishedDetail(_ state: inout AppState) {
        if case let .detail(id) = state.screen, state.stores[id] == nil {
            state.screen = .list
            state.detailScroll = 0
        }
        switch state.modal {
        case let .actions(menu) where menu.storeId.map({ state.stores[$0] == nil }) ?? false: state.modal = nil
        case let .disconnect(dialog) where state.stores[dialog.storeId] == nil: state.modal = nil
        case let .delete(dialog) where state.stores[dialog.storeId] == nil: state.modal = nil
        case let .keyDeletion(dialog) where state.stores[dialog.storeId] == nil: state.modal = nil
        default: break
        }
    }

    /// Shows an error in the footer, and keeps it in the event log, where Enter shows it whole however long it is.
    static func setError(_ error: KMSError, doing operation: String?, _ state: inout AppState) {
        let prefix = operation.map { "\($0): " } ?? ""
        let text = "\(prefix)\(error.code.rawValue): \(error.message)"
        state.status = .init(text: text, kind: .error)
        let last = state.log.entries.last
        if last?.kind != .error || !text.hasSuffix(last?.text ?? "\u{0}") {
            state.log.append(LogEntry(time: state.now, kind: .error, storeName: nil, text: text, copyText: nil))
        }
    }

    static func logCommand(_ command: String, store: String?, name: String? = nil, _ state: inout AppState) {
        state.log.append(LogEntry(time: state.now, kind: .command, storeName: name ?? store.flatMap { state.stores[$0]?.name },
                                  text: "$ " + command, copyText: command))
    }

    static func logError(_ error: KMSError, store: String?, _ state: inout AppState) {
        state.log.append(LogEntry(time: state.now, kind: .error, storeName: store.flatMap { state.stores[$0]?.name },
                                  text: "\(error.code.rawValue): \(error.message)", copyText: nil))
    }

    /// Keeps the selected row inside the visible part of the table.
    static func keepSelectionVisible(_ state: inout AppState) {
        let rows = Layout(state).tableRows
        let count = state.table.order.count
        var top = state.table.scrollTop
        if let index = state.table.selectedIndex {
            if index < top { top = index }
            if index >= top + rows { top = index - rows + 1 }
        }
        state.table.scrollTop = max(0, min(top, count - rows))
    }
}
