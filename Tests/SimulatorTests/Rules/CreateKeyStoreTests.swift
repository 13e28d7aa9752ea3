import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// CreateCustomKeyStore: field validation (spec 1.2), the checks of 1.4, the quota (7) and idempotence (7).
@Suite("CreateCustomKeyStore")
struct CreateKeyStoreTests {
    func request(_ name: String = "new-store", cluster: String = Demo.Cluster.spare, trustAnchor: String,
                 password: String = Demo.sparePassword) -> CreateKeyStoreRequest {
        CreateKeyStoreRequest(name: name, cloudHsmClusterId: cluster, trustAnchorCertificate: trustAnchor, keyStorePassword: password)
    }

    @Test("A new store on a free ACTIVE cluster starts DISCONNECTED with a cks- ID, and is never auto-connected")
    func createsDisconnectedStore() async throws {
        let world = try World()
        defer { world.remove() }
        let pem = try await world.trustAnchor(ofCluster: Demo.Cluster.spare)
        let id = try await world.service.createKeyStore(request(trustAnchor: pem))
        #expect(id.wholeMatch(of: /cks-[0-9a-f]{17}/) != nil, "spec 8.7: cks- + 17 lowercase hex, got \(id)")
        let store = try await world.store(id)
        #expect(store.name == "new-store")
        #expect(store.cloudHsmClusterId == Demo.Cluster.spare)
        #expect(store.connectionState == .disconnected)
        #expect(store.connectionErrorCode == nil)
        #expect(store.type == .awsCloudHSM)
        #expect(abs(store.creationDate.timeIntervalSince(world.clock.now())) < 0.001)
        try await world.advance(3600)
        #expect(try await world.state(id) == .disconnected)
        #expect(try await world.history(id).map(\.kind) == [.keyStoreCreated(name: "new-store")])
        #expect(try await world.service.allKeyStores().count == Demo.storeCount + 1)
    }

    @Test("A name in use is CustomKeyStoreNameInUseException")
    func nameInUse() async throws {
        let world = try World()
        defer { world.remove() }
        let pem = try await world.trustAnchor(ofCluster: Demo.Cluster.spare)
        await expectKMSError(.customKeyStoreNameInUse, "ledger-archive") {
            try await world.service.createKeyStore(request("ledger-archive", trustAnchor: pem))
        }
        #expect(try await world.service.allKeyStores().count == Demo.storeCount)
    }

    @Test("Idempotent create: the same properties as a DISCONNECTED store return that store's ID")
    func idempotentCreate() async throws {
        let world = try World()
        defer { world.remove() }
        let ledgerPem = try await world.trustAnchor(ofCluster: Demo.Cluster.ledger)
        let again = try await world.service.createKeyStore(
            request("ledger-archive", cluster: Demo.Cluster.ledger, trustAnchor: ledgerPem, password: Demo.ledgerPassword))
        #expect(again == Demo.ledger)

        let pem = try await world.trustAnchor(ofCluster: Demo.Cluster.spare)
        let first = try await world.service.createKeyStore(request(trustAnchor: pem))
        let second = try await world.service.createKeyStore(request(trustAnchor: pem))
        #expect(first == second)
        #expect(try await world.service.allKeyStores().count == Demo.storeCount + 1)
        #expect(try await world.history(first).filter { $0.kind == .keyStoreCreated(name: "new-store") }.count == 1)

        // Any differing property, or a store that is not DISCONNECTED, makes the name a conflict.
        await expectKMSError(.customKeyStoreNameInUse) {
            try await world.service.createKeyStore(request(trustAnchor: pem, password: "OtherPassword1"))
        }
        try await world.connectAndSettle(first)
        await expectKMSError(.customKeyStoreNameInUse) {
            try await world.service.createKeyStore(request(trustAnchor: pem))
        }
    }

