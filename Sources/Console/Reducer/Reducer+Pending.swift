import KeyStoreEngine

/// Requests sent and not answered: each answer settles its request, and none may be left behind in a Region the
/// console switches away from.
extension Reducer {
    /// Removes the request an answer settles.
    static func settlePending(_ action: Action, _ state: inout AppState) {
        guard action.answersRequest, let index = state.pendingRequests.firstIndex(where: { $0.isAnswered(by: action) }) else { return }
        state.pendingRequests.remove(at: index)
    }

    /// True (and a message naming what is awaited) while a change is unanswered: a switch of Region now would
    /// leave its answer to a screen that no longer shows its Region.
    static func refuseSwitchWhilePending(_ state: inout AppState) -> Bool {
        guard !state.pendingRequests.isEmpty else { return false }
        let phrases = state.pendingRequests.map { $0.phrase(state.stores) }
        let list = phrases.count == 1 ? phrases[0] : phrases.dropLast().joined(separator: ", ") + " and " + phrases[phrases.count - 1]
        state.status = .init(text: "Wait for \(list) to be answered before switching Region.", kind: .info)
        return true
    }
}
