import CKSTestSupport
import Foundation
import Testing

/// The CLI flows with `--backend aws --endpoint-url` against a real `cks serve` on a world of its own.
@Suite("cks --backend aws against cks serve", .serialized,
       .enabled("`cks serve --help` fails: this cks has no serve command (built from an older tree?)") { await CKSBinary.hasServe.value })
struct ServeCLITests {
    static let ledger = (id: "cks-3c4d5e6f708192a3b", name: "ledger-archive", cluster: "cluster-4ledgerarch")
    static let hr = (id: "cks-4d5e6f708192a3b4c", name: "hr-records", cluster: "cluster-5hrrecordsz")

    func stores(_ object: [String: Any]) -> [[String: Any]] { object["CustomKeyStores"] as? [[String: Any]] ?? [] }

    func state(_ world: ServeWorld, _ id: String) async throws -> String? {
        stores(try world.json(try await world.aws("list", "--output", "json", "--id", id))).first?["ConnectionState"] as? String
    }

    @Test func listIsWhatTheSimulatorSays() async throws {
        let world = try await ServeWorld.start()
        let viaAWS = try await world.aws("list", "--output", "json")
        let viaSimulator = try await world.simulator("list", "--output", "json")
        #expect(viaAWS.status == 0, "\(viaAWS)")
        #expect(viaAWS.stdout == viaSimulator.stdout, "the same bytes as the embedded simulator prints")
        #expect(stores(try world.json(viaAWS)).count == 10, "the demo world's 7 CloudHSM and 3 external key stores")

        let table = try await world.aws("list")
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("NAME") && table.stdout.contains("HSMS"))
        let payments = table.stdout.split(separator: "\n").first { $0.hasPrefix("payments-prod") } ?? ""
        #expect(payments.contains("cluster-2payments7a") && payments.contains(" 3 ") && payments.contains("CONNECTED"),
                "HSM count from DescribeClusters: \(table.stdout)")
    }

    @Test func connectWaitThenDisconnectWait() async throws {
        let world = try await ServeWorld.start()
        let connect = try await world.aws("connect", Self.ledger.name, "--wait")
        #expect(connect.status == 0, "\(connect)")
        #expect(connect.stdout.contains("Preflight: Cluster \(Self.ledger.cluster) ACTIVE: 2 active HSMs"), "\(connect)")
        #expect(connect.stdout.contains("\(Self.ledger.name) is ● CONNECTED"), "\(connect)")
        #expect(try await state(world, Self.ledger.id) == "CONNECTED")

        let disconnect = try await world.aws("disconnect", Self.ledger.id, "--wait")
        #expect(disconnect.status == 0, "\(disconnect)")
        #expect(disconnect.stdout.contains("is ○ DISCONNECTED"), "\(disconnect)")
        #expect(try await state(world, Self.ledger.id) == "DISCONNECTED")

        let json = try await world.aws("connect", Self.ledger.id, "--wait", "--output", "json")
        #expect(stores(try world.json(json)).first?["ConnectionState"] as? String == "CONNECTED")
    }

    @Test func connectWaitFollowsEachPollAtDemoPace() async throws {
        // About 8 s of simulated connect: the 2 s polls see CONNECTING before CONNECTED.
        let world = try await ServeWorld.start(pace: "demo")
        let connect = try await world.aws("connect", Self.hr.name, "--wait")
        #expect(connect.status == 0, "\(connect)")
        let lines = connect.stdout.split(separator: "\n").map(String.init)
        let connecting = lines.firstIndex { $0.contains("→ ◌ CONNECTING") || $0.contains("CONNECTING") && $0.contains("→") }
        let connected = lines.firstIndex { $0.contains("→ ● CONNECTED") }
        #expect(connecting != nil && connected != nil && connecting! < connected!, "\(connect)")
    }

    @Test func aFailedConnectShowsTheFix() async throws {
        let world = try await ServeWorld.start()
        let lock = try await world.simulator("sim", "lock-kmsuser", Self.hr.cluster)
        #expect(lock.status == 0, "\(lock)")
        let connect = try await world.aws("connect", Self.hr.name, "--wait")
        #expect(connect.status == 3, "a store that ends FAILED: \(connect)")
        #expect(connect.stdout.contains("FAILED (USER_LOCKED_OUT)"), "\(connect)")
        #expect(connect.stdout.contains("How to fix it"), "\(connect)")

        let refused = try await world.aws("connect", "tokenization-vault")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("cks: CustomKeyStoreInvalidStateException:"), "\(refused)")
    }

    @Test func createUpdateDelete() async throws {
        let world = try await ServeWorld.start()
        let anchor = try await world.simulator("sim", "trust-anchor", "cluster-3sparecapac")
        #expect(anchor.status == 0, "\(anchor)")
        let pem = try world.home.write("customerCA.crt", anchor.stdout)

        let create = try await world.aws("create", "--name", "made-by-aws", "--cluster-id", "cluster-3sparecapac",
                                         "--trust-anchor-certificate", pem, "--password", "SpareCluster1", "--output", "json")
        let id = try #require(try world.json(create)["CustomKeyStoreId"] as? String)
        #expect(try await state(world, id) == "DISCONNECTED")

        let update = try await world.aws("update", "made-by-aws", "--new-name", "renamed-by-aws")
        #expect(update.status == 0 && update.stdout.contains("Updated renamed-by-aws (\(id))"), "\(update)")
        let byName = try await world.aws("list", "--output", "json", "--name", "renamed-by-aws")
        #expect(stores(try world.json(byName)).first?["CustomKeyStoreId"] as? String == id)

        // The same name with other properties (an exact repeat would return the same ID: spec section 7).
        let duplicate = try await world.aws("create", "--name", "renamed-by-aws", "--cluster-id", "cluster-3sparecapac",
                                            "--trust-anchor-certificate", pem, "--password", "OtherPassword1")
        #expect(duplicate.status == 1 && duplicate.stderr.contains("CustomKeyStoreNameInUseException"), "\(duplicate)")

        let delete = try await world.aws("delete", id)
        #expect(delete.status == 0 && delete.stdout.contains("Deleted renamed-by-aws"), "\(delete)")
        let gone = try await world.aws("list", "--id", id)
        #expect(gone.status == 1 && gone.stderr.contains("CustomKeyStoreNotFoundException"), "\(gone)")
    }

    @Test func keysAndCreateKey() async throws {
        let world = try await ServeWorld.start()
        func metadata(_ result: CommandResult) throws -> [String: String] {
            let keys = try world.json(result)["Keys"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: keys.compactMap { entry -> (String, String)? in
                guard let meta = entry["KeyMetadata"] as? [String: Any], let id = meta["KeyId"] as? String,
                      let state = meta["KeyState"] as? String else { return nil }
                return (id, state)
            })
        }
        let viaAWS = try metadata(try await world.aws("keys", "payments-prod", "--output", "json"))
        let viaSimulator = try metadata(try await world.simulator("keys", "payments-prod", "--output", "json"))
        #expect(viaAWS.count == 5)
        #expect(viaAWS == viaSimulator)

        let created = try await world.aws("create-key", "payments-prod", "--description", "made through KMS CreateKey", "--output", "json")
        let meta = try #require(try world.json(created)["KeyMetadata"] as? [String: Any])
        #expect(meta["Origin"] as? String == "AWS_CLOUDHSM")
        #expect(meta["CustomKeyStoreId"] as? String == "cks-1a2b3c4d5e6f70819")
        let after = try metadata(try await world.aws("keys", "payments-prod", "--output", "json"))
        #expect(after.count == 6 && after[meta["KeyId"] as? String ?? ""] == "Enabled")

        let table = try await world.aws("keys", "ledger-archive")
        #expect(table.status == 0 && table.stdout.contains("Unavailable"), "a DISCONNECTED store's keys: \(table)")
    }

    @Test func severalRegionsAtOnce() async throws {
        let world = try await ServeWorld.start()
        let table = try await world.aws("list", "--region", "\(world.region),eu-west-1")
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.hasPrefix("REGION"), "\(table)")
        #expect(table.stdout.contains("eu-west-1  payments-prod"), "\(table)")
        let json = try await world.aws("list", "--region", "\(world.region),eu-west-1", "--output", "json")
        let entries = stores(try world.json(json))
        #expect(entries.count == 20)
        #expect(Set(entries.compactMap { $0["Region"] as? String }) == [world.region, "eu-west-1"])
        let one = try await world.aws("connect", "payments-prod", "--region", "\(world.region),eu-west-1")
        #expect(one.status == 2 && one.stderr.contains("one Region at a time"), "\(one)")
    }

    @Test func wrongSecretIsRefusedByTheServer() async throws {
        let world = try await ServeWorld.start()
        let result = try await world.aws("list", environment: ["AWS_SECRET_ACCESS_KEY": "not-the-secret"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("InvalidSignatureException"), "\(result)")
    }
}

