import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// Disconnect (spec 3.2): log out, disconnect, remove every ENI and the security group; keys Unavailable at once.
@Suite("Disconnect")
struct DisconnectTests {
    @Test("Disconnect from CONNECTED removes every ENI and the security group and logs kmsuser out")
    func fromConnected() async throws {
        let world = try World(pace: .demo)
        defer { world.remove() }
        let id = Demo.ledger
        let before = try await world.cluster(Demo.Cluster.ledger)
        let connectCursor = try await world.service.latestEventSequence()
        let connectStart = world.clock.now()
        try await world.connectAndSettle(id)
        let connectEnd = try #require(try await world.history(id).last { $0.kind.stateChange?.to == .connected }).time
        #expect(try world.networkRows(ofKeyStore: id) == (3, 1))
        #expect(try await world.cluster(Demo.Cluster.ledger).subnets.map(\.freeAddresses) == before.subnets.map { $0.freeAddresses.map { $0 - 1 } })

        let cursor = try await world.service.latestEventSequence()
        let start = world.clock.now()
        try await world.service.disconnectKeyStore(id: id)
        #expect(try await world.state(id) == .disconnecting)
        let store = try await world.settle(id, step: 0.1)
        #expect(store.connectionState == .disconnected)
        let events = try await world.events(of: id, after: cursor)

        let workflowStarts = events.indices.filter { events[$0].kind == .workflowStarted(.disconnect) }
        #expect(workflowStarts.count == 1)
        #expect(workflowStarts.first ?? .max < events.firstIndex { $0.kind.stepStarted != nil } ?? -1, "the workflow starts before its steps")
        #expect(events.compactMap(\.kind.stateChange).map(\.to) == [.disconnecting, .disconnected])
        let steps = events.compactMap(\.kind.stepFinished).map(\.step)
        #expect(steps == [.logOutKmsUser, .disconnectFromCluster, .deleteNetworkInterface, .deleteNetworkInterface,
                          .deleteNetworkInterface, .deleteSecurityGroup])
        let all = NetworkLedger(try await world.events(of: id, after: connectCursor))
        #expect(all.created.count == 4)
        #expect(all.leftOver.isEmpty)
        #expect(Set(all.deleted.map(\.id)) == Set(all.created.map(\.id)))
        #expect(try world.networkRows(ofKeyStore: id) == (0, 0))
        let after = try await world.cluster(Demo.Cluster.ledger)
        #expect(after.subnets.map(\.freeAddresses) == before.subnets.map(\.freeAddresses))
        #expect(after.kmsUser?.loggedInByKMS == false)

        // Spec 8.8: a disconnect takes about a third of a connect.
        let finished = try #require(events.last { $0.kind.stateChange?.to == .disconnected }).time
        let ratio = finished.timeIntervalSince(start) / connectEnd.timeIntervalSince(connectStart)
        #expect(ratio > 0.2 && ratio < 0.5, "disconnect/connect = \(ratio)")
    }

    @Test("Disconnect of the seeded CONNECTED store removes the resources it was seeded with")
    func seededConnectedStore() async throws {
        let world = try World(pace: .demo)
        defer { world.remove() }
        #expect(try world.networkRows(ofKeyStore: Demo.payments) == (3, 1))
        #expect(try await world.cluster(Demo.Cluster.payments).kmsUser?.loggedInByKMS == true)
        let cursor = try await world.service.latestEventSequence()
        try await world.disconnectAndSettle(Demo.payments)
        #expect(try world.networkRows(ofKeyStore: Demo.payments) == (0, 0))
        let deleted = NetworkLedger(try await world.events(of: Demo.payments, after: cursor)).deleted
        #expect(deleted.filter { $0.id.hasPrefix("eni-") }.count == 3)
        #expect(deleted.filter { $0.id.hasPrefix("sg-") }.count == 1)
        #expect(try await world.cluster(Demo.Cluster.payments).kmsUser?.loggedInByKMS == false)
        #expect(try await world.cluster(Demo.Cluster.payments).subnets.allSatisfy { $0.freeAddresses == 245 })
    }

    @Test("Disconnect during CONNECTING cancels the connect and removes what it made")
    func duringConnecting() async throws {
        let world = try World(pace: .demo)
        defer { world.remove() }
        let id = Demo.ledger
        let cursor = try await world.service.latestEventSequence()
        try await world.service.connectKeyStore(id: id)
        // Security group and the first ENI are made by 3.4 s.
        try await world.advance(3.5)
        #expect(try await world.state(id) == .connecting)
        #expect(try world.networkRows(ofKeyStore: id) == (1, 1))

        let disconnectCursor = try await world.service.latestEventSequence()
        try await world.service.disconnectKeyStore(id: id)
        #expect(try await world.state(id) == .disconnecting)
        try await world.advance(30)
        let store = try await world.store(id)
        #expect(store.connectionState == .disconnected)

        let events = try await world.events(of: id, after: cursor)
        #expect(!events.contains { $0.kind.stateChange?.to == .connected }, "the connect never finishes")
        let afterDisconnect = events.filter { $0.sequence > disconnectCursor }
        let connectStepsAfter = afterDisconnect.compactMap(\.kind.stepFinished).map(\.step)
            .filter { [.createNetworkInterface, .connectToCluster, .logInKmsUser, .rotatePassword].contains($0) }
        #expect(connectStepsAfter.isEmpty, "no connect step runs after the disconnect: \(connectStepsAfter)")
        #expect(events.compactMap(\.kind.stateChange).map(\.to) == [.connecting, .disconnecting, .disconnected])
        let ledger = NetworkLedger(events)
        #expect(ledger.createdInterfaces.count == 1)
        #expect(ledger.createdGroups.count == 1)
        #expect(ledger.leftOver.isEmpty)
        #expect(try world.networkRows(ofKeyStore: id) == (0, 0))
        #expect(try await world.cluster(Demo.Cluster.ledger).subnets.allSatisfy { $0.freeAddresses == 245 })

        // And nothing more happens later.
        let settledCursor = try await world.service.latestEventSequence()
        try await world.advance(600)
        #expect(try await world.events(of: id, after: settledCursor).isEmpty)
        // It connects normally afterwards.
        #expect(try await world.connectAndSettle(id).connectionState == .connected)
        #expect(try world.networkRows(ofKeyStore: id) == (3, 1))
    }

    @Test("Disconnect right after Connect (before any step) leaves nothing behind")
    func immediatelyAfterConnect() async throws {
        let world = try World(pace: .demo)
        defer { world.remove() }
        try await world.service.connectKeyStore(id: Demo.hr)
        try await world.service.disconnectKeyStore(id: Demo.hr)
        #expect(try await world.settle(Demo.hr).connectionState == .disconnected)
        #expect(try world.networkRows(ofKeyStore: Demo.hr) == (0, 0))
        #expect(NetworkLedger(try await world.history(Demo.hr)).created.isEmpty)
    }

    @Test("Disconnect from FAILED has nothing to remove and clears the error code")
    func fromFailed() async throws {
        let world = try World(pace: .demo)
        defer { world.remove() }
        let cursor = try await world.service.latestEventSequence()
        let store = try await world.disconnectAndSettle(Demo.signing)
        #expect(store.connectionState == .disconnected)
        #expect(store.connectionErrorCode == nil)
        #expect(store.apiJSON["ConnectionErrorCode"] == nil)
        let events = try await world.events(of: Demo.signing, after: cursor)
        #expect(events.compactMap(\.kind.stateChange).map { "\($0.from.rawValue)→\($0.to.rawValue)" }
            == ["FAILED→DISCONNECTING", "DISCONNECTING→DISCONNECTED"])
        #expect(NetworkLedger(events).deleted.isEmpty)
    }
}
