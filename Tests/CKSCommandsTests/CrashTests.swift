import Foundation
import Testing

/// SIGKILL a real `cks connect --wait` in the middle of the workflow: the next cks that opens the world
/// continues it, and it ends as an uninterrupted connect would, with one security group and one ENI per
/// subnet. Two processes on one store never apply a step twice.
@Suite("crash and concurrency")
struct CrashTests {
    /// When the connect is killed: right after a line of its `--wait` output appeared.
    enum KillMoment: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case afterSecurityGroup
        case afterFirstNetworkInterface
        case afterSecondNetworkInterface
        case whileLoggingIn

        var testDescription: String { rawValue }

        /// The output line whose appearance triggers the kill.
        func reached(_ output: String) -> Bool {
            let lines = output.split(separator: "\n")
            switch self {
            case .afterSecurityGroup:
                return lines.contains { $0.contains("✓") && $0.contains("security group") }
            case .afterFirstNetworkInterface:
                return lines.contains { $0.contains("✓") && $0.contains("eni-") }
            case .afterSecondNetworkInterface:
                return lines.filter { $0.contains("✓") && $0.contains("eni-") }.count >= 2
            case .whileLoggingIn:
                return lines.contains { $0.contains("▸") && $0.contains("Log in") }
            }
        }
    }

    /// How the killed connect is continued, with no other help.
    enum Resume: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case connectWaitAgain
        case listRepeatedly
        var testDescription: String { rawValue }
    }

    /// The network resources of a store are exactly one security group `kms-<id>` and one ENI per cluster
    /// subnet, each ENI in that group; nothing in the world points at a group that is gone.
    static func expectNetworkResources(of store: Demo.Store, in world: TestWorld, subnets: [String: String],
                                       baseline: [String: Int], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let groups = try await world.sqlite("select id || '|' || name from security_groups where key_store_id = '\(store.id)'")
        #expect(groups.count == 1, "exactly one security group: \(groups)", sourceLocation: sourceLocation)
        let group = groups.first?.split(separator: "|").map(String.init) ?? []
        #expect(group.last == "kms-\(store.id)", "\(groups)", sourceLocation: sourceLocation)
        #expect(try await world.sqliteCount("select count(*) from security_groups where name = 'kms-\(store.id)'") == 1,
                sourceLocation: sourceLocation)

        let interfaces = try await world.sqlite(
            "select subnet_id || '|' || availability_zone || '|' || security_group_id || '|' || description from network_interfaces where key_store_id = '\(store.id)' order by subnet_id")
        #expect(interfaces.count == subnets.count, "one ENI per subnet: \(interfaces)", sourceLocation: sourceLocation)
        let bySubnet = Dictionary(grouping: interfaces) { String($0.split(separator: "|")[0]) }
        for (zone, subnet) in subnets {
            let rows = bySubnet[subnet] ?? []
            #expect(rows.count == 1, "one ENI in \(subnet) (\(zone)): \(interfaces)", sourceLocation: sourceLocation)
            if let row = rows.first?.split(separator: "|").map(String.init), row.count == 4 {
                #expect(row[1] == zone && row[2] == group.first && row[3] == "KMS managed ENI for cluster \(store.cluster)",
                        "\(row)", sourceLocation: sourceLocation)
            }
        }
        // No orphan anywhere in the world: every ENI's group exists, every group's store is connected.
        #expect(try await world.sqliteCount(
            "select count(*) from network_interfaces where security_group_id not in (select id from security_groups)") == 0,
                "ENIs whose security group is gone", sourceLocation: sourceLocation)
        #expect(try await world.sqliteCount(
            "select count(*) from security_groups where key_store_id not in (select id from key_stores where state in ('CONNECTED', 'CONNECTING'))") == 0,
                "security groups of stores that are not connected", sourceLocation: sourceLocation)
        // Seen through the CLI: each subnet of the cluster lent exactly one address.
        let free = try await world.freeAddresses(ofCluster: store.cluster)
        #expect(free == baseline.mapValues { $0 - 1 }, "one address per subnet in `cks sim clusters`: \(baseline) → \(free)",
                sourceLocation: sourceLocation)
    }

    /// Each step of the store's connect was applied once: one CONNECTED transition, one security group
    /// created, one ENI created per subnet.
    static func expectEachStepOnce(of store: Demo.Store, in world: TestWorld, subnets: Int,
                                   sourceLocation: SourceLocation = #_sourceLocation) async throws {
        func count(_ condition: String) async throws -> Int {
            try await world.sqliteCount("select count(*) from events where key_store_id = '\(store.id)' and \(condition)",
                                        sourceLocation: sourceLocation)
        }
        #expect(try await count("json_extract(kind, '$.connectionStateChanged.to') = 'CONNECTED'") == 1,
                "exactly one CONNECTED transition", sourceLocation: sourceLocation)
        #expect(try await count("json_extract(kind, '$.connectionStateChanged.to') = 'CONNECTING'") == 1, sourceLocation: sourceLocation)
        #expect(try await count("json_extract(kind, '$.stepFinished._0') = 'createSecurityGroup'") == 1, sourceLocation: sourceLocation)
        #expect(try await count("json_extract(kind, '$.stepFinished._0') = 'createNetworkInterface'") == subnets, sourceLocation: sourceLocation)
        #expect(try await count("json_extract(kind, '$.stepFinished._0') = 'rotatePassword'") == 1, sourceLocation: sourceLocation)
        #expect(try await world.sqliteCount("select count(*) from workflows") == 0, "no workflow left", sourceLocation: sourceLocation)
    }

    @Test("SIGKILL during connect --wait: the next cks continues the workflow to CONNECTED, no orphan, no duplicate",
          arguments: KillMoment.allCases, Resume.allCases)
    func killMidConnect(_ moment: KillMoment, _ resume: Resume) async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive  // three subnets, so three ENI steps
        let subnets = try await world.subnets(ofCluster: store.cluster)
        let baseline = try await world.freeAddresses(ofCluster: store.cluster)

        // On a terminal, so its output arrives line by line as a user would see it; the reading thread kills
        // it the moment the chosen line appears.
        let connect = try world.start(["connect", store.name, "--wait", "--pace", "demo"], environment: ["NO_COLOR": "1"], terminal: true)
        connect.killWhenOutput { moment.reached($0) }
        // No `cks list` polls here: it would resume the interrupted workflow and, on a loaded machine, catch up
        // with every overdue step before this test looked.
        let killed = try await connect.finish(bound: .testWaitBound)
        #expect(killed.killedBySignal && killed.status == SIGKILL, "\(killed)")
        #expect(moment.reached(killed.stdout) && killed.stdout.contains("CONNECTING"), "\(killed)")
        #expect(!killed.stdout.contains("is ● CONNECTED"), "killed before the end: \(killed)")
        // Nothing has run since the kill: the world file shows the connect interrupted.
        #expect(try await world.sqlite("select state from key_stores where id = '\(store.id)'") == ["CONNECTING"])
        #expect(try await world.sqliteCount("select count(*) from workflows where key_store_id = '\(store.id)'") == 1)

        switch resume {
        case .connectWaitAgain:
            let result = try await world.run("connect", store.name, "--wait", bound: .testWaitBound)
            expectSuccess(result)
            #expect(result.lines.last?.contains("CONNECTED") == true, "\(result)")
        case .listRepeatedly:
            try await world.waitForState(store.id, "CONNECTED", bound: .testWaitBound)
        }
        #expect(try await world.state(of: store.id).state == "CONNECTED")
        try await Self.expectNetworkResources(of: store, in: world, subnets: subnets, baseline: baseline)
        try await Self.expectEachStepOnce(of: store, in: world, subnets: subnets.count)
    }

    @Test("two connect --wait on one store at once: both report CONNECTED, the history has one CONNECTED transition")
    func twoConnectsAtOnce() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let subnets = try await world.subnets(ofCluster: store.cluster)
        let baseline = try await world.freeAddresses(ofCluster: store.cluster)
        let first = try world.start(["connect", store.name, "--wait", "--pace", "demo"])
        let second = try world.start(["connect", store.id, "--wait", "--pace", "demo"])
        let results = [try await first.finish(bound: .testWaitBound), try await second.finish(bound: .testWaitBound)]
        for result in results {
            expectSuccess(result)
            #expect(result.lines.last?.contains("CONNECTED") == true && !result.stdout.contains("FAILED"), "\(result)")
        }
        #expect(try await world.state(of: store.id).state == "CONNECTED")
        try await Self.expectNetworkResources(of: store, in: world, subnets: subnets, baseline: baseline)
        try await Self.expectEachStepOnce(of: store, in: world, subnets: subnets.count)
    }

    @Test("connects of different stores in parallel processes all end CONNECTED with their own resources")
    func parallelConnectsOfDifferentStores() async throws {
        let world = try TestWorld()
        let stores = [Demo.ledgerArchive, Demo.hrRecords]
        var subnets: [String: [String: String]] = [:]
        var baselines: [String: [String: Int]] = [:]
        for store in stores {
            subnets[store.id] = try await world.subnets(ofCluster: store.cluster)
            baselines[store.id] = try await world.freeAddresses(ofCluster: store.cluster)
        }
        let running = try stores.map { try world.start(["connect", $0.name, "--wait", "--pace", "demo"]) }
        for process in running {
            let result = try await process.finish(bound: .testWaitBound)
            expectSuccess(result)
        }
        for store in stores {
            #expect(try await world.state(of: store.id).state == "CONNECTED")
            try await Self.expectNetworkResources(of: store, in: world, subnets: subnets[store.id]!, baseline: baselines[store.id]!)
            try await Self.expectEachStepOnce(of: store, in: world, subnets: subnets[store.id]!.count)
        }
    }
}
