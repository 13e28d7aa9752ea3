/// A wait whose condition did not come true within its bound.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public var what: String
    public var bound: Duration
    /// What was seen last, when the waiter knows.
    public var last: String

    public init(what: String, bound: Duration, last: String = "") {
        self.what = what
        self.bound = bound
        self.last = last
    }

    public var description: String { "timed out after \(bound) waiting for \(what)" + (last.isEmpty ? "" : "; last seen: \(last)") }
}

/// Polls `check` until it returns a value, at most `bound` (generous by default: the machine is loaded). It
/// yields a few times first, then pauses `interval` between polls: a polling interval, never a wait for time
/// to pass. The one wait of the tests: `eventually` and the screen waits are built on it.
nonisolated(nonsending) public func poll<T>(
    _ what: String, bound: Duration = .testWaitBound, every interval: Duration = .milliseconds(10),
    _ check: () async throws -> T?
) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: bound)
    var polls = 0
    while true {
        if let value = try await check() { return value }
        if clock.now >= deadline { throw WaitTimedOut(what: what, bound: bound) }
        polls += 1
        if polls < 20 { await Task.yield() } else { try await Task.sleep(for: interval) }
    }
}

/// Polls until `condition` holds, at most `bound`; throws `WaitTimedOut`.
nonisolated(nonsending) public func eventually(
    _ what: String, bound: Duration = .testWaitBound, every interval: Duration = .milliseconds(10),
    _ condition: () async throws -> Bool
) async throws {
    _ = try await poll(what, bound: bound, every: interval) { try await condition() ? true : nil }
}

/// Polls until `condition` holds, at most `bound`; false when it never did (for `#expect(await eventually { … })`).
nonisolated(nonsending) public func eventually(within bound: Duration = .testWaitBound, _ condition: () async -> Bool) async -> Bool {
    (try? await poll("a condition", bound: bound) { await condition() ? true : nil }) ?? false
}

extension Duration {
    /// How long a test waits for something before it calls it hung. Far beyond what any wait takes, even on a
    /// loaded 2-core machine running the whole suite at once (where a wait that takes 0.5 s alone once took
    /// 85 s, queued behind every other test), so that only a hang reaches it.
    public static let testWaitBound: Duration = .seconds(300)
}
