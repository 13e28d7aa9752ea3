import Foundation
import Testing

/// `cks create`, `cks update`, `cks delete` (CreateCustomKeyStore, UpdateCustomKeyStore, DeleteCustomKeyStore).
@Suite("cks create / update / delete")
struct ManageStoreCommandTests {
    /// Writes `cks sim trust-anchor <cluster>` to a file, as a user would with `> customerCA.crt`.
    static func trustAnchorFile(of cluster: String, in world: TestWorld, sourceLocation: SourceLocation = #_sourceLocation) async throws -> URL {
        let result = try await world.run("sim", "trust-anchor", cluster)
        try #require(result.status == 0 && result.stdout.hasPrefix("-----BEGIN CERTIFICATE-----"), "\(result)", sourceLocation: sourceLocation)
        let file = world.scratchFile("\(cluster)-customerCA.crt")
        try Data(result.stdout.utf8).write(to: file)
        return file
    }

    /// Creates a store on the spare cluster and returns its ID (from `--output json`).
    static func createOnSpare(_ name: String, in world: TestWorld, certificate: String? = nil,
                              sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let path: String
        if let certificate { path = certificate } else { path = try await trustAnchorFile(of: Demo.spareCluster, in: world).path }
        let result = try await world.run("create", "--name", name, "--cluster-id", Demo.spareCluster,
                                         "--trust-anchor-certificate", path, "--password", Demo.sparePassword, "--output", "json")
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], sourceLocation: sourceLocation)
        #expect(Array(object.keys) == ["CustomKeyStoreId"], "\(result)", sourceLocation: sourceLocation)
        return try #require(object["CustomKeyStoreId"] as? String, sourceLocation: sourceLocation)
    }

    @Test("create on the spare cluster, connect, rename while CONNECTED, refused edits and deletes, then delete")
    func lifecycle() async throws {
        let world = try TestWorld()
        let certificate = try await Self.trustAnchorFile(of: Demo.spareCluster, in: world)
        let id = try await Self.createOnSpare("team-store", in: world, certificate: certificate.path)
        #expect(id.wholeMatch(of: /cks-[0-9a-f]{17}/) != nil, "store ID format (spec 8.7): \(id)")

        let created = try await world.store(id)
        #expect(created["CustomKeyStoreName"] as? String == "team-store")
        #expect(created["CloudHsmClusterId"] as? String == Demo.spareCluster)
        #expect(created["ConnectionState"] as? String == "DISCONNECTED")
        let pem = try String(contentsOf: certificate, encoding: .utf8)
        #expect((created["TrustAnchorCertificate"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines)
                == pem.trimmingCharacters(in: .whitespacesAndNewlines))
        let clusters = try await world.run("sim", "clusters")
        #expect(clusters.stdout.contains("team-store (\(id))"), "the cluster now has the store: \(clusters)")

        let store = Demo.Store(id: id, name: "team-store", cluster: Demo.spareCluster, password: Demo.sparePassword)
        let connect = try await world.run("connect", "team-store", "--wait")
        ConnectCommandTests.expectConnectSteps(connect, store: store, subnets: try await world.subnets(ofCluster: Demo.spareCluster))

        let rename = try await world.run("update", "team-store", "--new-name", "team-store-2")
        expectSuccess(rename)
        let renamed = try await world.store(id)
        #expect(renamed["CustomKeyStoreName"] as? String == "team-store-2" && renamed["ConnectionState"] as? String == "CONNECTED")

        let password = try await world.run("update", id, "--password", "AnotherPassword1")
        expectKMSError(password, "CustomKeyStoreInvalidStateException", mentioning: ["CONNECTED"])
        #expect(password.stderr.lowercased().contains("disconnect"), "\(password)")
        let renameAndPassword = try await world.run("update", id, "--new-name", "team-store-3", "--password", "AnotherPassword1")
        expectKMSError(renameAndPassword, "CustomKeyStoreInvalidStateException")
        #expect(try await world.store(id)["CustomKeyStoreName"] as? String == "team-store-2", "nothing of a refused update applies")

        let deleteConnected = try await world.run("delete", id)
        expectKMSError(deleteConnected, "CustomKeyStoreInvalidStateException", mentioning: ["CONNECTED"])

        expectSuccess(try await world.run("disconnect", id, "--wait"))
        expectSuccess(try await world.run("update", id, "--password", "AnotherPassword1"))

        let delete = try await world.run("delete", "team-store-2", "--output", "json")
        expectSuccess(delete)
        #expect(delete.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "{}", "\(delete)")
        expectKMSError(try await world.run("list", "--id", id), "CustomKeyStoreNotFoundException")
        let after = try await world.run("sim", "clusters")
        #expect(!after.stdout.contains(id), "the cluster is free again: \(after)")
    }

    @Test("the trust anchor can be given as file://path")
    func fileURLTrustAnchor() async throws {
        let world = try TestWorld()
        let certificate = try await Self.trustAnchorFile(of: Demo.spareCluster, in: world)
        let id = try await Self.createOnSpare("from-file-url", in: world, certificate: "file://" + certificate.path)
        #expect(try await world.store(id)["CloudHsmClusterId"] as? String == Demo.spareCluster)
    }

    @Test("the trust anchor can be given as the PEM text (--trust-anchor-certificate=PEM)")
    func pemTextTrustAnchorWithEquals() async throws {
        let world = try TestWorld()
        let pem = try String(contentsOf: try await Self.trustAnchorFile(of: Demo.spareCluster, in: world), encoding: .utf8)
        let result = try await world.run("create", "--name", "pem-text", "--cluster-id", Demo.spareCluster,
                                         "--trust-anchor-certificate=\(pem)", "--password", Demo.sparePassword)
        expectSuccess(result)
    }

    @Test("the PEM text as the next argument, as `cks create --help` offers (\"a path, file://path, or the PEM itself\")")
    func pemTextTrustAnchorAsNextArgument() async throws {
        let world = try TestWorld()
        let pem = try String(contentsOf: try await Self.trustAnchorFile(of: Demo.spareCluster, in: world), encoding: .utf8)
        let result = try await world.run("create", "--name", "pem-text", "--cluster-id", Demo.spareCluster,
                                         "--trust-anchor-certificate", pem, "--password", Demo.sparePassword)
        expectSuccess(result)
    }

    @Test("a trust anchor that is not the cluster's: IncorrectTrustAnchorException")
    func wrongTrustAnchor() async throws {
        let world = try TestWorld()
        let other = try await Self.trustAnchorFile(of: Demo.paymentsProd.cluster, in: world)
        let result = try await world.run("create", "--name", "wrong-anchor", "--cluster-id", Demo.spareCluster,
                                         "--trust-anchor-certificate", other.path, "--password", Demo.sparePassword)
        expectKMSError(result, "IncorrectTrustAnchorException", mentioning: [Demo.spareCluster])
        expectKMSError(try await world.run("list", "--name", "wrong-anchor"), "CustomKeyStoreNotFoundException")
    }

    @Test("a password outside 7-32 characters: ValidationException", arguments: ["short", String(repeating: "p", count: 33)])
    func badPassword(_ password: String) async throws {
        let world = try TestWorld()
        let certificate = try await Self.trustAnchorFile(of: Demo.spareCluster, in: world)
        let create = try await world.run("create", "--name", "bad-password", "--cluster-id", Demo.spareCluster,
                                         "--trust-anchor-certificate", certificate.path, "--password", password)
        expectKMSError(create, "ValidationException", mentioning: ["7", "32"])
        let update = try await world.run("update", Demo.ledgerArchive.name, "--password", password)
        expectKMSError(update, "ValidationException")
    }

    @Test("a name in use: CustomKeyStoreNameInUseException, on create and on rename")
    func nameInUse() async throws {
        let world = try TestWorld()
        let certificate = try await Self.trustAnchorFile(of: Demo.spareCluster, in: world)
        let create = try await world.run("create", "--name", Demo.paymentsProd.name, "--cluster-id", Demo.spareCluster,
                                         "--trust-anchor-certificate", certificate.path, "--password", Demo.sparePassword)
        expectKMSError(create, "CustomKeyStoreNameInUseException", mentioning: [Demo.paymentsProd.name])
        let rename = try await world.run("update", Demo.ledgerArchive.name, "--new-name", Demo.hrRecords.name)
        expectKMSError(rename, "CustomKeyStoreNameInUseException")
    }

    @Test("a cluster that already backs a store: CloudHsmClusterInUseException")
    func clusterInUse() async throws {
        let world = try TestWorld()
        let certificate = try await Self.trustAnchorFile(of: Demo.ledgerArchive.cluster, in: world)
        let result = try await world.run("create", "--name", "second-on-ledger", "--cluster-id", Demo.ledgerArchive.cluster,
                                         "--trust-anchor-certificate", certificate.path, "--password", Demo.ledgerArchive.password)
        expectKMSError(result, "CloudHsmClusterInUseException", mentioning: [Demo.ledgerArchive.cluster])
    }

    @Test("clusters that cannot back a store: not ACTIVE, unknown, malformed ID", arguments: [
        (Demo.uninitializedCluster, "CloudHsmClusterNotActiveException"),
        ("cluster-zzzzzzzzzzz", "CloudHsmClusterNotFoundException"),
        ("not-a-cluster", "ValidationException"),
    ])
    func unusableCluster(_ cluster: String, _ exception: String) async throws {
        let world = try TestWorld()
        let certificate = try await Self.trustAnchorFile(of: Demo.spareCluster, in: world)
        let result = try await world.run("create", "--name", "unusable", "--cluster-id", cluster,
                                         "--trust-anchor-certificate", certificate.path, "--password", Demo.sparePassword)
        expectKMSError(result, exception)
    }

    @Test("a trust anchor file that cannot be read: exit 2 with the path")
    func unreadableTrustAnchor() async throws {
        let world = try TestWorld()
        let missing = world.scratchFile("missing.crt").path
        let result = try await world.run("create", "--name", "x-store", "--cluster-id", Demo.spareCluster,
                                         "--trust-anchor-certificate", missing, "--password", Demo.sparePassword)
        #expect(result.status == 2 && result.stderr.contains(missing), "\(result)")
    }

    @Test("a cluster restored from the backup of a store's cluster shares its backup history: CloudHsmClusterInUseException")
    func relatedClusterInUse() async throws {
        let world = try TestWorld()
        let restore = try await world.run("sim", "restore-cluster", Demo.paymentsProd.cluster)
        expectSuccess(restore)
        let cluster = String(try #require(restore.stdout.firstMatch(of: /new cluster (cluster-[a-z0-9]+)/)?.1, "\(restore)"))
        let certificate = try await Self.trustAnchorFile(of: cluster, in: world)
        let result = try await world.run("create", "--name", "payments-copy", "--cluster-id", cluster,
                                         "--trust-anchor-certificate", certificate.path, "--password", Demo.paymentsProd.password)
        expectKMSError(result, "CloudHsmClusterInUseException", mentioning: [cluster])
    }

    @Test("delete is refused while the store holds keys (CustomKeyStoreHasCMKsException) or is not DISCONNECTED")
    func deleteRefused() async throws {
        let world = try TestWorld()
        expectKMSError(try await world.run("delete", Demo.ledgerArchive.name), "CustomKeyStoreHasCMKsException")
        expectKMSError(try await world.run("delete", Demo.paymentsProd.name), "CustomKeyStoreInvalidStateException", mentioning: ["CONNECTED"])
        expectKMSError(try await world.run("delete", Demo.tokenizationVault.name), "CustomKeyStoreInvalidStateException", mentioning: ["FAILED"])
        for store in [Demo.ledgerArchive, Demo.paymentsProd, Demo.tokenizationVault] {
            #expect(try await world.store(store.id)["CustomKeyStoreName"] as? String == store.name, "still there")
        }
        expectKMSError(try await world.run("delete", "no-such-store"), "CustomKeyStoreNotFoundException")
    }

    @Test("rename is refused on a FAILED store (spec 8.5: only CONNECTED or DISCONNECTED)")
    func renameFailed() async throws {
        let world = try TestWorld()
        let result = try await world.run("update", Demo.tokenizationVault.name, "--new-name", "renamed-vault")
        expectKMSError(result, "CustomKeyStoreInvalidStateException", mentioning: ["FAILED"])
    }

    @Test("update --cluster-id: a related (restored) cluster is accepted, an unrelated one refused")
    func updateCluster() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let unrelated = try await world.run("update", store.name, "--cluster-id", Demo.spareCluster)
        expectKMSError(unrelated, "CloudHsmClusterNotRelatedException")
        let restore = try await world.run("sim", "restore-cluster", store.cluster)
        expectSuccess(restore)
        let related = String(try #require(restore.stdout.firstMatch(of: /new cluster (cluster-[a-z0-9]+)/)?.1, "\(restore)"))
        expectSuccess(try await world.run("update", store.name, "--cluster-id", related))
        #expect(try await world.store(store.id)["CloudHsmClusterId"] as? String == related)
    }

    @Test("update without a change to make is a usage error")
    func updateNothing() async throws {
        let world = try TestWorld()
        let result = try await world.run("update", Demo.ledgerArchive.name)
        #expect(result.status != 0 && !result.killedBySignal && result.stderr.contains("--new-name"), "\(result)")
    }
}

/// After a rename, cks names the store by its new name (issue 15, item 13).
@Suite("cks update --new-name")
struct RenameMessageTests {
    @Test("The message after a rename names the new name, and the store answers to it")
    func namesTheNewName() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let result = try await world.run("update", store.name, "--new-name", "ledger-renamed")
        expectSuccess(result)
        #expect(result.stdout == "Updated ledger-renamed (\(store.id)).\n", "\(result)")
        #expect(!result.stdout.contains(store.name), "\(result)")
        #expect(try await world.store(store.id)["CustomKeyStoreName"] as? String == "ledger-renamed")
        let keys = try await world.run("keys", "ledger-renamed")
        #expect(keys.lines.first?.hasPrefix("ledger-renamed (\(store.id))") == true, "\(keys)")
    }
}
