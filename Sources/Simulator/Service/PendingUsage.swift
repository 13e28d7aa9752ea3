import Foundation
import GRDB
import KeyStoreEngine
import Synchronization

/// Uses of keys (Encrypt, Decrypt, …) not yet written to the world: `cks serve` answers a cryptographic call
/// without a durable write and writes the uses in batches, so that a call costs a read, not a commit.
/// This process sees them at once; other processes (a console) after the next flush, at most
/// `SimulatorService.usageFlushDelay` later. A killed process loses at most that much of its usage history.
final class PendingUsage: Sendable {
    private struct State {
        var uses: [KeyUsageRecord] = []
        /// The newest use of each key this process made. Kept after a flush (at most one entry per key), so a
        /// reader whose snapshot predates the flush still sees the use.
        var latest: [String: KeyUsage] = [:]
        var flushScheduled = false
    }

    private let state = Mutex(State())

    /// Adds a use; returns true when the caller should schedule a flush (none is scheduled yet).
    func add(keyId: String, operation: String, time: Date) -> Bool {
        state.withLock { state in
            state.uses.append(KeyUsageRecord(id: nil, keyId: keyId, operation: operation, time: time))
            if (state.latest[keyId]?.time ?? .distantPast) <= time {
                state.latest[keyId] = KeyUsage(operation: operation, time: time)
            }
            if state.flushScheduled { return false }
            state.flushScheduled = true
            return true
        }
    }

    /// The key as this process knows it: its newest use may not be in the world yet.
    func overlay(_ key: KMSKey) -> KMSKey {
        guard let pending = state.withLock({ $0.latest[key.id] }) else { return key }
        guard pending.time >= key.lastUsage?.time ?? .distantPast else { return key }
        var key = key
        key.lastUsage = pending
        return key
    }

    /// `write(into:)` in a savepoint, for a transaction that has its own work: a failure leaves the uses
    /// pending for the next flush and does not fail that work.
    func writeIfPossible(into db: Database) {
        try? db.inSavepoint {
            _ = try write(into: db)
            return .commit
        }
    }

    /// Writes every pending use in the current transaction (uses of keys deleted meanwhile are dropped).
    /// The pending uses are forgotten only if the transaction commits; on a rollback they stay for the next flush.
    func write(into db: Database) throws -> Int {
        let uses = state.withLock { $0.uses }
        guard !uses.isEmpty else { return 0 }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO key_usage (key_id, operation, time) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM kms_keys WHERE id = ?)
            """)
        for use in uses {
            try insert.execute(arguments: [use.keyId, use.operation, use.time.timeIntervalSince1970, use.keyId])
        }
        db.afterNextTransaction { _ in self.forget(uses.count) }
        return uses.count
    }

    private func forget(_ count: Int) {
        state.withLock { $0.uses.removeFirst(min(count, $0.uses.count)) }
    }

    /// Called by the flush task after a flush: true when nothing is left (the task ends, and the next use
    /// schedules a new one); false when uses arrived meanwhile, or the flush failed, and it must flush again.
    func finishFlush() -> Bool {
        state.withLock { state in
            guard state.uses.isEmpty else { return false }
            state.flushScheduled = false
            return true
        }
    }
}
