import KeyStoreEngine
import Synchronization

/// Carries the backend's requests for one-time codes to the console (as actions) and the typed answers back to
/// the task that waits for them. Closing it answers every waiting request with nil, and every later one at once.
final class CodePromptBridge: Sendable {
    private struct Waiting {
        var next = 0
        var continuations: [Int: CheckedContinuation<String?, Never>] = [:]
        var closed = false
    }

    private let waiting = Mutex(Waiting())
    private let announce: @Sendable (_ id: Int, _ request: CodeRequest) -> Void

    init(announce: @escaping @Sendable (_ id: Int, _ request: CodeRequest) -> Void) {
        self.announce = announce
    }

    /// Waits until the person answers the request in the console (nil: no code given, or the console ended).
    func ask(_ request: CodeRequest) async -> String? {
        await withCheckedContinuation { continuation in
            let id: Int? = waiting.withLock { state in
                guard !state.closed else { return nil }
                state.next += 1
                state.continuations[state.next] = continuation
                return state.next
            }
            guard let id else { return continuation.resume(returning: nil) }
            announce(id, request)
        }
    }

    func answer(_ id: Int, code: String?) {
        waiting.withLock { $0.continuations.removeValue(forKey: id) }?.resume(returning: code)
    }

    func close() {
        let left = waiting.withLock { state in
            state.closed = true
            defer { state.continuations = [:] }
            return Array(state.continuations.values)
        }
        for continuation in left { continuation.resume(returning: nil) }
    }
}
