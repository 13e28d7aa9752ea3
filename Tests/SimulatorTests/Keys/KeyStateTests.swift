import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// KMS key states against the store's connection state (spec section 2, "KMS key states vs store state").
@Suite("KMS keys in custom key stores")
struct KeyStateTests {
    /// The key of a store with this description.
    func key(_ world: World, _ store: String, _ description: String) async throws -> KMSKey {
        try #require(try await world.service.keys(inKeyStore: store).first { $0.description == description })
    }

    func states(_ world: World, _ store: String) async throws -> [String: KeyState] {
        Dictionary(uniqueKeysWithValues: try await world.service.keys(inKeyStore: store).map { ($0.description, $0.keyState) })
    }

    @Test("Keys are Unavailable whenever the store is not CONNECTED; PendingDeletion stays", arguments: ConnectionState.allCases)
    func visibleStates(state: ConnectionState) async throws {
        let world = try World()
        defer { world.remove() }
        try await world.bring(Demo.ledger, to: state)
        let states = try await states(world, Demo.ledger)
        if state == .connected {
            #expect(states == ["Ledger data key 1": .enabled, "Ledger data key 2": .enabled, "Ledger legacy key": .disabled,
                               "Ledger retired key": .pendingDeletion])
        } else {
            #expect(states == ["Ledger data key 1": .unavailable, "Ledger data key 2": .unavailable,
                               "Ledger legacy key": .unavailable, "Ledger retired key": .pendingDeletion])
        }
        for key in try await world.service.keys(inKeyStore: Demo.ledger) {
            #expect(key.isEnabled == (key.keyState == .enabled))
            #expect(key.keyMetadataJSON(accountId: Demo.account)["KeyState"]?.stringValue == key.keyState.rawValue)
        }
    }

    @Test("Keys come back Enabled/Disabled on reconnect and go Unavailable at the disconnect call, with keyStateChanged events")
    func keyStateEvents() async throws {
        let world = try World()
        defer { world.remove() }
        let id = Demo.payments
        #expect(try await states(world, id).values.filter { $0 == .unavailable }.isEmpty)
        let cursor = try await world.service.latestEventSequence()
        let disconnectTime = world.clock.now()
        try await world.service.disconnectKeyStore(id: id)
        // At once, not at the end of the disconnect.
        #expect(try await states(world, id) == ["Payments data key 1": .unavailable, "Payments data key 2": .unavailable,
                                                "Payments data key 3": .unavailable, "Payments legacy key": .unavailable,
                                                "Payments retired key": .pendingDeletion])
        let goingAway = try await world.events(of: id, after: cursor).compactMap { event in
            event.kind.keyStateChange.map { (change: $0, time: event.time) }
        }
        #expect(goingAway.count == 4)
        #expect(goingAway.allSatisfy { $0.change.to == .unavailable && abs($0.time.timeIntervalSince(disconnectTime)) < 0.001 })
        #expect(Set(goingAway.map(\.change.from)) == [.enabled, .disabled])

        try await world.settle(id)
        let reconnectCursor = try await world.service.latestEventSequence()
        try await world.connectAndSettle(id)
        let comingBack = try await world.events(of: id, after: reconnectCursor).compactMap(\.kind.keyStateChange)
        #expect(comingBack.count == 4)
        #expect(comingBack.allSatisfy { $0.from == .unavailable })
        #expect(comingBack.map(\.to).filter { $0 == .enabled }.count == 3)
        #expect(comingBack.map(\.to).filter { $0 == .disabled }.count == 1)
        #expect(try await states(world, id)["Payments legacy key"] == .disabled)
        #expect(try await states(world, id)["Payments retired key"] == .pendingDeletion)
    }

    @Test("Using an Unavailable key is KMSInvalidStateException \"<ARN> is unavailable.\"")
    func unavailableKey() async throws {
        let world = try World()
        defer { world.remove() }
        let key = try await key(world, Demo.ledger, "Ledger data key 1")
        #expect(key.keyState == .unavailable)
        let error = await expectKMSError(.kmsInvalidState) { try await world.service.useKey(key.arn, operation: "Encrypt") }
        #expect(error?.message == "\(key.arn) is unavailable.")
        // Nothing is recorded for a refused use.
        #expect(try await self.key(world, Demo.ledger, "Ledger data key 1").lastUsage == nil)
        // Also by key ID, and in a FAILED store.
        let failedStoreKey = try await self.key(world, Demo.tokenization, "Token data key 1")
        let byId = await expectKMSError(.kmsInvalidState) { try await world.service.useKey(failedStoreKey.id, operation: "Decrypt") }
        #expect(byId?.message == "\(failedStoreKey.arn) is unavailable.")
    }

    @Test("Using a Disabled key of a CONNECTED store is DisabledException")
    func disabledKey() async throws {
        let world = try World()
        defer { world.remove() }
        let key = try await key(world, Demo.payments, "Payments legacy key")
        #expect(key.keyState == .disabled)
        await expectKMSError(.disabled, key.arn) { try await world.service.useKey(key.arn, operation: "Decrypt") }
    }

    @Test("A use is recorded as lastUsage with the clock's time")
    func usageIsRecorded() async throws {
        let world = try World()
        defer { world.remove() }
        let key = try await key(world, Demo.payments, "Payments data key 1")
        #expect(key.lastUsage?.operation == "Encrypt", "the demo world's history")
        try await world.advance(42)
        let used = try await world.service.useKey(key.id, operation: "GenerateDataKey")
        #expect(used.material.count == 32)
        let after = try await self.key(world, Demo.payments, "Payments data key 1")
        #expect(after.lastUsage?.operation == "GenerateDataKey")
        let usedAt = try #require(after.lastUsage?.time)
        #expect(abs(usedAt.timeIntervalSince(world.clock.now())) < 0.001)
        // The same material every time.
        #expect(try await world.service.useKey(key.arn, operation: "Decrypt").material == used.material)
    }

    @Test("CreateKey needs a CONNECTED store; the new key is Enabled with an ARN of the account and Region")
    func createKey() async throws {
        let world = try World()
        defer { world.remove() }
        await expectKMSError(.customKeyStoreInvalidState, "DISCONNECTED") { try await world.service.createKey(inKeyStore: Demo.ledger) }
        try await world.bring(Demo.ledger, to: .connected)
        let cursor = try await world.service.latestEventSequence()
        let key = try await world.service.createKey(inKeyStore: Demo.ledger, description: "fresh")
        #expect(key.keyState == .enabled)
        #expect(key.customKeyStoreId == Demo.ledger)
        #expect(key.cloudHsmClusterId == Demo.Cluster.ledger)
        #expect(key.id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil)
        #expect(key.arn == "arn:aws:kms:\(Demo.region):\(Demo.account):key/\(key.id)")
        #expect(try await world.events(of: Demo.ledger, after: cursor).map(\.kind) == [.keyCreated(keyId: key.id)])
        let metadata = key.keyMetadataJSON(accountId: Demo.account)
        #expect(metadata["Origin"]?.stringValue == "AWS_CLOUDHSM")
        #expect(metadata["CustomKeyStoreId"]?.stringValue == Demo.ledger)
        #expect(metadata["KeySpec"]?.stringValue == "SYMMETRIC_DEFAULT")
        #expect(try await world.service.keys(inKeyStore: Demo.ledger).count == 5)
        #expect(try await world.service.useKey(key.arn, operation: "Encrypt").key.keyState == .enabled)
    }

    @Test("CancelKeyDeletion works while disconnected; the key is Disabled once the store reconnects")
    func cancelDeletionWhileDisconnected() async throws {
        let world = try World()
        defer { world.remove() }
        let retired = try await key(world, Demo.ledger, "Ledger retired key")
        #expect(retired.keyState == .pendingDeletion)
        #expect(retired.deletionDate != nil)
        let cursor = try await world.service.latestEventSequence()
        try await world.service.cancelKeyDeletion(retired.arn)
        let cancelled = try await world.service.describeKey(retired.id)
        // Not CONNECTED: a key that is no longer PendingDeletion is Unavailable.
        #expect(cancelled.keyState == .unavailable)
        #expect(cancelled.deletionDate == nil)
        #expect(try await world.events(of: Demo.ledger, after: cursor).map(\.kind)
            == [.keyStateChanged(keyId: retired.id, from: .pendingDeletion, to: .unavailable)])
        try await world.connectAndSettle(Demo.ledger)
        #expect(try await world.service.describeKey(retired.id).keyState == .disabled)
        // And it is not deleted when its old deletion date passes.
        try await world.advance(30 * 86_400)
        #expect(try await world.service.describeKey(retired.id).keyState == .disabled)
    }

    @Test("A PendingDeletion key is deleted once its deletion date passes on the clock")
    func deletionDate() async throws {
        let world = try World()
        defer { world.remove() }
        let retired = try await key(world, Demo.ledger, "Ledger retired key")
        let deletion = try #require(retired.deletionDate)
        #expect(abs(deletion.timeIntervalSince(world.clock.now()) - 12 * 86_400) < 0.001)
        try await world.advance(deletion.timeIntervalSince(world.clock.now()) - 1)
        #expect(try await world.service.keys(inKeyStore: Demo.ledger).count == 4)
        try await world.advance(2)
        let keys = try await world.service.keys(inKeyStore: Demo.ledger)
        #expect(keys.count == 3)
        #expect(!keys.contains { $0.id == retired.id })
        await expectKMSError(.notFound, retired.id) { try await world.service.describeKey(retired.id) }
        let deleted = try #require(try await world.history(Demo.ledger).last { $0.kind == .keyDeleted(keyId: retired.id) })
        #expect(abs(deleted.time.timeIntervalSince(deletion)) < 0.001, "recorded at the deletion date")
        #expect(try await world.history(Demo.ledger).filter { $0.kind == .keyDeleted(keyId: retired.id) }.count == 1)
    }

    @Test("ScheduleKeyDeletion, DisableKey and EnableKey work on Unavailable keys; the visible state waits for the connection")
    func changesWhileUnavailable() async throws {
        let world = try World()
        defer { world.remove() }
        let first = try await key(world, Demo.ledger, "Ledger data key 1")
        let legacy = try await key(world, Demo.ledger, "Ledger legacy key")
        let cursor = try await world.service.latestEventSequence()
        try await world.service.disableKey(first.id)
        try await world.service.enableKey(legacy.id)
        #expect(try await world.service.describeKey(first.id).keyState == .unavailable)
        #expect(try await world.service.describeKey(legacy.id).keyState == .unavailable)
        #expect(try await world.events(of: Demo.ledger, after: cursor).isEmpty, "no visible change, no event")

        let second = try await key(world, Demo.ledger, "Ledger data key 2")
        let deletion = try await world.service.scheduleKeyDeletion(second.arn, pendingWindowInDays: 7)
        #expect(abs(deletion.timeIntervalSince(world.clock.now()) - 7 * 86_400) < 0.001)
        #expect(try await world.service.describeKey(second.id).keyState == .pendingDeletion)
        await expectKMSError(.validation, "pendingWindowInDays") {
            try await world.service.scheduleKeyDeletion(first.arn, pendingWindowInDays: 6)
        }

        try await world.connectAndSettle(Demo.ledger)
        #expect(try await world.service.describeKey(first.id).keyState == .disabled)
        #expect(try await world.service.describeKey(legacy.id).keyState == .enabled)
        #expect(try await world.service.describeKey(second.id).keyState == .pendingDeletion)
    }

    @Test("CONNECTED does not prove the cluster healthy: the state and key states stay, crypto fails (spec 2)",
          arguments: [WorldFault.removeHSM(clusterId: Demo.Cluster.payments, hsmId: nil),
                      .deleteCluster(clusterId: Demo.Cluster.payments), .blockNetwork(clusterId: Demo.Cluster.payments)])
    func connectedButUnhealthy(fault: WorldFault) async throws {
        let world = try World()
        defer { world.remove() }
        let key = try await key(world, Demo.payments, "Payments data key 1")
        try await world.service.apply(fault)
        try await world.advance(3600)
        #expect(try await world.state(Demo.payments) == .connected, "the fault does not move the state")
        #expect(try await world.service.describeKey(key.id).keyState == .enabled, "KeyState never reflects the backing store")
        await expectKMSError(.kmsInvalidState) { try await world.service.useKey(key.id, operation: "Encrypt") }
    }
}
