import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// The read model answers repeated reads from memory; a change made by another service on the world (another
/// process) or a deletion that falls due is seen by the very next read.
@Suite("Read model")
struct ReadModelTests {
    @Test("a change by another service on the same world is seen by the next DescribeKey, key use and ListKeys")
    func otherServicesChangesAreSeenAtOnce() async throws {
        let world = try World()
        defer { world.remove() }
        let other = try World(home: world.home, clock: world.clock)
        defer { other.service.close() }
        let key = try await world.service.createKey(inKeyStore: nil, description: "read model")
        // Each asked twice, so the second answer comes from memory.
        for _ in 0..<2 {
            #expect(try await world.service.describeKey(key.id).keyState == .enabled)
            _ = try await world.service.useKey(key.id, operation: "Encrypt")
        }
        let before = try await world.service.listKeys(limit: 1000, marker: nil)
        #expect(try await world.service.listKeys(limit: 1000, marker: nil).keys.map(\.keyId) == before.keys.map(\.keyId))

        try await other.service.disableKey(key.id)
        #expect(try await world.service.describeKey(key.id).keyState == .disabled)
        await #expect(throws: KMSError.self) { try await world.service.useKey(key.id, operation: "Encrypt") }
        let created = try await other.service.createKey(inKeyStore: nil, description: "another")
        let after = try await world.service.listKeys(limit: 1000, marker: nil)
        #expect(Set(after.keys.map(\.keyId)) == Set(before.keys.map(\.keyId) + [created.id]))
    }

    @Test("a key deletion that falls due is not answered from memory")
    func dueDeletionIsNotAnsweredFromMemory() async throws {
        let world = try World()
        defer { world.remove() }
        let key = try await world.service.createKey(inKeyStore: nil, description: "to delete")
        _ = try await world.service.scheduleKeyDeletion(key.id, pendingWindowInDays: 7)
        for _ in 0..<2 { #expect(try await world.service.describeKey(key.id).keyState == .pendingDeletion) }
        world.clock.advance(by: 8 * 86_400)
        await #expect(throws: KMSError.self) { try await world.service.describeKey(key.id) }
    }
}