    @Test("One store per cluster: CloudHsmClusterInUseException, also for a cluster restored from the same backup")
    func oneStorePerCluster() async throws {
        let world = try World()
        defer { world.remove() }
        let ledgerPem = try await world.trustAnchor(ofCluster: Demo.Cluster.ledger)
        await expectKMSError(.cloudHsmClusterInUse, Demo.Cluster.ledger) {
            try await world.service.createKeyStore(
                request("second-ledger", cluster: Demo.Cluster.ledger, trustAnchor: ledgerPem, password: Demo.ledgerPassword))
        }
        let restored = try await world.restore(Demo.Cluster.ledger)
        #expect(try await world.cluster(restored).state == .active)
        #expect(try await world.trustAnchor(ofCluster: restored) == ledgerPem)
        await expectKMSError(.cloudHsmClusterInUse, restored, "same backup") {
            try await world.service.createKeyStore(
                request("restored-ledger", cluster: restored, trustAnchor: ledgerPem, password: Demo.ledgerPassword))
        }
        #expect(try await world.service.allKeyStores().count == Demo.storeCount)
    }

    @Test("The trust anchor must be the cluster's: IncorrectTrustAnchorException")
    func trustAnchorMustMatch() async throws {
        let world = try World()
        defer { world.remove() }
        let otherPem = try await world.trustAnchor(ofCluster: Demo.Cluster.ledger)
        await expectKMSError(.incorrectTrustAnchor, Demo.Cluster.spare) {
            try await world.service.createKeyStore(request(trustAnchor: otherPem))
        }
        let pem = try await world.trustAnchor(ofCluster: Demo.Cluster.spare)
        let id = try await world.service.createKeyStore(request(trustAnchor: pem))
        #expect(try await world.store(id).trustAnchorCertificate == pem)
    }

    @Test("KeyStorePassword must be 7 to 32 characters: ValidationException",
          arguments: [("", false), ("abcdef", false), ("abcdefg", true), (String(repeating: "a", count: 32), true),
                      (String(repeating: "a", count: 33), false)])
    func passwordLength(password: String, valid: Bool) async throws {
        let world = try World()
        defer { world.remove() }
        let pem = try await world.trustAnchor(ofCluster: Demo.Cluster.spare)
        if valid {
            let id = try await world.service.createKeyStore(request(trustAnchor: pem, password: password))
            #expect(try await world.state(id) == .disconnected)
        } else {
            await expectKMSError(.validation, "keyStorePassword", "between 7 and 32") {
                try await world.service.createKeyStore(request(trustAnchor: pem, password: password))
            }
            #expect(try await world.service.allKeyStores().count == Demo.storeCount)
        }
    }

    @Test("CloudHsmClusterId must match cluster-[2-7a-zA-Z]{11,16}: ValidationException",
          arguments: ["cluster-1a23b4cdefg", "cluster-abc", "cluster-abcdefghijklmnopq", "clusters-abcdefghijk",
                      "cluster-abcdefghij!", "cluster-abcdefghij8", "abcdefghijklmnopqrst", ""])
    func clusterIdPattern(clusterId: String) async throws {
        let world = try World()
        defer { world.remove() }
        let pem = try await world.trustAnchor(ofCluster: Demo.Cluster.spare)
        await expectKMSError(.validation, "cloudHsmClusterId") {
            try await world.service.createKeyStore(request(cluster: clusterId, trustAnchor: pem))
        }
    }

    @Test("Name length 1 to 256: ValidationException", arguments: [0, 257])
    func nameLength(length: Int) async throws {
        let world = try World()
        defer { world.remove() }
        let pem = try await world.trustAnchor(ofCluster: Demo.Cluster.spare)
        await expectKMSError(.validation, "customKeyStoreName") {
            try await world.service.createKeyStore(request(String(repeating: "n", count: length), trustAnchor: pem))
        }
        let longest = try await world.service.createKeyStore(request(String(repeating: "n", count: 256), trustAnchor: pem))
        #expect(try await world.store(longest).name.count == 256)
    }

    @Test("An unknown or deleted cluster is CloudHsmClusterNotFoundException")
    func clusterNotFound() async throws {
        let world = try World()
        defer { world.remove() }
        let pem = try await world.trustAnchor(ofCluster: Demo.Cluster.spare)
        await expectKMSError(.cloudHsmClusterNotFound, "cluster-abcdefghijk") {
            try await world.service.createKeyStore(request(cluster: "cluster-abcdefghijk", trustAnchor: pem))
        }
        try await world.service.apply(.deleteCluster(clusterId: Demo.Cluster.spare))
        await expectKMSError(.cloudHsmClusterNotFound, Demo.Cluster.spare) {
            try await world.service.createKeyStore(request(trustAnchor: pem))
        }
    }

