import AWSBackend
import Foundation
import Synchronization

/// A clock that moves only when a test says so. `sleep` suspends until `advance` passes its deadline (or the
/// task is cancelled); every requested sleep is recorded.
final class ManualClock: BackendClock {
    private struct Sleeper {
        var id: UUID
        var deadline: Date
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var requested: [Duration] = []
        var cancelled: Set<UUID> = []
    }

    private let state: Mutex<State>

    init(start: Date = Date(timeIntervalSince1970: 1_760_000_000)) {
        state = Mutex(State(now: start))
    }

    func now() -> Date { state.withLock { $0.now } }

    /// Every duration passed to `sleep`, in order.
    var requestedSleeps: [Duration] { state.withLock { $0.requested } }
    /// Sleeps still waiting.
    var pendingSleepers: Int { state.withLock { $0.sleepers.count } }

    func sleep(for duration: Duration) async throws(CancellationError) {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    state.requested.append(duration)
                    if state.cancelled.contains(id) { return true }
                    let deadline = state.now.addingTimeInterval(duration.timeInterval)
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                state.cancelled.insert(id)
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume()
        }
        state.withLock { _ = $0.cancelled.remove(id) }
        if Task.isCancelled { throw CancellationError() }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due: [Sleeper] = state.withLock { state in
            state.now = state.now.addingTimeInterval(duration.timeInterval)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}

/// A clock whose sleeps return at once, recording what was asked (for retry tests).
final class RecordingSleeper: BackendClock {
    private let state = Mutex<[Duration]>([])
    private let start = Date(timeIntervalSince1970: 1_760_000_000)

    func now() -> Date { start }
    var sleeps: [Duration] { state.withLock { $0 } }

    func sleep(for duration: Duration) async throws(CancellationError) {
        state.withLock { $0.append(duration) }
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// A helper that could not get what it needed (a port, a program, a timely answer).
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
