import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// The catalogue's repair of every CloudHSM code, carried out through SimulatedRepairs as the console does it:
/// fault, connect → FAILED with the code, disconnect, the simulated fix, the store field the path names, connect.
@Suite("Simulated repairs: the catalogue's path of every code ends CONNECTED")
struct SimulatedRepairTests {
    @Test("Fault, FAILED, then the catalogue's repair path → CONNECTED", arguments: ConnectionErrorCodeTests.cases)
    func repairPathEndsConnected(failure: ConnectionErrorCodeTests.Case) async throws {
        let world = try World()
        defer { world.remove() }
        let cluster = try await world.cluster(Demo.Cluster.ledger)
        for fault in failure.faults(cluster) { try await world.service.apply(fault) }
        #expect(try await world.connectAndSettle(Demo.ledger).connectionErrorCode == failure.code)
        try await world.disconnectAndSettle(Demo.ledger)

        let path = try #require(TroubleshootingCatalogue.standard.entry(for: failure.code)?.repair)
        var context = try await world.service.repairContext(forKeyStore: Demo.ledger)
        #expect(context.clusterId == Demo.Cluster.ledger)
        if let action = path.simulatorAction {
            context = try await world.service.applyRepair(action, context: context).context
        } else {
            #expect(path.kind == .retry, "\(failure.code.rawValue): only a retry has no simulated fix")
        }
        if path.kind == .editStore {
            var request = UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger)
            switch path.storeField {
            case .password?: request.keyStorePassword = try #require(context.password)
            case .clusterId?: request.cloudHsmClusterId = try #require(context.targetClusterId)
            default: Issue.record("\(failure.code.rawValue): a CloudHSM repair edits the password or the cluster")
            }
            try await world.service.updateKeyStore(request)
        }
        let store = try await world.connectAndSettle(Demo.ledger)
        #expect(store.connectionState == .connected, "after the repair of \(failure.code.rawValue)")
    }

    @Test("USER_LOGGED_IN is repaired in the cluster (log kmsuser out), not by editing the store")
    func userLoggedInIsFixedOutsideKMS() throws {
        let path = try #require(TroubleshootingCatalogue.standard.entry(for: .userLoggedIn)?.repair)
        #expect(path.kind == .fixOutsideKMS)
        #expect(path.simulatorAction == .logoutKmsUser)
        #expect(path.storeField == nil)
    }

    @Test("The fix of a deleted cluster names the cluster the restore makes, and the restore makes it")
    func restoredClusterIsKnownBeforehand() async throws {
        let world = try World()
        defer { world.remove() }
        try await world.service.apply(.deleteCluster(clusterId: Demo.Cluster.ledger))
        let context = try await world.service.repairContext(forKeyStore: Demo.ledger)
        let target = try #require(context.targetClusterId)
        #expect(target != Demo.Cluster.ledger)
        let fix = try #require(TroubleshootingCatalogue.standard.entry(for: .clusterNotFound)).fixSteps(for: context).joined(separator: "\n")
        #expect(fix.contains("`cks update \(Demo.ledger) --cluster-id \(target)`"))
        #expect(!fix.contains("add-hsm \(Demo.Cluster.ledger)"), "no step adds HSMs to the deleted cluster")
        let made = try await world.restore(Demo.Cluster.ledger)
        #expect(made == target)
        #expect(try await world.cluster(target).activeHSMs.count >= 2)
    }

    @Test("An HSM cannot be added to a DELETED cluster")
    func noHSMInADeletedCluster() async throws {
        let world = try World()
        defer { world.remove() }
        try await world.service.apply(.deleteCluster(clusterId: Demo.Cluster.ledger))
        await expectKMSError(.cloudHsmClusterNotFound, "DELETED", "restore-cluster") {
            try await world.service.apply(.addHSM(clusterId: Demo.Cluster.ledger, availabilityZone: "us-east-1a"))
        }
        #expect(try await world.cluster(Demo.Cluster.ledger).activeHSMs.isEmpty)
    }

    @Test("The cluster view shows every fault: blocked network, pending internal error, deleted subnet, lost password")
    func clusterViewShowsEveryFault() async throws {
        let world = try World()
        defer { world.remove() }
        var cluster = try await world.cluster(Demo.Cluster.ledger)
        #expect(cluster.networkBlocked == false && cluster.internalErrorPending == false && cluster.deletedSubnets.isEmpty)
        #expect(cluster.kmsUser?.knownPassword == Demo.ledgerPassword)
        let subnet = cluster.subnets[1].id
        try await world.service.apply(.blockNetwork(clusterId: Demo.Cluster.ledger))
        try await world.service.apply(.injectInternalError(clusterId: Demo.Cluster.ledger))
        try await world.service.apply(.deleteSubnet(subnetId: subnet))
        cluster = try await world.cluster(Demo.Cluster.ledger)
        #expect(cluster.networkBlocked == true)
        #expect(cluster.internalErrorPending == true)
        #expect(cluster.deletedSubnets.map(\.id) == [subnet])
        // After a connect KMS changes kmsuser's password: nobody but KMS knows it.
        #expect(try await world.connectAndSettle(Demo.hr).connectionState == .connected)
        #expect(try await world.cluster(Demo.Cluster.hr).kmsUser?.knownPassword == nil)
        #expect(try await world.cluster(Demo.Cluster.spare).kmsUser?.knownPassword == Demo.sparePassword, "the free cluster says its password")
    }
}