    @Test("A cluster that is not ACTIVE (the UNINITIALIZED demo cluster) is CloudHsmClusterNotActiveException")
    func clusterNotActive() async throws {
        let world = try World()
        defer { world.remove() }
        let cluster = try await world.cluster(Demo.Cluster.uninitialized)
        #expect(cluster.state == .uninitialized)
        await expectKMSError(.cloudHsmClusterNotActive, Demo.Cluster.uninitialized, "UNINITIALIZED") {
            try await world.service.createKeyStore(
                request(cluster: Demo.Cluster.uninitialized, trustAnchor: cluster.trustAnchorCertificate ?? "x"))
        }
    }

    @Test("A cluster with a broken security group or fewer than 2 HSM zones is CloudHsmClusterInvalidConfigurationException")
    func clusterInvalidConfiguration() async throws {
        let world = try World()
        defer { world.remove() }
        let pem = try await world.trustAnchor(ofCluster: Demo.Cluster.spare)
        try await world.service.apply(.breakSecurityGroup(clusterId: Demo.Cluster.spare))
        await expectKMSError(.cloudHsmClusterInvalidConfiguration, "2223-2225") {
            try await world.service.createKeyStore(request(trustAnchor: pem))
        }
        try await world.service.apply(.repairSecurityGroup(clusterId: Demo.Cluster.spare))
        let hsm = try await world.cluster(Demo.Cluster.spare).hsms.first { $0.availabilityZone == "us-east-1b" }
        try await world.service.apply(.removeHSM(clusterId: Demo.Cluster.spare, hsmId: hsm?.id))
        await expectKMSError(.cloudHsmClusterInvalidConfiguration, "two active HSMs") {
            try await world.service.createKeyStore(request(trustAnchor: pem))
        }
        try await world.service.apply(.addHSM(clusterId: Demo.Cluster.spare, availabilityZone: "us-east-1c"))
        let id = try await world.service.createKeyStore(request(trustAnchor: pem))
        #expect(try await world.state(id) == .disconnected)
    }

    @Test("The 11th store is LimitExceededException, whatever the states of the 10")
    func quotaOfTen() async throws {
        let spec = WorldSpec.healthyClusters(11)
        let world = try World(seed: try spec.demoWorld)
        defer { world.remove() }
        #expect(try await world.service.allKeyStores().isEmpty)
        var ids: [String] = []
        for (index, cluster) in spec.clusters.enumerated() {
            let create = CreateKeyStoreRequest(
                name: "store-\(index)", cloudHsmClusterId: cluster.id,
                trustAnchorCertificate: spec.trustAnchors[cluster.lineage] ?? "", keyStorePassword: "Password\(index)x")
            if index < 10 {
                ids.append(try await world.service.createKeyStore(create))
            } else {
                // Some of the ten in other states: the quota counts stores in any state.
                try await world.bring(ids[0], to: .connected)
                try await world.bring(ids[1], to: .failed)
                try await world.bring(ids[2], to: .connecting)
                await expectKMSError(.limitExceeded, "10") { try await world.service.createKeyStore(create) }
            }
        }
        #expect(try await world.service.allKeyStores().count == 10)

        // Deleting one makes room again.
        try await world.service.deleteKeyStore(id: ids[9])
        let last = spec.clusters[10]
        let id = try await world.service.createKeyStore(CreateKeyStoreRequest(
            name: "store-10", cloudHsmClusterId: last.id, trustAnchorCertificate: spec.trustAnchors[last.lineage] ?? "",
            keyStorePassword: "Password10x"))
        #expect(try await world.state(id) == .disconnected)
    }

    @Test("The created store connects with kmsuser's password, one ENI per cluster subnet")
    func createdStoreConnects() async throws {
        let world = try World(pace: .instant)
        defer { world.remove() }
        let id = try await world.createSpareStore()
        let store = try await world.connectAndSettle(id)
        #expect(store.connectionState == .connected)
        let rows = try world.networkRows(ofKeyStore: id)
        #expect(rows.interfaces == 3)
        #expect(rows.groups == 1)
    }
}
