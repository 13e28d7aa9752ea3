import Synchronization

/// A one-shot event, set once from any thread and awaited by async code without holding a thread of the
/// cooperative pool.
final class Latch: Sendable {
    private struct State {
        var isSet = false
        var next: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    var isSet: Bool { state.withLock { $0.isSet } }

    func set() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.isSet else { return [] }
            state.isSet = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the latch is set, or at once when the task is cancelled.
    func wait() async {
        let id = state.withLock { state -> UInt64 in
            state.next += 1
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.isSet || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// True once set; false when `bound` passes first (or the task is cancelled).
    func wait(bound: Duration) async -> Bool {
        if isSet { return true }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await Task.sleep(for: bound) }
            await group.next()
            group.cancelAll()
            return isSet
        }
    }
}
