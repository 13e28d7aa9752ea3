import Foundation
import GRDB
import KeyStoreEngine
import Simulator
import Testing

/// A whole connect on the injected clock: the steps in KMS's documented order (spec 3.1, 8.1), their pace (8.8).
@Suite("Connect timeline")
struct ConnectTimelineTests {
    static let connectSteps: [WorkflowStep] = [.locateCluster, .checkHSMs, .createSecurityGroup, .createNetworkInterface,
                                               .createNetworkInterface, .createNetworkInterface, .connectToCluster, .logInKmsUser,
                                               .rotatePassword]

    @Test("Events of a whole demo-paced connect: order, resources, spacing, about 8 s in all")
    func wholeConnect() async throws {
        let world = try World(pace: .demo)
        defer { world.remove() }
        let id = Demo.ledger
        let cluster = try await world.cluster(Demo.Cluster.ledger)
        let cursor = try await world.service.latestEventSequence()
        let start = world.clock.now()
        try await world.service.connectKeyStore(id: id)
        let store = try await world.settle(id, step: 0.1)
        #expect(store.connectionState == .connected)
        let events = try await world.events(of: id, after: cursor)

        // The connect opens with the workflow and the CONNECTING transition.
        #expect(events.prefix(2).map(\.kind).contains(.workflowStarted(.connect)))
        #expect(events.prefix(2).compactMap(\.kind.stateChange).map(\.to) == [.connecting])
        #expect(events.first?.kind == .workflowStarted(.connect))

        // Steps: each started then finished, in the documented order.
        let stepEvents = events.filter { $0.kind.stepStarted != nil || $0.kind.stepFinished != nil }
        #expect(stepEvents.compactMap(\.kind.stepStarted).map(\.step) == Self.connectSteps)
        #expect(stepEvents.compactMap(\.kind.stepFinished).map(\.step) == Self.connectSteps)
        for (index, event) in stepEvents.enumerated() {
            // started, finished, started, finished, ...
            #expect((event.kind.stepStarted != nil) == (index % 2 == 0), "event \(index): \(event.summary)")
        }
        #expect(events.compactMap(\.kind.stepFailed).isEmpty)

        // The security group kms-<store id>, one ENI per subnet with its AZ, in the cluster's SG and the new one.
        let finished = stepEvents.compactMap(\.kind.stepFinished)
        let group = try #require(finished.first { $0.step == .createSecurityGroup }?.resource)
        #expect(group.name == "kms-\(id)")
        #expect(group.id.wholeMatch(of: /sg-[0-9a-f]{17}/) != nil)
        let interfaces = finished.filter { $0.step == .createNetworkInterface }.compactMap(\.resource)
        #expect(interfaces.map(\.subnetId) == cluster.subnets.map(\.id))
        #expect(interfaces.map(\.availabilityZone) == cluster.subnets.map(\.availabilityZone))
        #expect(interfaces.allSatisfy { $0.id.wholeMatch(of: /eni-[0-9a-f]{17}/) != nil })
        let eniSubjects = stepEvents.compactMap(\.kind.stepStarted).filter { $0.step == .createNetworkInterface }.compactMap(\.subject)
        #expect(eniSubjects == cluster.subnets.map { "in \($0.availabilityZone) (\($0.id))" })

        // The world file holds them with the documented description.
        let rows = try world.readDatabase { db in
            try Row.fetchAll(db, sql: "SELECT id, subnet_id, availability_zone, description, security_group_id FROM network_interfaces WHERE key_store_id = ? ORDER BY availability_zone", arguments: [id])
        }
        #expect(rows.map { $0["id"] as String } == interfaces.map(\.id))
        #expect(rows.allSatisfy { ($0["description"] as String) == "KMS managed ENI for cluster \(Demo.Cluster.ledger)" })
        #expect(rows.allSatisfy { ($0["security_group_id"] as String) == group.id })
        let groupRow = try #require(try world.readDatabase { db in
            try Row.fetchOne(db, sql: "SELECT name, vpc_id FROM security_groups WHERE key_store_id = ?", arguments: [id])
        })
        #expect(groupRow["name"] as String == "kms-\(id)")
        #expect(groupRow["vpc_id"] as String == cluster.vpcId, "the security group is made in the cluster's VPC")

        // Each step lasts its paced duration; the times follow the clock, not the moment of catching up.
        for (startedEvent, finishedEvent) in zip(stepEvents.indices.filter { $0 % 2 == 0 }, stepEvents.indices.filter { $0 % 2 == 1 }) {
            let step = try #require(stepEvents[startedEvent].kind.stepStarted?.step)
            let duration = stepEvents[finishedEvent].time.timeIntervalSince(stepEvents[startedEvent].time)
            #expect(abs(duration - WorkflowPace.demo.duration(of: step)) < 0.001, "\(step)")
            #expect(duration > 0.3 && duration < 2, "a demo step takes about a second")
        }
        let connected = try #require(events.first { $0.kind.stateChange?.to == .connected })
        #expect(abs(events[0].time.timeIntervalSince(start)) < 0.001)
        let total = connected.time.timeIntervalSince(start)
        #expect(total > 6 && total < 11, "spec 8.8: about 8 s, got \(total)")
        #expect(connected.time <= world.clock.now())
        let rotated = try #require(stepEvents.last)
        #expect(abs(connected.time.timeIntervalSince(rotated.time)) < 0.001, "CONNECTED right after the password rotation")

        // Then every key comes back (PendingDeletion did not change).
        let keyChanges = events.compactMap(\.kind.keyStateChange)
        #expect(keyChanges.count == 3)
        #expect(keyChanges.allSatisfy { $0.from == .unavailable })
        #expect(keyChanges.map(\.to).sorted { $0.rawValue < $1.rawValue } == [.disabled, .enabled, .enabled])
        #expect(events.last?.kind.keyStateChange != nil)

        // kmsuser is logged in by KMS and its password rotated to something only KMS knows.
        let user = try #require(try await world.cluster(Demo.Cluster.ledger).kmsUser)
        #expect(user.loggedInByKMS)
        let kmsuserPassword = try world.readDatabase { db in
            try String.fetchOne(db, sql: "SELECT password FROM kms_users WHERE cluster_id = ?", arguments: [Demo.Cluster.ledger])
        }
        #expect(kmsuserPassword != Demo.ledgerPassword)
        #expect(kmsuserPassword?.count == 32)
    }

    @Test("Partway through a connect the store is CONNECTING with only the first steps done")
    func partway() async throws {
        let world = try World(pace: .demo)
        defer { world.remove() }
        try await world.service.connectKeyStore(id: Demo.ledger)
        // locate 0.8 + check 0.6 + security group 0.9 = 2.3 s; the first ENI ends at 3.4 s.
        try await world.advance(2.4)
        #expect(try await world.state(Demo.ledger) == .connecting)
        let done = try await world.history(Demo.ledger).compactMap(\.kind.stepFinished).map(\.step)
        #expect(done.suffix(3) == [.locateCluster, .checkHSMs, .createSecurityGroup])
        #expect(try world.networkRows(ofKeyStore: Demo.ledger) == (0, 1))
        try await world.advance(1.1)
        #expect(try world.networkRows(ofKeyStore: Demo.ledger) == (1, 1))
    }

    @Test("Realistic pace takes minutes (up to the documented 20)")
    func realisticPace() async throws {
        let world = try World(pace: .realistic)
        defer { world.remove() }
        let start = world.clock.now()
        try await world.service.connectKeyStore(id: Demo.ledger)
        try await world.advance(60)
        #expect(try await world.state(Demo.ledger) == .connecting)
        try await world.advance(240)
        #expect(try await world.state(Demo.ledger) == .connecting, "still connecting after 5 minutes")
        let store = try await world.settle(Demo.ledger, step: 15, limit: 1500)
        #expect(store.connectionState == .connected)
        let connected = try #require(try await world.history(Demo.ledger).last { $0.kind.stateChange?.to == .connected })
        let total = connected.time.timeIntervalSince(start)
        #expect(total > 300 && total <= 1200, "minutes, at most 20: \(total) s")
    }

    @Test("Instant pace finishes by the next read, without moving the clock")
    func instantPace() async throws {
        let world = try World(pace: .instant)
        defer { world.remove() }
        let start = world.clock.now()
        try await world.service.connectKeyStore(id: Demo.ledger)
        #expect(try await world.state(Demo.ledger) == .connected)
        #expect(world.clock.now() == start)
        #expect(try world.networkRows(ofKeyStore: Demo.ledger) == (3, 1))
        try await world.service.disconnectKeyStore(id: Demo.ledger)
        #expect(try await world.state(Demo.ledger) == .disconnected)
        #expect(try world.networkRows(ofKeyStore: Demo.ledger) == (0, 0))
    }

    @Test("A store with two subnets makes two ENIs")
    func twoSubnets() async throws {
        let world = try World(pace: .demo)
        defer { world.remove() }
        let cursor = try await world.service.latestEventSequence()
        #expect(try await world.connectAndSettle(Demo.hr).connectionState == .connected)
        let ledger = NetworkLedger(try await world.events(of: Demo.hr, after: cursor))
        #expect(ledger.createdInterfaces.map(\.availabilityZone) == ["us-east-1b", "us-east-1c"])
        #expect(ledger.createdGroups.map(\.name) == ["kms-\(Demo.hr)"])
    }
}
