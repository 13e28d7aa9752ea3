import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// The documented fix of each FAILED demo store (spec section 4): disconnect, repair, connect → CONNECTED.
@Suite("Repairing the FAILED demo stores")
struct RepairTests {
    /// After the repair the keys come back to their own states.
    func expectKeysBack(_ world: World, _ id: String) async throws {
        let states = try await world.service.keys(inKeyStore: id).map(\.keyState)
        #expect(!states.contains(.unavailable))
        #expect(states.contains(.enabled) && states.contains(.disabled) && states.contains(.pendingDeletion))
    }

    @Test("INVALID_CREDENTIALS (tokenization-vault): disconnect, update the password to kmsuser's, connect")
    func invalidCredentials() async throws {
        let world = try World()
        defer { world.remove() }
        let id = Demo.tokenization
        // Editing while FAILED is refused: disconnect first.
        await expectKMSError(.customKeyStoreInvalidState, "FAILED") {
            try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, keyStorePassword: Demo.tokenizationClusterPassword))
        }
        #expect(try await world.disconnectAndSettle(id).connectionState == .disconnected)
        try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, keyStorePassword: Demo.tokenizationClusterPassword))
        let store = try await world.connectAndSettle(id)
        #expect(store.connectionState == .connected)
        #expect(store.connectionErrorCode == nil)
        #expect(try await world.cluster(Demo.Cluster.tokenization).kmsUser?.loggedInByKMS == true)
        try await expectKeysBack(world, id)
    }

    @Test("INVALID_CREDENTIALS the other way: set kmsuser's password in the cluster to the store's")
    func invalidCredentialsBySettingClusterPassword() async throws {
        let world = try World()
        defer { world.remove() }
        try await world.disconnectAndSettle(Demo.tokenization)
        try await world.service.apply(.setKmsUserPassword(clusterId: Demo.Cluster.tokenization, password: "KnownValue2026"))
        try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.tokenization, keyStorePassword: "KnownValue2026"))
        #expect(try await world.connectAndSettle(Demo.tokenization).connectionState == .connected)
    }

    @Test("INSUFFICIENT_CLOUDHSM_HSMS (release-signing): disconnect, add HSMs, connect")
    func insufficientHSMs() async throws {
        let world = try World()
        defer { world.remove() }
        let id = Demo.signing
        #expect(try await world.cluster(Demo.Cluster.signing).activeHSMs.isEmpty)
        try await world.disconnectAndSettle(id)
        try await world.service.apply(.addHSM(clusterId: Demo.Cluster.signing, availabilityZone: "us-east-1a"))
        let store = try await world.connectAndSettle(id)
        #expect(store.connectionState == .connected)
        try await expectKeysBack(world, id)
        // One HSM is enough to connect, not to create keys (two active HSMs in different AZs, spec 1.4).
        await expectKMSError(.cloudHsmClusterInvalidConfiguration, Demo.Cluster.signing) {
            try await world.service.createKey(inKeyStore: id)
        }
        try await world.service.apply(.addHSM(clusterId: Demo.Cluster.signing, availabilityZone: "us-east-1c"))
        #expect(try await world.service.createKey(inKeyStore: id).keyState == .enabled)
    }

    @Test("USER_LOGGED_IN (partner-exchange): disconnect, log kmsuser out, connect")
    func userLoggedIn() async throws {
        let world = try World()
        defer { world.remove() }
        let id = Demo.partner
        #expect(try await world.cluster(Demo.Cluster.partner).kmsUser?.loggedInElsewhere == true)
        try await world.disconnectAndSettle(id)
        // Reconnecting without the fix fails the same way.
        #expect(try await world.connectAndSettle(id).connectionErrorCode == .userLoggedIn)
        try await world.disconnectAndSettle(id)
        try await world.service.apply(.logOutKmsUserElsewhere(clusterId: Demo.Cluster.partner))
        let store = try await world.connectAndSettle(id)
        #expect(store.connectionState == .connected)
        try await expectKeysBack(world, id)
    }

    @Test("Each injected fault has its repair", arguments: ConnectionErrorCodeTests.cases)
    func repairAfterFault(failure: ConnectionErrorCodeTests.Case) async throws {
        let world = try World()
        defer { world.remove() }
        let cluster = try await world.cluster(Demo.Cluster.ledger)
        for fault in failure.faults(cluster) { try await world.service.apply(fault) }
        #expect(try await world.connectAndSettle(Demo.ledger).connectionErrorCode == failure.code)
        try await world.disconnectAndSettle(Demo.ledger)

        switch failure.code {
        case .clusterNotFound, .subnetNotFound:
            // Restore the cluster from a backup and point the store at it.
            let restored = try await world.restore(Demo.Cluster.ledger)
            try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, cloudHsmClusterId: restored))
        case .insufficientCloudHSMHSMs:
            try await world.service.apply(.addHSM(clusterId: Demo.Cluster.ledger, availabilityZone: "us-east-1a"))
        case .insufficientFreeAddressesInSubnet:
            try await world.service.apply(.freeSubnet(subnetId: cluster.subnets[2].id, addresses: 2))
        case .networkErrors:
            try await world.service.apply(.unblockNetwork(clusterId: Demo.Cluster.ledger))
        case .userNotFound, .userLockedOut:
            try await world.service.apply(.resetKmsUser(clusterId: Demo.Cluster.ledger, password: "Repaired2026"))
            try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, keyStorePassword: "Repaired2026"))
        case .userLoggedIn:
            try await world.service.apply(.logOutKmsUserElsewhere(clusterId: Demo.Cluster.ledger))
        case .invalidCredentials:
            try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, keyStorePassword: "SomebodyElse1"))
        case .internalError:
            break // retry
        default:
            Issue.record("not a CloudHSM code")
        }
        let store = try await world.connectAndSettle(Demo.ledger)
        #expect(store.connectionState == .connected, "after repairing \(failure.code.rawValue)")
        #expect(store.connectionErrorCode == nil)
    }
}
