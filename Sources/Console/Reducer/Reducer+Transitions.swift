import Foundation
import KeyStoreEngine

/// Since when a store has been CONNECTING or DISCONNECTING. The simulator's events say it outright; on AWS,
/// polls give no steps and no events for what was under way before the first one, so the service's
/// `transitionProgress` is asked, and a store found in transit becomes a workflow of the tray.
extension Reducer {
    /// Asks the service for the store's transition, on a backend that keeps them (AWS).
    static func transitionEffects(_ id: String, _ state: AppState) -> [Effect] {
        state.switchesRegions ? [.loadTransition(storeId: id)] : []
    }

    /// Stores already CONNECTING or DISCONNECTING when loaded: on AWS each becomes a workflow of the tray,
    /// its start asked of the service.
    static func adoptTransientStores(_ state: inout AppState) -> [Effect] {
        guard state.switchesRegions else { return [] }
        var effects: [Effect] = []
        for store in state.stores.values.sorted(by: { $0.id < $1.id }) where store.connectionState.isTransient {
            let kind: WorkflowKind = store.connectionState == .connecting ? .connect : .disconnect
            if !state.workflows.contains(where: { $0.storeId == store.id && $0.isRunning }) {
                var workflow = WorkflowProgress(storeId: store.id, kind: kind, origin: .elsewhere, startedAt: state.now)
                workflow.startPrecision = .alreadyUnderWay
                state.workflows.append(workflow)
            }
            effects.append(.loadTransition(storeId: store.id))
        }
        pruneWorkflows(&state)
        return effects
    }

    /// The service's start of a transition replaces what the console guessed.
    static func transitionLoaded(_ id: String, _ progress: TransitionProgress?, _ state: inout AppState) {
        guard let progress,
              let index = state.workflows.lastIndex(where: { $0.storeId == id && $0.isRunning && $0.transientState == progress.state })
        else { return }
        state.workflows[index].startedAt = progress.startedAt
        state.workflows[index].startPrecision = progress.precision
    }

    /// A workflow first seen half-way gets its exact start from the store's recorded events (the simulator's).
    static func refineStart(_ id: String, from history: [KeyStoreEvent], _ state: inout AppState) {
        guard let index = state.workflows.lastIndex(where: { $0.storeId == id && $0.isRunning && $0.startPrecision == .alreadyUnderWay }),
              let start = history.last(where: { startsWorkflow($0, kind: state.workflows[index].kind) })
        else { return }
        state.workflows[index].startedAt = start.time
        state.workflows[index].startPrecision = .observed
    }

    /// True for the event that begins a workflow of this kind: its start, or the store entering its state.
    static func startsWorkflow(_ event: KeyStoreEvent, kind: WorkflowKind) -> Bool {
        switch event.kind {
        case let .workflowStarted(started): started == kind
        case let .connectionStateChanged(_, to, _): to == (kind == .connect ? .connecting : .disconnecting)
        default: false
        }
    }
}
