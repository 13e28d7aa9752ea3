@testable import AWSBackend
import CKSTestSupport
import Foundation
import KeyStoreEngine
import Testing

@Suite("Polling DescribeCustomKeyStores: cadence, one poll at a time, events")
struct PollingTests {
    /// Follows the service's events into an array the test can read.
    final class Collector: Sendable {
        let task: Task<Void, Never>
        let box = EventBox()

        init(_ service: AWSKeyStoreService, after sequence: Int64 = 0) {
            let box = self.box
            task = Task {
                for await event in service.events(after: sequence) { await box.append(event) }
            }
        }

        func kinds() async -> [KeyStoreEvent.Kind] { await box.events.map(\.kind) }
        func stop() { task.cancel() }
    }

    actor EventBox {
        var events: [KeyStoreEvent] = []
        func append(_ event: KeyStoreEvent) { events.append(event) }
    }

    @Test func idleEveryThirtySecondsBusyEveryTwo() async throws {
        let store = Fixture.store(1, .disconnected)
        let fake = FakeKMS(stores: [store])
        let clock = ManualClock()
        let service = Fixture.service(fake, clock: clock)
        let events = Collector(service)
        defer { events.stop() }

        try await eventually("the first poll and its sleep") { clock.requestedSleeps.count == 1 }
        #expect(fake.count("DescribeCustomKeyStores") == 1)
        #expect(clock.requestedSleeps == [.seconds(30)])

        clock.advance(by: .seconds(29))
        #expect(clock.pendingSleepers == 1, "the loop still sleeps before the 30 s are up")
        #expect(fake.count("DescribeCustomKeyStores") == 1, "nothing before the 30 s are up")

        fake.setState(store.id, .connecting)
        clock.advance(by: .seconds(1))
        try await eventually("the second poll") { clock.requestedSleeps.count == 2 }
        #expect(fake.count("DescribeCustomKeyStores") == 2)
        #expect(clock.requestedSleeps.last == .seconds(2), "CONNECTING: every 2 s")

        clock.advance(by: .seconds(2))
        try await eventually("the third poll") { clock.requestedSleeps.count == 3 }
        #expect(clock.requestedSleeps.last == .seconds(2))

        fake.setState(store.id, .connected)
        clock.advance(by: .seconds(2))
        try await eventually("the fourth poll") { clock.requestedSleeps.count == 4 }
        #expect(clock.requestedSleeps.last == .seconds(30), "settled: back to 30 s")
        #expect(await events.kinds() == [
            .connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil),
            .connectionStateChanged(from: .connecting, to: .connected, errorCode: nil),
        ])
        #expect(fake.maxDescribesInFlight == 1)
    }

    @Test func neverTwoPollsAtOnce() async throws {
        let fake = FakeKMS(stores: [Fixture.store(1)])
        let clock = ManualClock()
        let service = Fixture.service(fake, clock: clock)
        fake.holdDescribes(true)
        // A consumer's poll loop, the tracker's baseline and several more callers, all at once.
        let events = Collector(service)
        defer { events.stop() }
        let waiters = (0..<4).map { _ in Task { try await service.latestEventSequence() } }
        try await eventually("a held DescribeCustomKeyStores") { fake.heldDescribes == 1 }
        try await eventually("the four other callers waiting for the poll in flight") { await service.pollWaiters.count == 4 }
        #expect(fake.heldDescribes == 1, "the others wait for the poll in flight")
        fake.holdDescribes(false)
        for waiter in waiters { _ = try await waiter.value }
        try await eventually("the loop's sleep") { clock.requestedSleeps.count == 1 }
        #expect(fake.maxDescribesInFlight == 1)
        #expect(fake.count("DescribeCustomKeyStores") == 1)
        #expect(await service.pollCount == 1)
    }

    @Test func noPollingWithoutFollowers() async throws {
        let fake = FakeKMS(stores: [Fixture.store(1)])
        let clock = ManualClock()
        let service = Fixture.service(fake, clock: clock)
        let events = Collector(service)
        try await eventually("the first poll") { clock.requestedSleeps.count == 1 }
        events.stop()
        try await eventually("the loop to stop") {
            let loopGone = await service.pollLoop == nil
            return loopGone && clock.pendingSleepers == 0
        }
        clock.advance(by: .seconds(120))
        #expect(clock.requestedSleeps.count == 1, "no sleep since the first: no loop runs")
        #expect(fake.count("DescribeCustomKeyStores") == 1)
    }

    @Test func anAcceptedConnectPollsAtOnceAndKeepsTheBusyPace() async throws {
        let store = Fixture.store(1, .disconnected)
        let fake = FakeKMS(stores: [store])
        let clock = ManualClock()
        let service = Fixture.service(fake, clock: clock)
        let cursor = try await service.latestEventSequence()
        let events = Collector(service, after: cursor)
        defer { events.stop() }
        try await eventually("the idle sleep") { clock.requestedSleeps.count == 1 }
        // KMS accepts the connect but still shows DISCONNECTED for a moment (eventual consistency).
        fake.inject("DescribeCustomKeyStores", FakeKMS.ok(.object([("CustomKeyStores", .array([store.apiJSON])), ("Truncated", .bool(false))])))
        try await service.connectKeyStore(id: store.id)
        try await eventually("an immediate poll") { clock.requestedSleeps.count == 2 }
        #expect(fake.count("DescribeCustomKeyStores") == 3)
        #expect(clock.requestedSleeps.last == .seconds(2), "the accepted connect keeps the 2 s pace")
        clock.advance(by: .seconds(2))
        try await eventually("the next poll") { clock.requestedSleeps.count == 3 }
        #expect(await events.kinds() == [
            .workflowStarted(.connect),
            .connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil),
        ])
        let progress = try #require(await service.transitionProgress(ofKeyStore: store.id))
        #expect(progress.precision == .accepted)
        #expect(progress.startedAt == clock.now().addingTimeInterval(-2))
        #expect(progress.documentedDuration == 1200.0)
        #expect(progress.summary(at: clock.now().addingTimeInterval(183)) == "3m 05s of up to 20m")
    }

    @Test func connectWaitFollowsToFailedWithTheTracker() async throws {
        let store = Fixture.store(1, .disconnected)
        let fake = FakeKMS(stores: [store])
        let clock = ManualClock()
        let service = Fixture.service(fake, clock: clock)
        let updates = try await WorkflowTracker.start(.connect, keyStoreId: store.name, on: service)
        let outcome = Task { () -> [WorkflowUpdate] in
            var seen: [WorkflowUpdate] = []
            for await update in updates { seen.append(update) }
            return seen
        }
        try await eventually("CONNECTING seen") { await service.transitionProgress(ofKeyStore: store.id)?.state == .connecting && clock.pendingSleepers == 1 }
        fake.setState(store.id, .failed, code: .invalidCredentials)
        clock.advance(by: .seconds(2))
        let seen = await outcome.value
        #expect(seen.last == .finished(.failed(.invalidCredentials)))
        #expect(await service.transitionProgress(ofKeyStore: store.id) == nil)
        let history = try await service.history(ofKeyStore: store.id).map(\.kind)
        #expect(history == [
            .workflowStarted(.connect),
            .connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil),
            .connectionStateChanged(from: .connecting, to: .failed, errorCode: .invalidCredentials),
        ])
    }

    @Test func aStoreAlreadyConnectingWhenFirstSeen() async throws {
        let fake = FakeKMS(stores: [Fixture.store(1, .connecting)])
        let service = Fixture.service(fake)
        _ = try await service.latestEventSequence()
        let progress = try #require(await service.transitionProgress(ofKeyStore: Fixture.store(1).id))
        #expect(progress.precision == .alreadyUnderWay)
        #expect(progress.summary(at: progress.startedAt.addingTimeInterval(61)).hasPrefix("≥1m 01s"))
        #expect(await service.transitionsInProgress().count == 1)
    }

    @Test func createdRenamedAndDeletedElsewhere() async throws {
        let fake = FakeKMS(stores: [Fixture.store(1)])
        let clock = ManualClock()
        let service = Fixture.service(fake, clock: clock)
        let events = Collector(service)
        defer { events.stop() }
        try await eventually("the baseline") { clock.requestedSleeps.count == 1 }
        fake.add(Fixture.store(2))
        fake.rename(Fixture.store(1).id, to: "renamed")
        clock.advance(by: .seconds(30))
        try await eventually("a poll") { clock.requestedSleeps.count == 2 }
        fake.remove(Fixture.store(2).id)
        clock.advance(by: .seconds(30))
        try await eventually("another poll") { clock.requestedSleeps.count == 3 }
        #expect(await events.kinds() == [
            .keyStoreUpdated(changes: ["name store-1 → renamed"]),
            .keyStoreCreated(name: "store-2"),
            .keyStoreDeleted(name: "store-2"),
        ])
    }

    @Test func ownChangesAreRecordedOnce() async throws {
        let store = Fixture.store(1)
        let fake = FakeKMS(stores: [store])
        let service = Fixture.service(fake)
        let cursor = try await service.latestEventSequence()
        try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: store.id, newName: "new-name", keyStorePassword: "Secret123"))
        _ = try await service.describeKeyStores(DescribeKeyStoresRequest())
        try await service.deleteKeyStore(id: store.id)
        _ = try await service.describeKeyStores(DescribeKeyStoresRequest())
        let events = try await service.history(ofKeyStore: store.id).filter { $0.sequence > cursor }.map(\.kind)
        #expect(events == [
            .keyStoreUpdated(changes: ["name store-1 → new-name", "key store password"]),
            .keyStoreDeleted(name: "new-name"),
        ])
    }

    @Test func aStaleAnswerDoesNotUndoANewerOne() async throws {
        let store = Fixture.store(1, .disconnected)
        let fake = FakeKMS(stores: [store])
        let service = Fixture.service(fake)
        _ = try await service.latestEventSequence()
        // A slow full poll starts while the store is DISCONNECTED …
        fake.holdDescribes(true)
        let slow = Task { try await service.describeKeyStores(DescribeKeyStoresRequest()) }
        try await eventually("the slow poll in flight") { fake.heldDescribes == 1 }
        // … then a quicker look by ID sees it CONNECTING …
        fake.setState(store.id, .connecting)
        fake.inject("DescribeCustomKeyStores", FakeKMS.ok(.object([("CustomKeyStores", .array([Fixture.store(1, .connecting).apiJSON]))])))
        fake.holdDescribes(false)
        _ = try await service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreId: store.id))
        _ = try await slow.value
        let kinds = try await service.history(ofKeyStore: store.id).map(\.kind)
        #expect(kinds == [.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil)])
    }

    @Test func keyStatesFollowTheStore() async throws {
        let store = Fixture.store(1, .disconnected)
        let other = Fixture.store(2, .connected)
        let keys = [Fixture.key(1, store: store, state: .unavailable), Fixture.key(2, store: store, state: .pendingDeletion),
                    Fixture.key(3, store: other), Fixture.key(4, store: nil)]
        let fake = FakeKMS(stores: [store, other], keys: keys)
        let service = Fixture.service(fake)
        _ = try await service.latestEventSequence()
        let mine = try await service.keys(inKeyStore: store.id)
        #expect(mine.map(\.id) == [keys[0].id, keys[1].id])
        #expect(service.backend.accountId == "111122223333")
        fake.setState(store.id, .connected)
        fake.setKeyState(keys[0].id, .enabled)
        let describesBefore = fake.count("DescribeKey")
        _ = try await service.describeKeyStores(DescribeKeyStoresRequest())
        #expect(fake.count("DescribeKey") == describesBefore + 2, "only the store's known keys are described again")
        let kinds = try await service.history(ofKeyStore: store.id).map(\.kind)
        #expect(kinds == [
            .connectionStateChanged(from: .disconnected, to: .connected, errorCode: nil),
            .keyStateChanged(keyId: keys[0].id, from: .unavailable, to: .enabled),
        ])
    }

    @Test func preflight() async throws {
        let ready = Fixture.store(1)
        let lonely = Fixture.store(2)
        let missing = Fixture.store(3)
        let fake = FakeKMS(stores: [ready, lonely, missing], clusters: [
            Fixture.cluster(ready.cloudHsmClusterId!, hsmZones: ["us-east-1a", "us-east-1b", "us-east-1b"]),
            Fixture.cluster(lonely.cloudHsmClusterId!, state: .degraded, hsmZones: []),
        ])
        let service = Fixture.service(fake)
        let good = try await service.connectPreflight(keyStoreId: ready.name)
        #expect(good.looksReady && good.problems.isEmpty)
        #expect(good.activeHSMsByZone == [.init(zone: "us-east-1a", count: 1), .init(zone: "us-east-1b", count: 2)])
        #expect(good.summary == "Cluster \(ready.cloudHsmClusterId!) ACTIVE: 3 active HSMs (us-east-1a: 1, us-east-1b: 2)")
        let bad = try await service.connectPreflight(keyStoreId: lonely.id)
        #expect(!bad.looksReady)
        #expect(bad.problems.count == 2)
        let gone = try await service.connectPreflight(keyStoreId: missing.id)
        #expect(gone.clusterState == nil && gone.problems.first?.contains("CLUSTER_NOT_FOUND") == true)
        fake.inject("DescribeClusters", FakeKMS.error("CloudHsmAccessDeniedException", "not allowed"))
        let refused = try await service.connectPreflight(keyStoreId: ready.id)
        #expect(refused.unavailableReason == "CloudHsmAccessDeniedException: not allowed")
    }
}
