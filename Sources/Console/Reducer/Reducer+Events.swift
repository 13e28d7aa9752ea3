import Foundation
import KeyStoreEngine

extension Reducer {
    /// An event from the engine: it may come from this console's actions or from another process.
    static func applyEvent(_ event: KeyStoreEvent, _ state: inout AppState) -> [Effect] {
        if let cursor = state.eventCursor, event.sequence <= cursor { return [] }
        state.eventCursor = event.sequence
        var effects: [Effect] = []
        let id = event.keyStoreId
        logEvent(event, &state)
        if let id, case var .loaded(history)? = state.histories[id] {
            history.append(event)
            state.histories[id] = .loaded(history)
        }

        switch event.kind {
        case let .connectionStateChanged(_, to, code):
            guard let id else { break }
            state.changedAt[id] = state.now
            if let old = state.stores[id] {
                var store = old
                store.connectionState = to
                store.connectionErrorCode = to == .failed ? code : nil
                state.stores[id] = store
                state.cloudHSMTable.connectionChanged(from: old, to: store, stores: state.stores, clusters: state.clusters)
                state.externalTable.connectionChanged(from: old, to: store, stores: state.stores, clusters: state.clusters)
            } else {
                effects.append(.loadStore(id: id))
            }
            effects += trackWorkflow(of: id, event, &state)
            if to.isTransient { effects += transitionEffects(id, state) }
            if state.keys[id] != nil { effects.append(.loadKeys(storeId: id)) }
            announceSettledState(id, to, code, &state)
            effects += advanceRepair(id, to, &state)
        case .workflowStarted:
            if let id { effects += trackWorkflow(of: id, event, &state) + transitionEffects(id, state) }
        case .stepStarted, .stepFinished, .stepFailed:
            if let id { effects += trackWorkflow(of: id, event, &state) }
        case .keyStoreCreated, .keyStoreUpdated:
            if let id {
                state.changedAt[id] = state.now
                effects.append(.loadStore(id: id))
            }
        case .keyStoreDeleted:
            if let id {
                if case .detail(id) = state.screen {
                    state.status = .init(text: "\(state.stores[id]?.name ?? id) was deleted.", kind: .info)
                }
                removeStore(id, &state)
            }
        case .keyCreated, .keyDeleted, .keyStateChanged:
            if let id, state.keys[id] != nil { effects.append(.loadKeys(storeId: id)) }
        case .worldChanged:
            effects.append(.loadClusters)
        }
        // What happens to the shown external key store may have reached its proxy: ask for its health and log again.
        if case let .detail(shown) = state.screen, shown == id || id == nil, state.stores[shown]?.type == .externalKeyStore,
           state.proxyObservations[shown] != nil, !effects.contains(.loadProxyObservation(storeId: shown)) {
            effects.append(.loadProxyObservation(storeId: shown))
        }
        return effects
    }

    /// A new health answer of a proxy: the detail that shows it asks again; another store's is asked when it opens.
    static func proxyHealthChanged(_ id: String, _ state: inout AppState) -> [Effect] {
        guard case .detail(id) = state.screen, state.stores[id]?.type == .externalKeyStore, state.proxyObservations[id] != nil else {
            return []
        }
        return [.loadProxyObservation(storeId: id)]
    }

    private static func logEvent(_ event: KeyStoreEvent, _ state: inout AppState) {
        var name = event.keyStoreId.flatMap { state.stores[$0]?.name }
        if case let .keyStoreCreated(created) = event.kind { name = created }
        if case let .keyStoreDeleted(deleted) = event.kind { name = deleted }
        let isError: Bool = switch event.kind {
        case .stepFailed: true
        case let .connectionStateChanged(_, to, _): to == .failed
        default: false
        }
        state.log.append(LogEntry(time: event.time, kind: isError ? .error : .event, storeName: name ?? event.keyStoreId,
                                  text: event.summary, copyText: nil))
    }

