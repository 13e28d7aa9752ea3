import KeyStoreEngine

/// Changes sent and not answered: each answer settles its change, and none may be left behind in a Region the
/// console switches away from.
extension Reducer {
    /// Removes the change an answer settles.
    static func settlePending(_ action: Action, _ state: inout AppState) {
        guard action.answersChange, let index = state.pendingChanges.firstIndex(where: { $0.isAnswered(by: action) }) else { return }
        state.pendingChanges.remove(at: index)
    }

    /// True (and a message naming what is awaited) while a change is unanswered: a switch of Region now would
    /// leave its answer to a screen that no longer shows its Region.
    static func refuseSwitchWhilePending(_ state: inout AppState) -> Bool {
        guard !state.pendingChanges.isEmpty else { return false }
        let phrases = state.pendingChanges.map { $0.phrase(state.stores) }
        let list = phrases.count == 1 ? phrases[0] : phrases.dropLast().joined(separator: ", ") + " and " + phrases[phrases.count - 1]
        state.status = .init(text: "Wait for \(list) to be answered before switching Region.", kind: .info)
        return true
    }
}
