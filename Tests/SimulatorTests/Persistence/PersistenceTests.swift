import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// The world lives in its file: closing, reopening and interrupting workflows (issue 2, point 7).
@Suite("Persistence")
struct PersistenceTests {
    /// Everything a user can read from a world.
    struct Snapshot: Equatable {
        var stores: [CustomKeyStore]
        var keys: [String: [KMSKey]]
        var clusters: [CloudHSMCluster]
        var histories: [String: [KeyStoreEvent]]
        var latestSequence: Int64

        init(_ service: SimulatorService) async throws {
            stores = try await service.allKeyStores()
            keys = [:]
            histories = [:]
            for store in stores {
                keys[store.id] = try await service.keys(inKeyStore: store.id)
                histories[store.id] = try await service.history(ofKeyStore: store.id)
            }
            clusters = try await service.clusters()
            latestSequence = try await service.latestEventSequence()
        }
    }

    @Test("Closing and reopening a world keeps everything, and does not seed it again")
    func closeAndReopen() async throws {
        let clock = ManualClock()
        var first: World? = try World(clock: clock)
        let home = try #require(first?.home)
        defer { try? FileManager.default.removeItem(at: home) }
        do {
            let world = try #require(first)
            let id = try await world.createSpareStore()
            try await world.connectAndSettle(id)
            let key = try await world.service.createKey(inKeyStore: id, description: "kept")
            _ = try await world.service.useKey(key.id, operation: "Encrypt")
            try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, newName: "renamed"))
            try await world.service.apply(.blockNetwork(clusterId: Demo.Cluster.hr))
            try await world.connectAndSettle(Demo.hr)
            try await world.disconnectAndSettle(Demo.payments)
        }
        let before = try await Snapshot(try #require(first).service)
        first?.service.close()
        first = nil

        let reopened = try World(home: home, clock: clock)
        let after = try await Snapshot(reopened.service)
        #expect(after == before)
        #expect(after.stores.count == Demo.storeCount + 1)
        #expect(after.stores.first { $0.name == "renamed" }?.connectionState == .connected)
        #expect(after.stores.first { $0.id == Demo.hr }?.connectionErrorCode == .networkErrors)
        reopened.service.close()
    }

    /// An event with the random resource IDs (ENIs, security groups) blanked, to compare two runs.
    static func comparable(_ event: KeyStoreEvent) -> String {
        var kind = event.kind
        if case let .stepFinished(step, resource?) = kind, resource.id.hasPrefix("eni-") || resource.id.hasPrefix("sg-") {
            var blank = resource
            blank.id = String(resource.id.prefix { $0 != "-" })
            kind = .stepFinished(step, resource: blank)
        }
        return "\(event.time.timeIntervalSince1970) \(kind)"
    }

    /// The outcome of a connect: the store, its comparable events after `cursor`, its resources, the cluster.
    struct Outcome: Equatable {
        var state: ConnectionState
        var events: [String]
        var interfaces: Int
        var groups: Int
        var interfaceSubnets: [String]
        var freeAddresses: [Int?]
        var kmsUserLoggedIn: Bool
    }

    static func outcome(_ world: World, after cursor: Int64) async throws -> Outcome {
        let events = try await world.events(of: Demo.ledger, after: cursor)
        let rows = try world.networkRows(ofKeyStore: Demo.ledger)
        let subnets = try world.readDatabase { db in
            try String.fetchAll(db, sql: "SELECT subnet_id FROM network_interfaces WHERE key_store_id = ? ORDER BY subnet_id", arguments: [Demo.ledger])
        }
        let cluster = try await world.cluster(Demo.Cluster.ledger)
        return Outcome(state: try await world.state(Demo.ledger), events: events.map(comparable), interfaces: rows.interfaces,
                       groups: rows.groups, interfaceSubnets: subnets, freeAddresses: cluster.subnets.map(\.freeAddresses),
                       kmsUserLoggedIn: cluster.kmsUser?.loggedInByKMS ?? false)
    }

    @Test("A connect interrupted half-way ends exactly where an uninterrupted one does",
          arguments: [0.0, 0.5, 0.8, 1.5, 2.3, 2.4, 3.5, 4.6, 5.7, 7.2, 8.0, 8.69])
    func interruptedConnect(after seconds: Double) async throws {
        // The uninterrupted run.
        let reference = try World(clock: ManualClock())
        defer { reference.remove() }
        let referenceCursor = try await reference.service.latestEventSequence()
        try await reference.service.connectKeyStore(id: Demo.ledger)
        try await reference.advance(seconds + 30)
        let expected = try await Self.outcome(reference, after: referenceCursor)
        #expect(expected.state == .connected)
        #expect(expected.interfaces == 3 && expected.groups == 1)

        // The interrupted one: the service is dropped mid-way, time passes, another opens the folder.
        let clock = ManualClock()
        var first: World? = try World(clock: clock)
        let home = try #require(first?.home)
        defer { try? FileManager.default.removeItem(at: home) }
        let cursor = try await first!.service.latestEventSequence()
        #expect(cursor == referenceCursor)
        try await first!.service.connectKeyStore(id: Demo.ledger)
        try await first!.advance(seconds)
        first?.service.close()
        first = nil
        clock.advance(by: 30)

        let second = try World(home: home, clock: clock)
        defer { second.service.close() }
        let actual = try await Self.outcome(second, after: cursor)
        #expect(actual == expected)
        // No step twice.
        let finished = try await second.events(of: Demo.ledger, after: cursor).compactMap(\.kind.stepFinished)
        let keys = finished.map { "\($0.step) \($0.resource?.subnetId ?? "")" }
        #expect(Set(keys).count == keys.count, "a step ran twice: \(keys)")
    }

    @Test("An interrupted workflow keeps the pace it started with")
    func workflowKeepsItsPace() async throws {
        let clock = ManualClock()
        var first: World? = try World(pace: .demo, clock: clock)
        let home = try #require(first?.home)
        defer { try? FileManager.default.removeItem(at: home) }
        let start = clock.now()
        try await first!.service.connectKeyStore(id: Demo.ledger)
        try await first!.advance(1)
        first = nil
        let second = try World(home: home, clock: clock, pace: .realistic)
        defer { second.service.close() }
        try await second.advance(10)
        #expect(try await second.state(Demo.ledger) == .connected)
        let connected = try #require(try await second.history(Demo.ledger).last { $0.kind.stateChange?.to == .connected })
        #expect(connected.time.timeIntervalSince(start) < 11)
    }

    @Test("A disconnect interrupted half-way removes everything once resumed")
    func interruptedDisconnect() async throws {
        let clock = ManualClock()
        var first: World? = try World(clock: clock)
        let home = try #require(first?.home)
        defer { try? FileManager.default.removeItem(at: home) }
        let cursor = try await first!.service.latestEventSequence()
        try await first!.service.disconnectKeyStore(id: Demo.payments)
        try await first!.advance(1.4)
        #expect(try first!.networkRows(ofKeyStore: Demo.payments) == (2, 1))
        first = nil
        clock.advance(by: 60)
        let second = try World(home: home, clock: clock)
        defer { second.service.close() }
        #expect(try await second.state(Demo.payments) == .disconnected)
        #expect(try second.networkRows(ofKeyStore: Demo.payments) == (0, 0))
        let deleted = NetworkLedger(try await second.events(of: Demo.payments, after: cursor)).deleted.map(\.id)
        #expect(deleted.count == 4)
        #expect(Set(deleted).count == 4, "nothing deleted twice")
    }
}
