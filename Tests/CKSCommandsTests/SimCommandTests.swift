import Foundation
import Testing

/// `cks sim …`: the simulated clusters and the faults that make a connect fail with each CloudHSM
/// ConnectionErrorCode, seen through `cks sim clusters`, `cks list` and `cks connect --wait`.
@Suite("cks sim")
struct SimCommandTests {
    /// The block of one cluster in the `cks sim clusters` table.
    static func clusterBlock(_ cluster: String, in world: TestWorld, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await world.run("sim", "clusters")
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        let blocks = result.stdout.components(separatedBy: "\n\n")
        return try #require(blocks.first { $0.hasPrefix(cluster + " ") }, "no block for \(cluster): \(result)", sourceLocation: sourceLocation)
    }

    @Test("sim clusters: a table with HSMs and their AZs, subnets with free addresses, kmsuser and the store")
    func clustersTable() async throws {
        let world = try TestWorld()
        let result = try await world.run("sim", "clusters")
        expectSuccess(result)
        #expect(!hasANSIEscape(result.stdout))
        let ledger = try await Self.clusterBlock(Demo.ledgerArchive.cluster, in: world)
        #expect(ledger.contains("ACTIVE"))
        #expect(ledger.contains("HSMs:") && ledger.contains("hsm-") && ledger.contains("us-east-1a") && ledger.contains("us-east-1c"), "\(ledger)")
        #expect(ledger.components(separatedBy: "subnet:").count - 1 == 3, "three subnets: \(ledger)")
        #expect(ledger.contains(" free"), "free addresses: \(ledger)")
        #expect(ledger.contains("kmsuser:"), "\(ledger)")
        #expect(ledger.contains(Demo.ledgerArchive.name) && ledger.contains(Demo.ledgerArchive.id), "the store on it: \(ledger)")
        let spare = try await Self.clusterBlock(Demo.spareCluster, in: world)
        #expect(spare.contains("ACTIVE") && spare.contains("none"), "no store yet: \(spare)")
        let signing = try await Self.clusterBlock(Demo.releaseSigning.cluster, in: world)
        #expect(signing.contains("HSMs:       none") || signing.contains("HSMs: none") || signing.contains("none"), "\(signing)")
        let partner = try await Self.clusterBlock(Demo.partnerExchange.cluster, in: world)
        #expect(partner.contains("logged in elsewhere"), "\(partner)")
    }