/// What needs no server: refusals and settings errors of the CLI itself.
@Suite("cks --backend aws without a server")
struct AWSCommandLineTests {
    func run(_ arguments: [String], _ environment: [String: String]) async throws -> CommandResult {
        try await ChildProcess.run(CKSBinary.path, arguments, environment: environment)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CKSBinary.path), "the cks binary is not built"))
    func clearErrors() async throws {
        let home = try TempHome()
        let bare = ["HOME": home.path, "CKS_HOME": home.path + "/world", "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8",
                    "AWS_EC2_METADATA_DISABLED": "true"]

        let noRegion = try await run(["list", "--backend", "aws"], bare)
        #expect(noRegion.status == 2, "\(noRegion)")
        #expect(noRegion.stderr.contains("No AWS Region given") && noRegion.stderr.contains("AWS_DEFAULT_REGION"), "\(noRegion)")

        let noKeys = try await run(["list", "--backend", "aws", "--region", "us-east-1"], bare)
        #expect(noKeys.status == 2, "\(noKeys)")
        #expect(noKeys.stderr.contains("No AWS credentials") && noKeys.stderr.contains(home.path + "/.aws/credentials"), "\(noKeys)")

        let keys = bare.merging(["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1"]) { $1 }
        let sim = try await run(["sim", "clusters", "--backend", "aws"], keys)
        #expect(sim.status == 2 && sim.stderr.contains("only on the embedded simulator"), "\(sim)")

        let unreachable = try await run(["list", "--backend", "aws", "--endpoint-url", "http://127.0.0.1:1"], keys)
        #expect(unreachable.status == 1, "\(unreachable)")
        #expect(unreachable.stderr.contains("EndpointUnavailable") && unreachable.stderr.contains("refused"), "\(unreachable)")

        let simulatorWithRegion = try await run(["list", "--region", "us-east-1"], bare)
        #expect(simulatorWithRegion.status != 0 && simulatorWithRegion.stderr.contains("--backend aws"), "\(simulatorWithRegion)")

        let missingProfile = try await run(["list", "--backend", "aws", "--profile", "nope", "--region", "us-east-1"], keys)
        #expect(missingProfile.status == 2 && missingProfile.stderr.contains("The config profile (nope) could not be found"), "\(missingProfile)")
    }
}
