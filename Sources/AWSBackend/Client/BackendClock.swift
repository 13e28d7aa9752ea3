import Foundation

/// The time the AWS backend reads and waits on: the wall clock in use, a manual clock in tests (nothing sleeps).
public protocol BackendClock: Sendable {
    func now() -> Date
    /// Waits `duration`, or throws when the task is cancelled first.
    func sleep(for duration: Duration) async throws(CancellationError)
}

/// The real clock.
public struct SystemBackendClock: BackendClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(for duration: Duration) async throws(CancellationError) {
        do {
            try await Task.sleep(for: duration)
        } catch {
            throw CancellationError()
        }
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