    @Test("sim clusters --output json: Clusters with ClusterId, Hsms and SubnetMapping, like describe-clusters")
    func clustersJSON() async throws {
        let world = try TestWorld()
        let answer = try await world.json("sim", "clusters", "--output", "json")
        let clusters = try #require(answer["Clusters"] as? [[String: Any]])
        let table = try await world.run("sim", "clusters")
        #expect(clusters.count == table.stdout.components(separatedBy: "\n\n").count, "as many clusters as the table")
        let stores = try #require(try await world.json("list", "--output", "json")["CustomKeyStores"] as? [[String: Any]])
        let ids = Set(clusters.compactMap { $0["ClusterId"] as? String })
        for store in stores where store["CustomKeyStoreType"] as? String == "AWS_CLOUDHSM" {
            #expect(ids.contains(store["CloudHsmClusterId"] as? String ?? "?"))
        }
        #expect(ids.contains(Demo.spareCluster))
        for cluster in clusters {
            let id = try #require(cluster["ClusterId"] as? String)
            let hsms = try #require(cluster["Hsms"] as? [[String: Any]], "\(id)")
            let mapping = try #require(cluster["SubnetMapping"] as? [String: String], "\(id)")
            #expect(mapping.count >= 2, "\(id)")
            for (zone, subnet) in mapping { #expect(zone.hasPrefix("us-east-1") && subnet.hasPrefix("subnet-")) }
            for hsm in hsms {
                #expect((hsm["HsmId"] as? String)?.hasPrefix("hsm-") == true)
                let zone = try #require(hsm["AvailabilityZone"] as? String)
                #expect(hsm["SubnetId"] as? String == mapping[zone], "the HSM is in the cluster's subnet of its AZ")
                #expect(hsm["State"] is String)
            }
            #expect(cluster["State"] is String)
        }
    }

    @Test("cluster IDs are cluster- and 11 characters of [2-7a-z] (spec 8.7)")
    func clusterIdFormat() async throws {
        let world = try TestWorld()
        for _ in 0..<3 { expectSuccess(try await world.run("sim", "restore-cluster", Demo.spareCluster)) }
        let answer = try await world.json("sim", "clusters", "--output", "json")
        let ids = try #require(answer["Clusters"] as? [[String: Any]]).compactMap { $0["ClusterId"] as? String }
        let demo = ["cluster-2payments7a", "cluster-3analytics4", "cluster-4ledgerarch", "cluster-5hrrecordsz", "cluster-6tokenvault",
                    "cluster-7signingkey", "cluster-2partnerexc", "cluster-3sparecapac", "cluster-4newcluster"]
        let made = ids.filter { !demo.contains($0) }
        #expect(made.count == 3, "\(ids)")
        for id in made { #expect(id.wholeMatch(of: /cluster-[2-7a-z]{11}/) != nil, "a cluster the simulator made: \(id)") }
        let demoInWorld = ids.filter(demo.contains)
        for id in demoInWorld { #expect(id.wholeMatch(of: /cluster-[2-7a-z]{11}/) != nil, "a demo cluster: \(id)") }
    }

    /// A fault and the ConnectionErrorCode the next connect of ledger-archive ends with.
    struct Fault: Sendable, CustomTestStringConvertible {
        var command: [String]
        var code: String
        /// Text the cluster's block in `cks sim clusters` shows afterwards (nil: not visible there).
        var visible: String?
        var testDescription: String { command.first! }

        /// The command with `SUBNET` replaced by the cluster's us-east-1b subnet.
        func arguments(subnets: [String: String]) -> [String] {
            ["sim"] + command.map { $0 == "SUBNET" ? subnets["us-east-1b"]! : $0 }
        }
    }

    static let cluster = Demo.ledgerArchive.cluster
    static let faults: [Fault] = [
        Fault(command: ["delete-cluster", cluster], code: "CLUSTER_NOT_FOUND", visible: "DELETED"),
        Fault(command: ["remove-hsm", cluster, "--all"], code: "INSUFFICIENT_CLOUDHSM_HSMS", visible: "HSMs:       none"),
        Fault(command: ["delete-subnet", "SUBNET"], code: "SUBNET_NOT_FOUND", visible: "DELETED"),
        Fault(command: ["fill-subnet", "SUBNET"], code: "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET", visible: " 0 free"),
        Fault(command: ["block-network", cluster], code: "NETWORK_ERRORS", visible: "network:    blocked"),
        Fault(command: ["delete-kmsuser", cluster], code: "USER_NOT_FOUND", visible: "missing"),
        Fault(command: ["login-kmsuser", cluster], code: "USER_LOGGED_IN", visible: "logged in elsewhere"),
        Fault(command: ["set-kmsuser-password", cluster, "--password", "NotTheStores1"], code: "INVALID_CREDENTIALS", visible: "password NotTheStores1"),
        Fault(command: ["lock-kmsuser", cluster], code: "USER_LOCKED_OUT", visible: "locked out"),
        Fault(command: ["internal-error", cluster], code: "INTERNAL_ERROR", visible: "meets a KMS internal error"),
    ]

    @Test("each fault command exits 0, shows in sim clusters, and the next connect ends FAILED with its code", arguments: faults)
    func faultMakesConnectFail(_ fault: Fault) async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let subnets = try await world.subnets(ofCluster: store.cluster)
        let before = try await Self.clusterBlock(store.cluster, in: world)
        let applied = try await world.run(fault.arguments(subnets: subnets))
        expectSuccess(applied)
        #expect(!applied.stdout.isEmpty, "says what it did")

        let after = try await Self.clusterBlock(store.cluster, in: world)
        if let visible = fault.visible {
            #expect(after.contains(visible) && !before.contains(visible), "sim clusters shows the fault: \(after)")
        }
        if fault.command.first == "delete-subnet" {
            #expect(after.contains("\(subnets["us-east-1b"]!) us-east-1b") && after.contains("DELETED"), "the subnet shows as deleted: \(after)")
        }
        #expect(try await world.state(of: store.id).state == "DISCONNECTED", "a fault changes nothing until the next connect")

        let connect = try await world.run("connect", store.name, "--wait")
        #expect(connect.status == 3 && !connect.killedBySignal, "\(connect)")
        #expect(connect.stdout.contains("FAILED (\(fault.code))"), "\(connect)")
        #expect(connect.stdout.contains("What it means:") && connect.stdout.contains("How to fix it:"), "\(connect)")
        let state = try await world.state(of: store.id)
        #expect(state.state == "FAILED" && state.code == fault.code, "\(state)")
        #expect(try await world.sqliteCount("select count(*) from network_interfaces where key_store_id = '\(store.id)'") == 0)
        #expect(try await world.sqliteCount("select count(*) from security_groups where key_store_id = '\(store.id)'") == 0)
        let table = try await world.run("list")
        #expect(table.lines.first { $0.hasPrefix(store.name + " ") }?.contains("FAILED (\(fault.code))") == true, "\(table)")
    }

    /// A fault, then what repairs it; after a disconnect the store connects again.
    struct Repair: Sendable, CustomTestStringConvertible {
        var name: String
        var fault: [[String]]
        var repair: [[String]]
        var testDescription: String { name }
    }

    static let repairs: [Repair] = [
        Repair(name: "add-hsm", fault: [["remove-hsm", cluster, "--all"]],
               repair: [["add-hsm", cluster, "--az", "us-east-1a"], ["add-hsm", cluster, "--az", "us-east-1b"]]),
        Repair(name: "free-subnet", fault: [["fill-subnet", "SUBNET"]], repair: [["free-subnet", "SUBNET", "--addresses", "5"]]),
        Repair(name: "unblock-network", fault: [["block-network", cluster]], repair: [["unblock-network", cluster]]),
        Repair(name: "logout-kmsuser", fault: [["login-kmsuser", cluster]], repair: [["logout-kmsuser", cluster]]),
        Repair(name: "reset-kmsuser after delete", fault: [["delete-kmsuser", cluster]],
               repair: [["reset-kmsuser", cluster, "--password", Demo.ledgerArchive.password]]),
        Repair(name: "reset-kmsuser after lock", fault: [["lock-kmsuser", cluster]],
               repair: [["reset-kmsuser", cluster, "--password", Demo.ledgerArchive.password]]),
        Repair(name: "update --password", fault: [["set-kmsuser-password", cluster, "--password", "NotTheStores1"]],
               repair: [["UPDATE", "--password", "NotTheStores1"]]),
        Repair(name: "retry after internal-error", fault: [["internal-error", cluster]], repair: []),
    ]

    @Test("after the repair the sim offers, disconnect + connect ends CONNECTED", arguments: repairs)
    func repairThenConnect(_ repair: Repair) async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let subnets = try await world.subnets(ofCluster: store.cluster)
        func arguments(_ command: [String]) -> [String] {
            if command.first == "UPDATE" { return ["update", store.name] + command.dropFirst() }
            return ["sim"] + command.map { $0 == "SUBNET" ? subnets["us-east-1b"]! : $0 }
        }
        for command in repair.fault { expectSuccess(try await world.run(arguments(command))) }
        let failed = try await world.run("connect", store.name, "--wait")
        #expect(failed.status == 3, "\(failed)")
        expectSuccess(try await world.run("disconnect", store.name, "--wait"))
        for command in repair.repair { expectSuccess(try await world.run(arguments(command))) }
        let connect = try await world.run("connect", store.name, "--wait")
        expectSuccess(connect)
        #expect(try await world.state(of: store.id).state == "CONNECTED", "\(connect)")
    }

    @Test("a deleted cluster: restore-cluster, update --cluster-id, connect → CONNECTED (the documented fix)")
    func restoreDeletedCluster() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        expectSuccess(try await world.run("sim", "delete-cluster", store.cluster))
        #expect(try await world.run("connect", store.name, "--wait").status == 3)
        expectSuccess(try await world.run("disconnect", store.name, "--wait"))
        let restore = try await world.run("sim", "restore-cluster", store.cluster)
        expectSuccess(restore)
        let cluster = String(try #require(restore.stdout.firstMatch(of: /new cluster (cluster-[a-z0-9]+)/)?.1, "\(restore)"))
        expectSuccess(try await world.run("update", store.name, "--cluster-id", cluster))
        expectSuccess(try await world.run("connect", store.name, "--wait"))
        let now = try await world.store(store.id)
        #expect(now["ConnectionState"] as? String == "CONNECTED" && now["CloudHsmClusterId"] as? String == cluster)
    }

    @Test("five wrong kmsuser passwords lock the user: INVALID_CREDENTIALS five times, then USER_LOCKED_OUT")
    func fiveFailedLoginsLock() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        expectSuccess(try await world.run("sim", "set-kmsuser-password", store.cluster, "--password", "NotTheStores1"))
        for attempt in 1...5 {
            let connect = try await world.run("connect", store.name, "--wait")
            #expect(connect.status == 3 && connect.stdout.contains("FAILED (INVALID_CREDENTIALS)"), "attempt \(attempt): \(connect)")
            expectSuccess(try await world.run("disconnect", store.name, "--wait"))
        }
        #expect(try await Self.clusterBlock(store.cluster, in: world).contains("locked out"))
        let locked = try await world.run("connect", store.name, "--wait")
        #expect(locked.status == 3 && locked.stdout.contains("FAILED (USER_LOCKED_OUT)"), "\(locked)")
    }

