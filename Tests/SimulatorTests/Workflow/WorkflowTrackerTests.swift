import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// `WorkflowTracker.start` consumed as `cks connect --wait` consumes it, with the background driver running
/// (`drive: true`) on a ManualClock: the test moves the clock, the driver runs the steps, the stream reports them.
@Suite("WorkflowTracker on the driven simulator")
struct WorkflowTrackerTests {
    /// Follows the updates to the end, moving the clock past each step as soon as the step is reported started.
    /// Bounded by a wall-clock timeout; the world itself moves only with the clock.
    static func followInLockstep(_ updates: AsyncStream<WorkflowUpdate>, clock: ManualClock, pace: WorkflowPace) async throws -> [WorkflowUpdate] {
        try await withTimeout("the workflow to finish") {
            var collected: [WorkflowUpdate] = []
            for await update in updates {
                collected.append(update)
                if case let .event(event) = update, let started = event.kind.stepStarted {
                    clock.advance(by: pace.duration(of: started.step) + 0.001)
                }
            }
            return collected
        }
    }

    static func steps(_ updates: [WorkflowUpdate]) -> [WorkflowStep] {
        updates.compactMap { if case let .event(event) = $0 { event.kind.stepFinished?.step } else { nil } }
    }

    @Test("connect --wait: the step events, then .connected")
    func connectToConnected() async throws {
        let world = try World(pace: .demo, drive: true)
        defer { world.remove() }
        let updates = try await WorkflowTracker.start(.connect, keyStoreId: Demo.ledger, on: world.service)
        let collected = try await Self.followInLockstep(updates, clock: world.clock, pace: .demo)

        #expect(collected.last == .finished(.connected))
        #expect(collected.filter { if case .finished = $0 { true } else { false } }.count == 1)
        #expect(Self.steps(collected) == ConnectTimelineTests.connectSteps)
        let events = collected.compactMap { if case let .event(event) = $0 { event } else { nil } }
        #expect(events.allSatisfy { $0.keyStoreId == Demo.ledger }, "only this store's events")
        #expect(events.contains { $0.kind == .workflowStarted(.connect) })
        #expect(events.last?.kind.stateChange?.to == .connected, "the stream ends at the CONNECTED transition")
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
        #expect(try await world.state(Demo.ledger) == .connected)
    }

    @Test("connect --wait on a fault: .failed(code)", arguments: [
        (WorldFault.blockNetwork(clusterId: Demo.Cluster.ledger), ConnectionErrorCode.networkErrors),
        (.removeHSM(clusterId: Demo.Cluster.ledger, hsmId: nil), .insufficientCloudHSMHSMs),
        (.logInKmsUserElsewhere(clusterId: Demo.Cluster.ledger), .userLoggedIn),
    ])
    func connectToFailed(fault: WorldFault, code: ConnectionErrorCode) async throws {
        let world = try World(pace: .demo, drive: true)
        defer { world.remove() }
        try await world.service.apply(fault)
        let updates = try await WorkflowTracker.start(.connect, keyStoreId: Demo.ledger, on: world.service)
        let collected = try await Self.followInLockstep(updates, clock: world.clock, pace: .demo)
        #expect(collected.last == .finished(.failed(code)))
        let failures = collected.compactMap { if case let .event(event) = $0 { event.kind.stepFailed } else { nil } }
        #expect(failures.map(\.code) == [code])
        #expect(try await world.store(Demo.ledger).connectionErrorCode == code)
    }

    @Test("disconnect --wait: .disconnected")
    func disconnect() async throws {
        let world = try World(pace: .demo, drive: true)
        defer { world.remove() }
        let updates = try await WorkflowTracker.start(.disconnect, keyStoreId: Demo.payments, on: world.service)
        let collected = try await Self.followInLockstep(updates, clock: world.clock, pace: .demo)
        #expect(collected.last == .finished(.disconnected))
        #expect(Self.steps(collected) == [.logOutKmsUser, .disconnectFromCluster, .deleteNetworkInterface, .deleteNetworkInterface,
                                          .deleteNetworkInterface, .deleteSecurityGroup])
        #expect(try world.networkRows(ofKeyStore: Demo.payments) == (0, 0))
    }

    @Test("The clock advanced in a bounded loop: the driver catches up by itself and the stream finishes")
    func advanceInALoop() async throws {
        let world = try World(pace: .demo, drive: true)
        defer { world.remove() }
        let updates = try await WorkflowTracker.start(.connect, keyStoreId: Demo.hr, on: world.service)
        let finished = Flag()
        let clock = world.clock
        let consumer = Task {
            var collected: [WorkflowUpdate] = []
            for await update in updates {
                collected.append(update)
                if case .finished = update { finished.set() }
            }
            return collected
        }
        // At most 40 s of world time in quarter seconds; no wall-clock sleep makes progress.
        var advanced: TimeInterval = 0
        while !finished.isSet && advanced < 40 {
            clock.advance(by: 0.25)
            advanced += 0.25
            for _ in 0..<20 { await Task.yield() }
        }
        let collected = try await withTimeout("the stream to finish") { await consumer.value }
        #expect(collected.last == .finished(.connected))
        #expect(Self.steps(collected).count == 8, "hr-records has two subnets")
        #expect(try await world.state(Demo.hr) == .connected)
    }

    @Test("connect --wait on a CONNECTED store finishes at once with .connected")
    func alreadyConnected() async throws {
        let world = try World(pace: .demo, drive: true)
        defer { world.remove() }
        let updates = try await WorkflowTracker.start(.connect, keyStoreId: Demo.payments, on: world.service)
        let collected = try await withTimeout("the finished stream") { await updates.reduce(into: [WorkflowUpdate]()) { $0.append($1) } }
        #expect(collected == [.finished(.connected)])
    }

    @Test("connect --wait on a FAILED store throws what the API throws")
    func failedStore() async throws {
        let world = try World(pace: .demo, drive: true)
        defer { world.remove() }
        await expectKMSError(.customKeyStoreInvalidState, "disconnect it first") {
            try await WorkflowTracker.start(.connect, keyStoreId: Demo.partner, on: world.service)
        }
    }

    @Test("The store can be named instead of its ID")
    func byName() async throws {
        let world = try World(pace: .instant, drive: true)
        defer { world.remove() }
        let updates = try await WorkflowTracker.start(.connect, keyStoreId: "hr-records", on: world.service)
        let collected = try await withTimeout("the instant connect") { await updates.reduce(into: [WorkflowUpdate]()) { $0.append($1) } }
        #expect(collected.last == .finished(.connected))
    }
}