    /// Feeds a workflow event to the store's running workflow, starting to watch one seen for the first time:
    /// from its start event, it started then; from a later one, it started earlier, as its history will say.
    @discardableResult
    static func trackWorkflow(of id: String, _ event: KeyStoreEvent, _ state: inout AppState) -> [Effect] {
        if let index = state.workflows.lastIndex(where: { $0.storeId == id && $0.isRunning }) {
            // A workflow of the other kind (a disconnect during a connect) ends this one; it is watched from here on.
            guard let other = event.workflowKind, other != state.workflows[index].kind,
                  event.sequence > state.workflows[index].lastSequence else {
                state.workflows[index].apply(event, now: state.now)
                return []
            }
            state.workflows[index].interrupt(by: other, now: state.now)
        }
        // The tracker's stream may run ahead of the global one: an event a finished workflow already saw is old news.
        if let latest = state.workflows.last(where: { $0.storeId == id }), event.sequence <= latest.lastSequence { return [] }
        guard let kind = event.workflowKind else { return [] }
        var workflow = WorkflowProgress(storeId: id, kind: kind, origin: .elsewhere, startedAt: min(event.time, state.now))
        let fromTheStart = startsWorkflow(event, kind: kind)
        if !fromTheStart { workflow.startPrecision = .alreadyUnderWay }
        workflow.apply(event, now: state.now)
        state.workflows.append(workflow)
        pruneWorkflows(&state)
        return fromTheStart || state.switchesRegions ? [] : [.loadHistory(storeId: id)]
    }

    static func pruneWorkflows(_ state: inout AppState) {
        let finished = state.workflows.filter { !$0.isRunning }
        if finished.count > 20, let oldest = state.workflows.firstIndex(where: { !$0.isRunning }) {
            state.workflows.remove(at: oldest)
        }
    }

    private static func announceSettledState(_ id: String, _ to: ConnectionState, _ code: ConnectionErrorCode?, _ state: inout AppState) {
        guard let name = state.stores[id]?.name, state.status == nil || state.status?.kind == .info else { return }
        switch to {
        case .failed:
            let code = code.map { " with \($0.rawValue)" } ?? ""
            state.status = .init(text: "\(name) FAILED\(code). Open it (Enter) to read the fix.", kind: .error)
        case .connected where state.workflows.contains(where: { $0.storeId == id && $0.origin == .console }):
            state.status = .init(text: "\(name) is CONNECTED.", kind: .success)
        case .disconnected where state.workflows.contains(where: { $0.storeId == id && $0.origin == .console }):
            state.status = .init(text: "\(name) is DISCONNECTED.", kind: .success)
        default:
            break
        }
    }

    /// Updates from `WorkflowTracker` for a workflow this console started.
    static func workflowUpdate(_ kind: WorkflowKind, _ id: String, _ update: WorkflowUpdate, _ state: inout AppState) {
        guard let index = state.workflows.lastIndex(where: { $0.storeId == id && $0.kind == kind }) else { return }
        switch update {
        case let .event(event):
            state.workflows[index].apply(event, now: state.now)
        case let .finished(outcome):
            state.workflows[index].finish(outcome, now: state.now)
        }
    }

    static func workflowRejected(_ kind: WorkflowKind, _ id: String, _ error: KMSError, _ state: inout AppState) -> [Effect] {
        if let index = state.workflows.lastIndex(where: { $0.storeId == id && $0.kind == kind && $0.isRunning && $0.origin == .console }) {
            state.workflows.remove(at: index)
        }
        if state.repairs[id]?.stage == .connect || (state.repairs[id]?.stage == .disconnect && kind == .disconnect) {
            state.repairs[id] = nil
        }
        logError(error, store: id, &state)
        let operation = kind == .connect ? "ConnectCustomKeyStore" : "DisconnectCustomKeyStore"
        setError(error, doing: operation, &state)
        return [.loadStore(id: id)]
    }
}

extension WorkflowStep {
    /// The workflow a step belongs to.
    var workflowKind: WorkflowKind {
        switch self {
        case .locateCluster, .checkHSMs, .createSecurityGroup, .createNetworkInterface, .connectToCluster,
             .logInKmsUser, .rotatePassword, .checkEndpointService, .createVpcEndpoint, .createHostedZone, .checkProxyHealth:
            .connect
        case .logOutKmsUser, .deleteNetworkInterface, .deleteSecurityGroup, .disconnectFromCluster,
             .disconnectFromProxy, .deleteHostedZone, .deleteVpcEndpoint:
            .disconnect
        }
    }
}