    @Test("break-security-group: ConnectCustomKeyStore itself fails (CloudHsmClusterInvalidConfigurationException); repair fixes it")
    func brokenSecurityGroup() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        expectSuccess(try await world.run("sim", "break-security-group", store.cluster))
        #expect(try await Self.clusterBlock(store.cluster, in: world).contains("rules missing"))
        for wait in [false, true] {
            let connect = try await world.run(["connect", store.name] + (wait ? ["--wait"] : []))
            expectKMSError(connect, "CloudHsmClusterInvalidConfigurationException", mentioning: ["2223"])
        }
        #expect(try await world.state(of: store.id).state == "DISCONNECTED", "a synchronous refusal changes nothing")
        expectSuccess(try await world.run("sim", "repair-security-group", store.cluster))
        expectSuccess(try await world.run("connect", store.name, "--wait"))
    }

    @Test("the demo FAILED stores' faults are repairable: release-signing gets HSMs, partner-exchange's kmsuser logs out")
    func demoFailuresRepairable() async throws {
        let world = try TestWorld()
        let signing = Demo.releaseSigning
        expectSuccess(try await world.run("disconnect", signing.name, "--wait"))
        let subnets = try await world.subnets(ofCluster: signing.cluster)
        for zone in subnets.keys.sorted() { expectSuccess(try await world.run("sim", "add-hsm", signing.cluster, "--az", zone)) }
        expectSuccess(try await world.run("connect", signing.name, "--wait"))

        let partner = Demo.partnerExchange
        expectSuccess(try await world.run("disconnect", partner.name, "--wait"))
        expectSuccess(try await world.run("sim", "logout-kmsuser", partner.cluster))
        expectSuccess(try await world.run("connect", partner.name, "--wait"))
        #expect(try await world.state(of: signing.id).state == "CONNECTED")
        #expect(try await world.state(of: partner.id).state == "CONNECTED")
    }

    @Test("faults on things that do not exist: NotFoundException, exit 1", arguments: [
        ["delete-cluster", "cluster-zzzzzzzzzzz"], ["fill-subnet", "subnet-doesnotexist"], ["lock-kmsuser", "cluster-zzzzzzzzzzz"],
    ])
    func faultOnNothing(_ command: [String]) async throws {
        let world = try TestWorld()
        let result = try await world.run(["sim"] + command)
        expectKMSError(result, "NotFoundException", mentioning: [command[1]])
    }

    @Test("remove-hsm needs --hsm or --all")
    func removeHSMUsage() async throws {
        let world = try TestWorld()
        let result = try await world.run("sim", "remove-hsm", Demo.ledgerArchive.cluster)
        #expect(result.status != 0 && !result.killedBySignal && result.stderr.contains("--all"), "\(result)")
    }

    @Test("trust-anchor of an unknown cluster fails with exit 1")
    func trustAnchorUnknown() async throws {
        let world = try TestWorld()
        let result = try await world.run("sim", "trust-anchor", "cluster-zzzzzzzzzzz")
        #expect(result.status == 1 && result.stdout.isEmpty && result.stderr.contains("cluster-zzzzzzzzzzz"), "\(result)")
    }
}
