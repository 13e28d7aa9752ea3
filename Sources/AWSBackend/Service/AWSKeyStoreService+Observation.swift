import Foundation
import KeyStoreEngine

extension AWSKeyStoreService {
    /// Takes in stores seen by the request stamped `stamp`, records the events that explain what changed, and
    /// returns the IDs of stores whose connection state changed. An answer older than what is already known of
    /// a store is ignored for that store. `complete`: the answer lists every store, so known ones missing from
    /// it were deleted; the first complete answer is the baseline, which records no events.
    @discardableResult
    func observe(_ stores: [CustomKeyStore], stamp: UInt64, complete: Bool) -> [String] {
        let now = clock.now()
        let fresh = stores.filter { isFresh($0.id, stamp: stamp) }
        var changes: [SnapshotDiff.Change]
        var gone: [String] = []
        if baselineEstablished {
            var previous: [String: CustomKeyStore] = [:]
            if complete {
                for (id, observed) in known where observed.stamp < stamp { previous[id] = observed.store }
                let seen = Set(stores.map(\.id))
                gone = previous.keys.filter { !seen.contains($0) }
            } else {
                for store in fresh { previous[store.id] = known[store.id]?.store }
            }
            changes = SnapshotDiff.changes(from: previous, to: fresh, complete: complete)
        } else {
            // Before the baseline only changes of stores already seen count; nothing is "new" yet.
            changes = fresh.flatMap { store in
                known[store.id].map { SnapshotDiff.storeChanges(from: $0.store, to: store) } ?? []
            }
        }
        let firstSight = Set(fresh.map(\.id)).subtracting(known.keys)
        for store in fresh {
            known[store.id] = ObservedStore(store: store, stamp: stamp)
            tombstones[store.id] = nil
        }
        for id in gone { forget(id, stamp: stamp) }
        if complete { baselineEstablished = true }
        for store in fresh { track(store, now: now, firstSight: firstSight.contains(store.id)) }
        log.append(changes, at: now)
        return changes.compactMap { change in
            if case .connectionStateChanged = change.kind { return change.keyStoreId }
            return nil
        }
    }

    /// A store KMS says no longer exists (deleted here, a NotFound answer, or missing from a full listing).
    func observeGone(_ id: String, stamp: UInt64) {
        guard isFresh(id, stamp: stamp) else { return }
        if let observed = known[id] {
            log.append([SnapshotDiff.Change(keyStoreId: id, kind: .keyStoreDeleted(name: observed.store.name))], at: clock.now())
        }
        forget(id, stamp: stamp)
    }

    private func forget(_ id: String, stamp: UInt64) {
        known[id] = nil
        tombstones[id] = stamp
        keysByStore[id] = nil
        pending[id] = nil
        transitions[id] = nil
    }

    /// True when nothing newer than `stamp` is known of the store.
    func isFresh(_ id: String, stamp: UInt64) -> Bool {
        if let observed = known[id], observed.stamp > stamp { return false }
        if let deleted = tombstones[id], deleted > stamp { return false }
        return true
    }

    /// Keeps the start of a CONNECTING or DISCONNECTING state, and the accepted workflow, up to date.
    private func track(_ store: CustomKeyStore, now: Date, firstSight: Bool) {
        let id = store.id
        if let waiting = pending[id], store.connectionState == waiting.stateAtAccept, !store.connectionState.isTransient {
            return  // KMS does not show the accepted request yet; keep its start.
        }
        pending[id] = nil
        guard store.connectionState.isTransient else {
            transitions[id] = nil
            return
        }
        if transitions[id]?.state == store.connectionState { return }
        transitions[id] = TransitionProgress(
            keyStoreId: id, state: store.connectionState, startedAt: now,
            precision: firstSight ? .alreadyUnderWay : .observed,
            documentedDuration: TransitionProgress.documentedDuration(for: store.type, state: store.connectionState))
    }

    /// Records a connect or disconnect KMS accepted: its start, a `workflowStarted` event, and a poll soon.
    func accepted(_ kind: WorkflowKind, keyStoreId id: String) {
        let now = clock.now()
        let state = known[id]?.store.connectionState
        if kind == .connect, state == .connected || state == .connecting { return }  // KMS's no-op
        pending[id] = PendingWorkflow(kind: kind, acceptedAt: now, stateAtAccept: state)
        let target: ConnectionState = kind == .connect ? .connecting : .disconnecting
        if state != target {
            transitions[id] = TransitionProgress(
                keyStoreId: id, state: target, startedAt: now, precision: .accepted,
                documentedDuration: TransitionProgress.documentedDuration(for: known[id]?.store.type ?? .awsCloudHSM, state: target))
        }
        log.append([SnapshotDiff.Change(keyStoreId: id, kind: .workflowStarted(kind))], at: now)
        requestPoll()
    }

    // MARK: Progress for the console

    /// How long the store has been CONNECTING or DISCONNECTING (nil when it is not, as far as this session knows).
    public func transitionProgress(ofKeyStore id: String) -> TransitionProgress? {
        transitions[id]
    }

    /// Every transition under way, oldest first.
    public func transitionsInProgress() -> [TransitionProgress] {
        transitions.values.sorted { ($0.startedAt, $0.keyStoreId) < ($1.startedAt, $1.keyStoreId) }
    }
}
