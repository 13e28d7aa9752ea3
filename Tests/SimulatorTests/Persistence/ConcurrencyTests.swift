import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// Two services on one world file (two processes) racing to advance the same workflows (issue 2, point 7).
@Suite("Two services on one world")
struct ConcurrencyTests {
    /// Advances the shared clock in small steps while both services race `catchUp()` until the store settles.
    static func race(_ a: World, _ b: World, store id: String, clock: ManualClock) async throws -> ConnectionState {
        for _ in 0..<400 {
            clock.advance(by: 0.15)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await a.service.catchUp() }
                    group.addTask { try await b.service.catchUp() }
                }
                try await group.waitForAll()
            }
            let state = try await (Bool.random() ? a : b).state(id)
            if !state.isTransient { return state }
        }
        throw TestFailure("\(id) did not settle")
    }

    static func result(_ body: () async throws(KMSError) -> Void) async -> Result<Void, KMSError> {
        do {
            try await body()
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// Checks that no step of the events ran twice: each (step, subject) starts once and finishes once.
    static func expectNoStepTwice(_ events: [KeyStoreEvent], sourceLocation: SourceLocation = #_sourceLocation) {
        let started = events.compactMap(\.kind.stepStarted).map { "\($0.step) \($0.subject ?? "")" }
        #expect(Set(started).count == started.count, "a step started twice: \(started)", sourceLocation: sourceLocation)
        let finished = events.compactMap(\.kind.stepFinished).map { "\($0.step) \($0.resource?.subnetId ?? $0.resource?.id ?? "")" }
        #expect(Set(finished).count == finished.count, "a step finished twice: \(finished)", sourceLocation: sourceLocation)
        #expect(started.count == finished.count, sourceLocation: sourceLocation)
    }

    @Test("Connect/disconnect cycles with both services racing catchUp(): every step once, one transition each")
    func racingCatchUp() async throws {
        let clock = ManualClock()
        let a = try World(clock: clock)
        let b = try World(home: a.home, clock: clock)
        defer {
            b.service.close()
            a.remove()
        }
        let id = Demo.ledger
        for cycle in 0..<8 {
            let cursor = try await a.service.latestEventSequence()
            // Both ask to connect at once: one starts the workflow, the other is a no-op.
            async let first: Void = a.service.connectKeyStore(id: id)
            async let second: Void = b.service.connectKeyStore(id: id)
            _ = try await (first, second)
            #expect(try await Self.race(a, b, store: id, clock: clock) == .connected, "cycle \(cycle)")
            let connect = try await b.events(of: id, after: cursor)
            #expect(connect.filter { $0.kind == .workflowStarted(.connect) }.count == 1, "cycle \(cycle)")
            #expect(connect.compactMap(\.kind.stateChange).map(\.to) == [.connecting, .connected], "cycle \(cycle)")
            #expect(connect.compactMap(\.kind.stepFinished).map(\.step) == ConnectTimelineTests.connectSteps, "cycle \(cycle)")
            Self.expectNoStepTwice(connect)
            #expect(try a.networkRows(ofKeyStore: id) == (3, 1))

            // Both ask to disconnect at once: exactly one is accepted.
            let disconnectCursor = try await a.service.latestEventSequence()
            async let third = Self.result { () async throws(KMSError) in try await a.service.disconnectKeyStore(id: id) }
            async let fourth = Self.result { () async throws(KMSError) in try await b.service.disconnectKeyStore(id: id) }
            let results = await [third, fourth]
            #expect(results.filter { if case .success = $0 { true } else { false } }.count == 1, "cycle \(cycle)")
            for case let .failure(error) in results {
                #expect(error.code == .customKeyStoreInvalidState)
                #expect(error.message.contains("DISCONNECTING"))
            }
            #expect(try await Self.race(a, b, store: id, clock: clock) == .disconnected, "cycle \(cycle)")
            let disconnect = try await a.events(of: id, after: disconnectCursor)
            #expect(disconnect.compactMap(\.kind.stateChange).map(\.to) == [.disconnecting, .disconnected], "cycle \(cycle)")
            Self.expectNoStepTwice(disconnect)
            #expect(NetworkLedger(connect + disconnect).leftOver.isEmpty)
            #expect(try b.networkRows(ofKeyStore: id) == (0, 0))
        }
        #expect(try await a.cluster(Demo.Cluster.ledger).subnets.allSatisfy { $0.freeAddresses == 245 })
        // Event sequence numbers are unique and increasing across both writers.
        let sequences = try await a.history(id).map(\.sequence)
        #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
    }

    @Test("Many stores connecting at once, two services racing: every store CONNECTED once")
    func manyStores() async throws {
        let spec = WorldSpec.healthyClusters(10)
        let clock = ManualClock()
        let a = try World(seed: try spec.demoWorld, clock: clock)
        let b = try World(home: a.home, clock: clock)
        defer {
            b.service.close()
            a.remove()
        }
        var ids: [String] = []
        for (index, cluster) in spec.clusters.enumerated() {
            ids.append(try await (index.isMultiple(of: 2) ? a : b).service.createKeyStore(CreateKeyStoreRequest(
                name: "store-\(index)", cloudHsmClusterId: cluster.id, trustAnchorCertificate: spec.trustAnchors[cluster.lineage] ?? "",
                keyStorePassword: "Password\(index)x")))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, id) in ids.enumerated() {
                group.addTask { try await (index.isMultiple(of: 2) ? b : a).service.connectKeyStore(id: id) }
            }
            try await group.waitForAll()
        }
        for id in ids {
            #expect(try await Self.race(a, b, store: id, clock: clock) == .connected)
        }
        for id in ids {
            let events = try await a.history(id)
            #expect(events.filter { $0.kind.stateChange?.to == .connected }.count == 1)
            Self.expectNoStepTwice(events)
            #expect(try a.networkRows(ofKeyStore: id) == (2, 1))
        }
    }
}
