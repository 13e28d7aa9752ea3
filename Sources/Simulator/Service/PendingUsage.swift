import Foundation
import GRDB
import KeyStoreEngine
import Synchronization

/// Uses of keys (Encrypt, Decrypt, …) not yet written to the world: `cks serve` answers a cryptographic call
/// without a durable write and writes the uses in batches, so that a call costs a read, not a commit.
/// This process sees them at once; other processes (a console) after the next flush, at most
/// `SimulatorService.usageFlushDelay` later. A killed process loses at most that much of its usage history.
///
/// What the world keeps of a key's uses is its last one (the only use anything reads: "last used"), so a batch
/// holds the newest use of each key, and its flush replaces that key's older rows: a flush after 2,000 Encrypts of
/// one key writes one row, and a long load test does not grow the world file.
final class PendingUsage: Sendable {
    private struct State {
        /// The newest use of each key not yet written.
        var unwritten: [String: KeyUsage] = [:]
        /// The newest use of each key this process made. Kept after a flush (at most one entry per key), so a
        /// reader whose snapshot predates the flush still sees the use.
        var latest: [String: KeyUsage] = [:]
        var flushScheduled = false
    }

    private let state = Mutex(State())

    /// Adds a use; returns true when the caller should schedule a flush (none is scheduled yet).
    func add(keyId: String, operation: String, time: Date) -> Bool {
        let use = KeyUsage(operation: operation, time: time)
        return state.withLock { state in
            if (state.unwritten[keyId]?.time ?? .distantPast) <= time { state.unwritten[keyId] = use }
            if (state.latest[keyId]?.time ?? .distantPast) <= time { state.latest[keyId] = use }
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

    /// Writes the newest pending use of each key in the current transaction, in place of the key's older rows
    /// (uses of keys deleted meanwhile are dropped; a newer use another process wrote stays). The pending uses
    /// are forgotten only if the transaction commits; on a rollback they stay for the next flush. Returns how
    /// many keys' uses were written.
    func write(into db: Database) throws -> Int {
        let uses = state.withLock { $0.unwritten }
        guard !uses.isEmpty else { return 0 }
        let dropOlder = try db.cachedStatement(sql: "DELETE FROM key_usage WHERE key_id = ? AND time <= ?")
        let insert = try db.cachedStatement(sql: """
            INSERT INTO key_usage (key_id, operation, time) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM kms_keys WHERE id = ?)
            """)
        for (keyId, use) in uses {
            let time = use.time.timeIntervalSince1970
            try dropOlder.execute(arguments: [keyId, time])
            try insert.execute(arguments: [keyId, use.operation, time, keyId])
        }
        db.afterNextTransaction { _ in self.forget(uses) }
        return uses.count
    }

    /// Forgets the written uses, unless a newer use of the same key arrived meanwhile.
    private func forget(_ written: [String: KeyUsage]) {
        state.withLock { state in
            for (keyId, use) in written where state.unwritten[keyId] == use {
                state.unwritten[keyId] = nil
            }
        }
    }

    /// Called by the flush task after a flush: true when nothing is left (the task ends, and the next use
    /// schedules a new one); false when uses arrived meanwhile, or the flush failed, and it must flush again.
    func finishFlush() -> Bool {
        state.withLock { state in
            guard state.unwritten.isEmpty else { return false }
            state.flushScheduled = false
            return true
        }
    }
}
