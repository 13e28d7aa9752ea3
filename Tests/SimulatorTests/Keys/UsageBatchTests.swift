import CKSTestSupport
import Foundation
import GRDB
import KeyStoreEngine
import Simulator
import Testing

/// Uses of keys are answered without a write of their own and reach the world file in batches
/// (`PendingUsage`): this process sees them at once, other processes after the flush.
@Suite("Key uses written in batches")
struct UsageBatchTests {
    /// Long enough that no flush by time happens during a test: what reaches the file got there another way.
    static let noTimedFlush: Duration = .seconds(3600)

    func lastUsage(_ world: World, _ description: String) async throws -> KeyUsage? {
        try #require(try await world.service.keys(inKeyStore: Demo.payments).first { $0.description == description }).lastUsage
    }

    @Test("A use shows at once in this process; another process sees it after close() writes it")
    func flushedOnClose() async throws {
        let first = try World(usageFlushDelay: Self.noTimedFlush)
        defer { first.remove() }
        let key = try #require(try await first.service.keys(inKeyStore: Demo.payments).first { $0.description == "Payments data key 1" })
        try await first.advance(5)
        _ = try await first.service.useKey(key.id, operation: "Decrypt")
        #expect(try await first.service.describeKey(key.id).lastUsage?.operation == "Decrypt")
        #expect(try await lastUsage(first, "Payments data key 1")?.operation == "Decrypt")

        first.service.close()
        let second = try World(home: first.home, clock: first.clock)
        defer { second.service.close() }
        let seen = try #require(try await lastUsage(second, "Payments data key 1"))
        #expect(seen.operation == "Decrypt")
        #expect(abs(seen.time.timeIntervalSince(first.clock.now())) < 0.001)
    }

    @Test("Any write of this process takes the pending uses with it")
    func flushedByAWrite() async throws {
        let first = try World(usageFlushDelay: Self.noTimedFlush)
        defer { first.remove() }
        let key = try #require(try await first.service.keys(inKeyStore: Demo.payments).first { $0.description == "Payments data key 2" })
        try await first.advance(5)
        for _ in 0..<3 { _ = try await first.service.useKey(key.arn, operation: "GenerateDataKey") }

        let second = try World(home: first.home, clock: first.clock)
        defer { second.service.close() }
        #expect(try await lastUsage(second, "Payments data key 2")?.operation != "GenerateDataKey", "not written yet")
        _ = try await first.service.createKey(inKeyStore: nil, description: "any write")
        #expect(try await lastUsage(second, "Payments data key 2")?.operation == "GenerateDataKey")
        first.service.close()
    }

    @Test("Without any write, the uses reach the file after the flush delay")
    func flushedAfterTheDelay() async throws {
        let first = try World(usageFlushDelay: .milliseconds(10))
        defer { first.remove() }
        let key = try #require(try await first.service.keys(inKeyStore: Demo.payments).first { $0.description == "Payments data key 1" })
        try await first.advance(5)
        _ = try await first.service.useKey(key.id, operation: "Sign")

        let second = try World(home: first.home, clock: first.clock)
        defer { second.service.close() }
        // The flush is a task on the shared pool. The usual wait is milliseconds, but at the start of a full parallel
        // run the pool is crowded for over 10 s (the test helpers no longer block it; the suites' own work does):
        // the shared generous bound.
        try await eventually("the use written by the timed flush") {
            try await lastUsage(second, "Payments data key 1")?.operation == "Sign"
        }
    }

    @Test("A use of a key that another process deleted before the flush is dropped; the others are written")
    func deletedKeyIsDropped() async throws {
        let first = try World(usageFlushDelay: Self.noTimedFlush)
        defer { first.remove() }
        let keys = try await first.service.keys(inKeyStore: Demo.payments)
        let doomed = try #require(keys.first { $0.description == "Payments data key 1" })
        let kept = try #require(keys.first { $0.description == "Payments data key 2" })
        _ = try await first.service.useKey(doomed.id, operation: "Encrypt")
        _ = try await first.service.useKey(kept.id, operation: "Decrypt")

        let second = try World(home: first.home, clock: first.clock)
        defer { second.service.close() }
        _ = try await second.service.scheduleKeyDeletion(doomed.id, pendingWindowInDays: 7)
        try await second.advance(8 * 86_400)
        await #expect(throws: KMSError.self) { try await second.service.describeKey(doomed.id) }

        first.service.close()
        #expect(try await lastUsage(second, "Payments data key 2")?.operation == "Decrypt")
        let doomedId = doomed.id
        let orphans = try await DatabaseQueue(path: first.file.path).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM key_usage WHERE key_id = ?", arguments: [doomedId])
        }
        #expect(orphans == 0)
    }

    @Test("A batch writes each key's newest use in place of its older rows: the world keeps one row per used key")
    func oneRowPerKey() async throws {
        let first = try World(usageFlushDelay: Self.noTimedFlush)
        defer { first.remove() }
        let keys = try await first.service.keys(inKeyStore: Demo.payments)
        let busy = try #require(keys.first { $0.description == "Payments data key 1" })
        let other = try #require(keys.first { $0.description == "Payments data key 2" })
        let busyId = busy.id, otherId = other.id
        let rows = { (keyId: String) in
            try await DatabaseQueue(path: first.file.path).read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM key_usage WHERE key_id = ?", arguments: [keyId]) ?? 0
            }
        }
        #expect(try await rows(busyId) > 1, "the demo world gives this key a history of uses")
        for round in 0..<50 {
            try await first.advance(1)
            _ = try await first.service.useKey(busy.id, operation: round == 49 ? "Decrypt" : "Encrypt")
        }
        _ = try await first.service.useKey(other.id, operation: "GenerateDataKey")
        first.service.close()

        #expect(try await rows(busyId) == 1)
        #expect(try await rows(otherId) == 1)
        let second = try World(home: first.home, clock: first.clock)
        defer { second.service.close() }
        let seen = try #require(try await lastUsage(second, "Payments data key 1"))
        #expect(seen.operation == "Decrypt")
        #expect(abs(seen.time.timeIntervalSince(first.clock.now())) < 0.001)
        #expect(try await lastUsage(second, "Payments data key 2")?.operation == "GenerateDataKey")
    }
}
