import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// UpdateCustomKeyStore and DeleteCustomKeyStore rules (spec 1.4, 2, 8.5).
@Suite("UpdateCustomKeyStore and DeleteCustomKeyStore")
struct UpdateDeleteTests {
    @Test("Rename is allowed while CONNECTED (spec 8.5) and the new name must be free")
    func renameWhileConnected() async throws {
        let world = try World()
        defer { world.remove() }
        let service = world.service
        #expect(try await world.state(Demo.payments) == .connected)
        try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.payments, newName: "payments-primary"))
        let store = try await world.store(Demo.payments)
        #expect(store.name == "payments-primary")
        #expect(store.connectionState == .connected)
        await expectKMSError(.customKeyStoreNotFound, "payments-prod") {
            try await service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreName: "payments-prod"))
        }
        await expectKMSError(.customKeyStoreNameInUse, "ledger-archive") {
            try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.payments, newName: "ledger-archive"))
        }
        // The old name is free again.
        try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, newName: "payments-prod"))
        #expect(try await world.store(Demo.ledger).name == "payments-prod")
    }

    @Test("Changing the password or the cluster of a CONNECTED store is CustomKeyStoreInvalidStateException, even with a rename")
    func settingsNeedDisconnected() async throws {
        let world = try World()
        defer { world.remove() }
        let service = world.service
        await expectKMSError(.customKeyStoreInvalidState, "CONNECTED", "disconnect it first") {
            try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.payments, newName: "x-payments",
                                                                   keyStorePassword: "Payments2025kms"))
        }
        #expect(try await world.store(Demo.payments).name == "payments-prod")
    }

    @Test("Password validation applies to Update too")
    func updatePasswordValidation() async throws {
        let world = try World()
        defer { world.remove() }
        for password in ["short", String(repeating: "p", count: 33)] {
            await expectKMSError(.validation, "keyStorePassword") {
                try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, keyStorePassword: password))
            }
        }
        await expectKMSError(.validation, "cloudHsmClusterId") {
            try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, cloudHsmClusterId: "cluster-0"))
        }
    }

    @Test("Update to an unrelated cluster is CloudHsmClusterNotRelatedException")
    func unrelatedCluster() async throws {
        let world = try World()
        defer { world.remove() }
        await expectKMSError(.cloudHsmClusterNotRelated, Demo.Cluster.spare, Demo.Cluster.ledger) {
            try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, cloudHsmClusterId: Demo.Cluster.spare))
        }
        #expect(try await world.store(Demo.ledger).cloudHsmClusterId == Demo.Cluster.ledger)
        await expectKMSError(.cloudHsmClusterNotFound, "cluster-abcdefghijk") {
            try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, cloudHsmClusterId: "cluster-abcdefghijk"))
        }
    }

    @Test("Update to a cluster restored from the same backup succeeds, and the store connects through it")
    func relatedCluster() async throws {
        let world = try World()
        defer { world.remove() }
        let restored = try await world.restore(Demo.Cluster.ledger)
        try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, cloudHsmClusterId: restored))
        let store = try await world.store(Demo.ledger)
        #expect(store.cloudHsmClusterId == restored)
        #expect(store.connectionState == .disconnected)
        let connected = try await world.connectAndSettle(Demo.ledger)
        #expect(connected.connectionState == .connected)
        let eniSubnets = NetworkLedger(try await world.history(Demo.ledger)).createdInterfaces.compactMap(\.subnetId)
        let restoredSubnets = try await world.cluster(restored).subnets.map(\.id)
        #expect(Set(eniSubnets) == Set(restoredSubnets), "the ENIs are made in the restored cluster's subnets")
    }

    @Test("Delete needs zero keys, PendingDeletion ones included: CustomKeyStoreHasCMKsException")
    func deleteNeedsNoKeys() async throws {
        let world = try World()
        defer { world.remove() }
        let service = world.service
        await expectKMSError(.customKeyStoreHasCMKs, Demo.ledger, "4 KMS keys") { try await service.deleteKeyStore(id: Demo.ledger) }

        let id = try await world.createSpareStore()
        try await world.connectAndSettle(id)
        let key = try await service.createKey(inKeyStore: id)
        try await world.disconnectAndSettle(id)
        let deletion = try await service.scheduleKeyDeletion(key.id, pendingWindowInDays: 7)
        #expect(try await service.keys(inKeyStore: id).map(\.keyState) == [.pendingDeletion])
        await expectKMSError(.customKeyStoreHasCMKs, "1 KMS key") { try await service.deleteKeyStore(id: id) }

        try await world.advance(deletion.timeIntervalSince(world.clock.now()) + 1)
        #expect(try await service.keys(inKeyStore: id).isEmpty)
        try await service.deleteKeyStore(id: id)
        await expectKMSError(.customKeyStoreNotFound, id) { try await world.store(id) }
        #expect(try await service.allKeyStores().count == Demo.storeCount)
        // The cluster is free for a new store.
        let again = try await world.createSpareStore(name: "spare-again")
        #expect(again != id)
    }

    @Test("Delete of a CONNECTED store is CustomKeyStoreInvalidStateException, even without keys")
    func deleteNeedsDisconnected() async throws {
        let world = try World(pace: .instant)
        defer { world.remove() }
        let id = try await world.createSpareStore()
        try await world.connectAndSettle(id)
        await expectKMSError(.customKeyStoreInvalidState, "CONNECTED", "disconnect it first") {
            try await world.service.deleteKeyStore(id: id)
        }
        try await world.disconnectAndSettle(id)
        try await world.service.deleteKeyStore(id: id)
        await expectKMSError(.customKeyStoreNotFound) { try await world.service.deleteKeyStore(id: id) }
    }
}
